"""Turn what the engine concluded into a case result: diagnoses with certainty and
evidence, findings, what was ruled out, what could not be assessed (and which facts
would settle it), and the remedies in priority order."""

from __future__ import annotations

from dataclasses import dataclass, field

from csdiag.formats.case import Case
from csdiag.formats.located_yaml import YamlPath
from csdiag.formats.rule import Rule, SeedSource
from csdiag.formats.vocabulary import FactValue
from csdiag.model.knowledge_base import KnowledgeBase
from csdiag.model.logic import ON_FACTS, Atom, Band, FindingRef, atoms
from csdiag.model.outcome import RawOutcome, Runner, Status
from csdiag.reason.certainty import combine


@dataclass
class Evidence:
    """One condition a conclusion rests on, with the case's value for it."""

    condition: str
    fact: str | None = None
    value: FactValue | None = None
    source: str | None = None
    note: str | None = None
    finding: str | None = None
    certainty: float | None = None


@dataclass
class Contribution:
    """One rule's evidence for (certainty > 0) or against (< 0) a conclusion."""

    rule: Rule
    certainty: float
    evidence: list[Evidence]
    weights: dict[str, float] = field(default_factory=dict)


@dataclass
class Conclusion:
    rule: Rule  # the rule that holds the conclusion's title, severity and remedies
    certainty: float  # all contributions combined
    evidence: list[Evidence]
    contributions: list[Contribution] = field(default_factory=list)


@dataclass
class MissingFact:
    fact: str
    question: str


@dataclass
class Undetermined:
    rule: Rule
    missing_facts: list[MissingFact]


@dataclass
class OpenQuestion:
    """An unknown fact worth asking about: the diagnoses its answer could settle."""

    fact: str
    question: str
    decides: list[str]  # undetermined diagnoses that read it
    weight: int  # their severity weights, summed: how useful the answer is


@dataclass
class PlannedRemedy:
    id: str
    action: str
    why: str
    addresses: list[str]
    priority: float


@dataclass
class CaseResult:
    case: Case
    diagnoses: list[Conclusion] = field(default_factory=list)
    findings: list[Conclusion] = field(default_factory=list)
    ruled_out: list[Conclusion] = field(default_factory=list)
    weak_signals: list[Conclusion] = field(default_factory=list)
    undetermined: list[Undetermined] = field(default_factory=list)
    remedies: list[PlannedRemedy] = field(default_factory=list)
    questions: list[OpenQuestion] = field(default_factory=list)  # most useful first
    rulesets_consulted: int = 0


def source_label(source: object) -> str:
    if isinstance(source, SeedSource):
        return f"seed {source.seed}, cause {source.cause}"
    return getattr(source, "citation", str(source))


def _evidence(atom: Atom, rule_id: str, case: Case, outcome: RawOutcome,
              kb: KnowledgeBase) -> Evidence:
    if isinstance(atom, FindingRef):
        rule = kb.rules[atom.finding]
        certainty = outcome.concluded.get(atom.finding) if atom.holds else None
        return Evidence(condition=f"{rule.title} [{atom.describe()}]", finding=atom.finding,
                        certainty=certainty)
    known = case.facts.get(atom.fact)
    if isinstance(atom, Band):
        graded = next(a for a in atoms(kb.rules[rule_id].condition) if a.path == atom.path)
        condition = f"{graded.describe()}: {atom.describe()}"
    else:
        condition = atom.describe()
    return Evidence(condition=condition, fact=atom.fact,
                    value=known.value if known else None,
                    source=known.source if known else None, note=known.note if known else None)


def _branch_evidence(rule_id: str, fires: bool, case: Case, outcome: RawOutcome,
                     kb: KnowledgeBase) -> list[Evidence]:
    seen: dict[Atom, None] = {}
    for firing in outcome.firings_of(rule_id, fires):
        for atom in firing.branch.conjunct:
            seen.setdefault(atom)
    ordered = sorted(seen, key=lambda a: a.path)  # the order the rule's author wrote them
    return [_evidence(atom, rule_id, case, outcome, kb) for atom in ordered]


def _missing(conclusion: str, case: Case, outcome: RawOutcome, kb: KnowledgeBase,
             seen: set[str]) -> list[str]:
    """Unknown facts the conclusion's rules read, directly or through findings still
    undetermined."""
    seen.add(conclusion)
    missing: list[str] = []
    for rule in kb.contributors(conclusion):
        for atom in atoms(rule.condition):
            if isinstance(atom, ON_FACTS) and atom.fact not in case.facts:
                missing.append(atom.fact)
            elif (isinstance(atom, FindingRef) and atom.finding not in seen
                  and atom.finding not in outcome.concluded
                  and atom.finding not in outcome.refuted):
                missing += _missing(atom.finding, case, outcome, kb, seen)
    return list(dict.fromkeys(missing))


