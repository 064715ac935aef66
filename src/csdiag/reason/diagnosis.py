"""Turn what the engine concluded into a case result: diagnoses with certainty and
evidence, findings, what was ruled out, what could not be assessed (and which facts
would settle it), and the remedies in priority order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from csdiag.formats.case import Case
from csdiag.formats.located_yaml import YamlPath
from csdiag.formats.rule import Remedy, Rule, SeedSource
from csdiag.formats.vocabulary import FactValue
from csdiag.i18n import Text, current_language, gettext, money, one_line
from csdiag.model.knowledge_base import KnowledgeBase
from csdiag.model.logic import ON_FACTS, Atom, Band, FindingRef, Graded, Known, atoms, subject
from csdiag.model.outcome import EngineCase, Firing, RawOutcome, Runner, Status
from csdiag.reason import wording
from csdiag.reason.certainty import DEFAULT_THRESHOLD, combine
from csdiag.reason.remedies import PlannedRemedy, rank_remedies
from csdiag.reason.settle import sign_count


@dataclass
class Evidence:
    """One condition a conclusion rests on, with the case's value for it."""

    condition: str  # as the rule writes it, for rule writers and JSON
    text: str = ""  # in plain language, for reports
    fact: str | None = None
    value: FactValue | None = None  # None when unknown, or known only by a bound
    source: str | None = None
    note: str | None = None
    finding: str | None = None
    certainty: float | None = None
    at_least: float | None = None
    at_most: float | None = None
    confidence: float | None = None  # the case marks the value as an estimate


@dataclass
class Contribution:
    """One rule's evidence for (certainty > 0) or against (< 0) a conclusion."""

    rule: Rule
    certainty: float
    evidence: list[Evidence]
    weights: dict[str, float] = field(default_factory=dict)


@dataclass
class ShownRemedy:
    """A remedy as a report shows it: `only_if` names what it presupposes that the case
    leaves unknown ('' when everything it presupposes holds)."""

    remedy: Remedy
    only_if: str = ""
    figure: str = ""  # the remedy's cost, stated when the case is in its currency


@dataclass
class MissingFact:
    fact: str
    question: Text


@dataclass
class Conclusion:
    rule: Rule  # the rule that holds the conclusion's title, severity and remedies
    certainty: float  # all contributions combined
    evidence: list[Evidence]
    contributions: list[Contribution] = field(default_factory=list)
    symptoms: list[str] = field(default_factory=list)  # the rule's sentences the case shows
    remedies: list[ShownRemedy] = field(default_factory=list)
    # For a weak signal: unknown facts that could make it a diagnosis or rule it out.
    missing_facts: list[MissingFact] = field(default_factory=list)


@dataclass
class Undetermined:
    """A diagnosis neither reached nor ruled out: what would settle it, what partial
    evidence there is for it, and what weak evidence against it."""

    rule: Rule
    missing_facts: list[MissingFact]
    certainty: float = 0.0  # from partial evidence: some signs present, none failing
    signs_present: int = 0
    signs: int = 1
    present: list[Evidence] = field(default_factory=list)  # what the present signs rest on
    against: float = 0.0  # evidence against, too weak to rule it out
    counter_evidence: list[Evidence] = field(default_factory=list)
    symptoms: list[str] = field(default_factory=list)

    @property
    def is_weak_signal(self) -> bool:
        return self.certainty > 0


@dataclass
class OpenQuestion:
    """An unknown fact worth asking about: the diagnoses its answer could settle."""

    fact: str
    question: Text
    decides: list[str]  # undetermined diagnoses that read it
    weight: float  # their severity weights, more for those with partial evidence


@dataclass
class CaseResult:
    case: Case
    diagnoses: list[Conclusion] = field(default_factory=list)
    findings: list[Conclusion] = field(default_factory=list)
    ruled_out: list[Conclusion] = field(default_factory=list)
    weak_signals: list[Conclusion] = field(default_factory=list)
    undetermined: list[Undetermined] = field(default_factory=list)  # closest to settled first
    remedies: list[PlannedRemedy] = field(default_factory=list)
    questions: list[OpenQuestion] = field(default_factory=list)  # most useful first
    rulesets_consulted: int = 0
    threshold: float = DEFAULT_THRESHOLD  # the certainty a diagnosis needs
    language: str = field(default_factory=current_language)  # the language of its text

    def partial_signals(self) -> list[Undetermined]:
        """Undetermined diagnoses with partial evidence: weak signals of their own kind."""
        return [u for u in self.undetermined if u.is_weak_signal]


