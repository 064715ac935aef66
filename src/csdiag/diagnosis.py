"""Turn what durable_rules matched into a case result: diagnoses with certainty and
evidence, findings, what was ruled out, what could not be assessed (and which facts
would settle it), and the remedies in priority order."""

from __future__ import annotations

from dataclasses import dataclass, field

from csdiag.inference import RawOutcome
from csdiag.load_case import Case
from csdiag.load_rules import KnowledgeBase
from csdiag.logic import Atom, Comparison, FindingRef, Known, atoms
from csdiag.rule_schema import Rule, SeedSource
from csdiag.vocabulary import FactValue


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
class Conclusion:
    rule: Rule
    certainty: float
    evidence: list[Evidence]


@dataclass
class MissingFact:
    fact: str
    question: str


@dataclass
class Undetermined:
    rule: Rule
    missing_facts: list[MissingFact]


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
    undetermined: list[Undetermined] = field(default_factory=list)
    remedies: list[PlannedRemedy] = field(default_factory=list)
    rulesets_consulted: int = 0


def source_label(source: object) -> str:
    if isinstance(source, SeedSource):
        return f"seed {source.seed}, cause {source.cause}"
    return getattr(source, "citation", str(source))


def _evidence(atom: Atom, case: Case, outcome: RawOutcome, kb: KnowledgeBase) -> Evidence:
    if isinstance(atom, FindingRef):
        rule = kb.rules[atom.finding]
        certainty = outcome.concluded.get(atom.finding) if atom.holds else None
        return Evidence(condition=f"{rule.title} [{atom.describe()}]", finding=atom.finding,
                        certainty=certainty)
    known = case.facts.get(atom.fact)
    return Evidence(condition=atom.describe(), fact=atom.fact,
                    value=known.value if known else None,
                    source=known.source if known else None, note=known.note if known else None)


def _branch_evidence(rule_id: str, fires: bool, case: Case, outcome: RawOutcome,
                     kb: KnowledgeBase) -> list[Evidence]:
    seen: dict[Atom, None] = {}
    for firing in outcome.firings:
        if firing.branch.rule_id == rule_id and firing.branch.fires == fires:
            for atom in firing.branch.conjunct:
                seen.setdefault(atom)
    ordered = sorted(seen, key=lambda a: a.path)  # the order the rule's author wrote them
    return [_evidence(atom, case, outcome, kb) for atom in ordered]


def _missing(rule: Rule, case: Case, outcome: RawOutcome, kb: KnowledgeBase,
             seen: set[str]) -> list[str]:
    """Unknown facts the rule reads, directly or through findings still undetermined."""
    seen.add(rule.id)
    missing: list[str] = []
    for atom in atoms(rule.condition):
        if isinstance(atom, (Comparison, Known)) and atom.fact not in case.facts:
            missing.append(atom.fact)
        elif (isinstance(atom, FindingRef) and atom.finding not in seen
              and atom.finding not in outcome.concluded and atom.finding not in outcome.refuted):
            missing += _missing(kb.rules[atom.finding], case, outcome, kb, seen)
    return list(dict.fromkeys(missing))


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
    for remedy in ranked:
        remedy.priority = round(remedy.priority, 3)
    return ranked


def build_result(case: Case, outcome: RawOutcome, kb: KnowledgeBase) -> CaseResult:
    result = CaseResult(case=case, rulesets_consulted=outcome.rulesets_consulted)
    for rule in sorted(kb.rules.values(), key=lambda r: r.id):
        if rule.id in outcome.concluded:
            conclusion = Conclusion(rule, round(outcome.concluded[rule.id], 4),
                                    _branch_evidence(rule.id, True, case, outcome, kb))
            (result.diagnoses if rule.kind == "diagnosis" else result.findings).append(conclusion)
        elif rule.id in outcome.refuted:
            if rule.kind == "diagnosis":
                result.ruled_out.append(Conclusion(
                    rule, 0.0, _branch_evidence(rule.id, False, case, outcome, kb)))
        elif rule.kind == "diagnosis":
            missing = _missing(rule, case, outcome, kb, set())
            result.undetermined.append(Undetermined(
                rule, [MissingFact(f, kb.vocabulary[f].question) for f in missing]))
    result.diagnoses.sort(key=lambda c: (-c.rule.severity_weight * c.certainty, c.rule.id))
    result.undetermined.sort(key=lambda u: (-u.rule.severity_weight, u.rule.id))
    result.remedies = _plan_remedies(result.diagnoses)
    return result