def _contributions(conclusion: str, case: Case, outcome: RawOutcome,
                   kb: KnowledgeBase) -> list[Contribution]:
    result = []
    for rule in kb.contributors(conclusion):
        if rule.id in outcome.rule_certainty:
            best = max(outcome.firings_of(rule.id), key=lambda f: abs(f.certainty))
            result.append(Contribution(rule, round(outcome.rule_certainty[rule.id], 4),
                                       _branch_evidence(rule.id, True, case, outcome, kb),
                                       best.weights))
    return result


def _plan_remedies(diagnoses: list[Conclusion]) -> list[PlannedRemedy]:
    """Remedies ranked by the severity-weighted certainty of the diagnoses they address;
    a remedy shared by several diagnoses adds up their weight."""
    plan: dict[str, PlannedRemedy] = {}
    for conclusion in diagnoses:
        weight = conclusion.rule.severity_weight * conclusion.certainty
        for position, remedy in enumerate(conclusion.rule.remedies):
            # Authors list remedies most important first: later ones count a little less.
            score = weight / (1 + 0.25 * position)
            entry = plan.setdefault(remedy.id, PlannedRemedy(remedy.id, remedy.action,
                                                             remedy.why, [], 0.0))
            entry.addresses.append(conclusion.rule.id)
            entry.priority += score
    ranked = sorted(plan.values(), key=lambda r: (-r.priority, r.id))
    for planned in ranked:
        planned.priority = round(planned.priority, 3)
    return ranked


DEFAULT_THRESHOLD = 0.2


def build_result(case: Case, outcome: RawOutcome, kb: KnowledgeBase,
                 threshold: float = DEFAULT_THRESHOLD) -> CaseResult:
    """Sort every conclusion into diagnoses (combined certainty at or above `threshold`),
    weak signals (above 0, below it), findings, ruled out and not assessable."""
    result = CaseResult(case=case, rulesets_consulted=outcome.rulesets_consulted)
    for rule in sorted((r for r in kb.rules.values() if r.is_primary), key=lambda r: r.id):
        contributions = _contributions(rule.id, case, outcome, kb)
        if rule.id in outcome.concluded:
            evidence = [e for c in contributions if c.certainty > 0 for e in c.evidence]
            conclusion = Conclusion(rule, round(outcome.concluded[rule.id], 4), evidence,
                                    contributions)
            if rule.kind == "finding":
                result.findings.append(conclusion)
            elif conclusion.certainty >= threshold:
                result.diagnoses.append(conclusion)
            else:
                result.weak_signals.append(conclusion)
        elif rule.id in outcome.refuted:
            if rule.kind == "diagnosis":
                against = [e for c in contributions for e in c.evidence]
                refuting = [e for r in kb.contributors(rule.id)
                            for e in _branch_evidence(r.id, False, case, outcome, kb)]
                result.ruled_out.append(Conclusion(rule, round(combine(
                    c.certainty for c in contributions), 4), against + refuting,
                    contributions))
        elif rule.kind == "diagnosis":
            missing = _missing(rule.id, case, outcome, kb, set())
            result.undetermined.append(Undetermined(
                rule, [MissingFact(f, kb.vocabulary[f].question) for f in missing]))
    result.diagnoses.sort(key=lambda c: (-c.rule.severity_weight * c.certainty, c.rule.id))
    result.weak_signals.sort(key=lambda c: (-c.certainty, c.rule.id))
    result.undetermined.sort(key=lambda u: (-u.rule.severity_weight, u.rule.id))
    result.remedies = _plan_remedies(result.diagnoses)
    result.questions = _open_questions(result.undetermined)
    return result


def _open_questions(undetermined: list[Undetermined]) -> list[OpenQuestion]:
    """Every unknown fact an undetermined diagnosis reads, most useful first: the one
    that could settle the most diagnoses, weighted by their severity."""
    found: dict[str, OpenQuestion] = {}
    for item in undetermined:
        for missing in item.missing_facts:
            entry = found.setdefault(missing.fact,
                                     OpenQuestion(missing.fact, missing.question, [], 0))
            entry.decides.append(item.rule.id)
            entry.weight += item.rule.severity_weight
    return sorted(found.values(), key=lambda q: (-q.weight, -len(q.decides), q.fact))


class Diagnoser:
    """A knowledge base and the engine that runs it: diagnoses one case at a time. The
    features (explain, plan, interview, rule tests) ask it, never the engine itself."""

    def __init__(self, kb: KnowledgeBase, runner: Runner):
        self.kb = kb
        self.runner = runner

    def outcome(self, case: Case) -> RawOutcome:
        """What the engine concluded for the case, before it is sorted into a report."""
        return self.runner.run(case.values(), case.confidences())

    def diagnose(self, case: Case, threshold: float = DEFAULT_THRESHOLD) -> CaseResult:
        return build_result(case, self.outcome(case), self.kb, threshold)

    def condition_truth(self, case: Case, rule_ids: list[str]
                        ) -> dict[tuple[str, YamlPath], Status]:
        """Whether each condition on facts of these rules holds or fails on the case
        (absent from the result: unknown), as the engine matches it."""
        return self.runner.probe(rule_ids, case.values())