def source_label(source: object, for_reader: bool = False) -> str:
    """A source as the report cites it: a seed by its file and cause number for whoever
    checks the rules; for a reader, by its bibliographic citation (author, year, title)."""
    if isinstance(source, SeedSource):
        if for_reader and source.citation:
            return source.citation
        return gettext("seed {seed}, cause {cause}").format(seed=source.seed,
                                                              cause=source.cause)
    return getattr(source, "citation", str(source))


def _evidence(atom: Atom, rule_id: str, case: Case, outcome: RawOutcome,
              kb: KnowledgeBase) -> Evidence:
    if isinstance(atom, FindingRef):
        rule = kb.rules[atom.finding]
        certainty = outcome.concluded.get(atom.finding) if atom.holds else None
        return Evidence(condition=f"{rule.title} [{atom.describe()}]", finding=atom.finding,
                        certainty=certainty,
                        text=wording.evidence(atom, None, kb.vocabulary, None, rule.title.get(),
                                              certainty))
    known = case.facts.get(atom.fact)
    graded: Graded | None = None
    if isinstance(atom, Band):
        graded = next(a for a in atoms(kb.rules[rule_id].condition)
                      if isinstance(a, Graded) and a.path == atom.path)
        condition = f"{graded.describe()}: {atom.describe()}"
    else:
        condition = atom.describe()
    return Evidence(condition=condition, fact=atom.fact,
                    text=wording.evidence(atom, known, kb.vocabulary, graded),
                    value=known.value if known else None,
                    source=known.source if known else None, note=known.note if known else None,
                    at_least=known.at_least if known else None,
                    at_most=known.at_most if known else None,
                    confidence=known.confidence if known else None)


def _atoms_of(firings: list[Firing]) -> list[Atom]:
    seen: dict[Atom, None] = {}
    for firing in firings:
        for atom in firing.branch.conjunct:
            # A fact the case does not give only opens a branch ('where there is a
            # programme, or none is stated'); it is no evidence to show anyone.
            if not (isinstance(atom, Known) and not atom.known):
                seen.setdefault(atom)
    return sorted(seen, key=lambda a: a.path)  # the order the rule's author wrote them


def _branch_evidence(rule_id: str, fires: bool, case: Case, outcome: RawOutcome,
                     kb: KnowledgeBase) -> list[Evidence]:
    return [_evidence(atom, rule_id, case, outcome, kb)
            for atom in _atoms_of(outcome.firings_of(rule_id, fires))]


def _shown(atoms_held: list[Atom]) -> set[str]:
    """The facts and findings whose conditions held, as symptoms and remedies name them."""
    return {subject(a) for a in atoms_held}


def _symptoms(rule: Rule, held: set[str]) -> list[str]:
    return [one_line(s.text.get()) for s in rule.symptoms if set(s.shown_by) <= held]


def figure(remedy: Remedy, case: Case) -> str:
    """The sentence stating what a remedy's figure costs, for a case in its currency
    (csdiag converts no currency, and writes none the case did not state)."""
    cost = remedy.cost
    if cost is None or case.currency != cost.currency:
        return ""
    return cost.sentence.get().replace("{amount}", money(cost.low, cost.high, cost.currency))


def _remedies(rule: Rule, held: set[str], case: Case, outcome: RawOutcome,
              kb: KnowledgeBase) -> list[ShownRemedy]:
    """The rule's remedies whose presuppositions hold, or are unknown ('if ...'); a remedy
    that presupposes what the case shows does not hold is left out."""
    shown = []
    for remedy in rule.remedies:
        unknown = []
        for name in remedy.presupposes:
            if name in held:
                continue
            if name in kb.rules:
                settled = name in outcome.concluded or name in outcome.refuted
            else:
                settled = name in case.facts
            if settled:
                break
            unknown += [wording.condition(a, kb.vocabulary, kb.rules[name].title.get()
                                          if name in kb.rules else "")
                        for a in atoms(rule.condition) if subject(a) == name]
        else:
            shown.append(ShownRemedy(remedy, gettext("; ").join(dict.fromkeys(unknown)),
                                     figure(remedy, case)))
    return shown


def _missing(conclusion: str, case: Case, outcome: RawOutcome, kb: KnowledgeBase,
             seen: set[str]) -> list[str]:
    """Unknown facts the conclusion's rules read, directly or through findings still
    undetermined or concluded only weakly (their other evidence could still raise them)."""
    seen.add(conclusion)
    missing: list[str] = []
    for rule in kb.contributors(conclusion):
        for atom in atoms(rule.condition):
            if isinstance(atom, ON_FACTS) and atom.fact not in case.facts:
                missing.append(atom.fact)
            elif (isinstance(atom, FindingRef) and atom.finding not in seen
                  and outcome.concluded.get(atom.finding, 0.0) < DEFAULT_THRESHOLD
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


def _undetermined(rule: Rule, case: Case, outcome: RawOutcome,
                  kb: KnowledgeBase) -> Undetermined:
    missing = _missing(rule.id, case, outcome, kb, set())
    item = Undetermined(rule, [MissingFact(f, kb.vocabulary[f].question) for f in missing])
    supporters = [r for r in kb.contributors(rule.id) if r.certainty > 0]
    present_signs = {r.id: len(outcome.sign_weights(r.id)) for r in supporters}
    best = max(supporters, key=lambda r: present_signs[r.id] / sign_count(kb, r.id))
    item.signs = sign_count(kb, best.id)
    item.signs_present = present_signs[best.id]
    item.certainty = round(outcome.partial.get(rule.id, 0.0), 4)
    present = _atoms_of(outcome.signs_of(best.id))
    item.present = [_evidence(a, best.id, case, outcome, kb) for a in present]
    item.symptoms = _symptoms(rule, _shown(present)) if best is rule else []
    item.against = round(outcome.doubted.get(rule.id, 0.0), 4)
    if item.against:
        item.counter_evidence = [e for r in supporters
                                 for e in _branch_evidence(r.id, False, case, outcome, kb)]
    return item


def build_result(case: Case, outcome: RawOutcome, kb: KnowledgeBase,
                 threshold: float = DEFAULT_THRESHOLD) -> CaseResult:
    """Sort every conclusion into diagnoses (combined certainty at or above `threshold`),
    weak signals (above 0, below it), findings, ruled out and not assessable."""
    result = CaseResult(case=case, rulesets_consulted=outcome.rulesets_consulted,
                        threshold=threshold)
    for rule in sorted((r for r in kb.rules.values() if r.is_primary), key=lambda r: r.id):
        contributions = _contributions(rule.id, case, outcome, kb)
        if rule.id in outcome.concluded:
            evidence = [e for c in contributions if c.certainty > 0 for e in c.evidence]
            held = _shown(_atoms_of(outcome.firings_of(rule.id)))
            conclusion = Conclusion(rule, round(outcome.concluded[rule.id], 4), evidence,
                                    contributions, _symptoms(rule, held),
                                    _remedies(rule, held, case, outcome, kb))
            if rule.kind == "finding":
                result.findings.append(conclusion)
            elif conclusion.certainty >= threshold:
                result.diagnoses.append(conclusion)
            else:
                conclusion.missing_facts = [
                    MissingFact(f, kb.vocabulary[f].question)
                    for f in _missing(rule.id, case, outcome, kb, set())]
                result.weak_signals.append(conclusion)
        elif rule.id in outcome.refuted:
            if rule.kind == "diagnosis":
                against = [e for c in contributions for e in c.evidence]
                refuting = [e for r in kb.contributors(rule.id)
                            for e in _branch_evidence(r.id, False, case, outcome, kb)]
                result.ruled_out.append(Conclusion(rule, round(-outcome.refuted[rule.id], 4),
                                                   against + refuting, contributions))
        elif rule.kind == "diagnosis":
            result.undetermined.append(_undetermined(rule, case, outcome, kb))
    result.diagnoses.sort(key=lambda c: (-c.rule.severity_weight * c.certainty, c.rule.id))
    result.weak_signals.sort(key=lambda c: (-c.certainty, c.rule.id))
    result.undetermined.sort(key=lambda u: (-u.certainty, -u.rule.severity_weight, u.rule.id))
    result.remedies = rank_remedies(result.diagnoses)
    reachable = {r.id for r in kb.rules.values()
                 if r.is_primary and can_reach(r.id, outcome, kb, threshold)}
    result.questions = _open_questions(
        [u for u in result.undetermined if u.rule.id in reachable],
        [c for c in result.weak_signals if c.rule.id in reachable])
    return result


def can_reach(conclusion: str, outcome: RawOutcome, kb: KnowledgeBase,
              threshold: float) -> bool:
    """Whether answers could still bring a conclusion to the threshold: the rules for it
    not yet refuted, all holding at their full certainty, would reach it. A question only
    such conclusions read is not worth asking (the interview stops before it)."""
    certainties = [rule.certainty for rule in kb.contributors(conclusion)
                   if rule.certainty > 0 and rule.id not in outcome.rules_refuted]
    return combine(certainties) >= threshold - 1e-9


def _open_questions(undetermined: list[Undetermined],
                    weak_signals: list[Conclusion]) -> list[OpenQuestion]:
    """Every unknown fact an undetermined diagnosis or a weak signal reads, most useful
    first: the one that could settle the most diagnoses, weighted by their severity, and
    more for a diagnosis with some evidence already (it is nearer to being settled)."""
    found: dict[str, OpenQuestion] = {}
    asked: list[tuple[Rule, list[MissingFact], float]] = [
        (u.rule, u.missing_facts, 1 + u.signs_present / u.signs if u.is_weak_signal else 1)
        for u in undetermined]
    asked += [(c.rule, c.missing_facts, 2) for c in weak_signals]
    for rule, missing_facts, nearness in asked:
        for missing in missing_facts:
            entry = found.setdefault(missing.fact,
                                     OpenQuestion(missing.fact, missing.question, [], 0))
            entry.decides.append(rule.id)
            entry.weight = round(entry.weight + rule.severity_weight * nearness, 4)
    return sorted(found.values(), key=lambda q: (-q.weight, -len(q.decides), q.fact))


class Diagnoser:
    """A knowledge base and the engine that runs it: diagnoses one case at a time. The
    features (explain, plan, interview, rule tests) ask it, never the engine itself."""

    def __init__(self, kb: KnowledgeBase, runner: Runner):
        self.kb = kb
        self.runner = runner

    def outcome(self, case: Case) -> RawOutcome:
        """What the engine concluded for the case, before it is sorted into a report."""
        return self.outcomes([case])[0]

    def outcomes(self, cases: Sequence[Case]) -> list[RawOutcome]:
        """outcome() for several cases, run by the engine together (in batches)."""
        return self.runner.run_many([_engine_case(case) for case in cases])

    def diagnose(self, case: Case, threshold: float = DEFAULT_THRESHOLD) -> CaseResult:
        return build_result(case, self.outcome(case), self.kb, threshold)

    def condition_truth(self, case: Case, rule_ids: list[str]
                        ) -> dict[tuple[str, YamlPath], Status]:
        """Whether each condition on facts of these rules holds or fails on the case
        (absent from the result: unknown), as the engine matches it."""
        return self.condition_truths([case], rule_ids)[0]

    def condition_truths(self, cases: Sequence[Case], rule_ids: list[str]
                         ) -> list[dict[tuple[str, YamlPath], Status]]:
        """condition_truth() for several cases, run by the engine together."""
        return self.runner.probe_many(rule_ids, [_engine_case(case) for case in cases])


def _engine_case(case: Case) -> EngineCase:
    return EngineCase(case.values(), case.confidences(), case.bounds())
