"""Remedy planning: re-diagnose the case as if remedies were carried out (each remedy may
declare the facts it changes), and rank remedies and combinations by the
severity-weighted certainty they remove."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

from csdiag.formats.case import Case, with_changes
from csdiag.formats.vocabulary import FactValue
from csdiag.reason.diagnosis import CaseResult, Diagnoser

MAX_PAIRED = 10  # remedies considered for combinations, best single ones first


def burden(result: CaseResult) -> float:
    """What is wrong, weighed: severity weight times certainty, over every diagnosis and
    weak signal."""
    return sum(c.rule.severity_weight * c.certainty
               for c in [*result.diagnoses, *result.weak_signals])


@dataclass
class PlanOption:
    remedies: list[str]
    actions: list[str]
    changes: dict[str, FactValue]
    removed: float
    clears: list[str] = field(default_factory=list)  # diagnosed before, not after
    reduces: list[str] = field(default_factory=list)  # still diagnosed, less certain
    introduces: list[str] = field(default_factory=list)  # diagnosed after only


@dataclass
class Plan:
    baseline: CaseResult
    options: list[PlanOption]
    unmodelled: list[str]  # remedies of the diagnoses that declare no changes


def _compare(before: CaseResult, after: CaseResult, option: PlanOption) -> None:
    was = {c.rule.id: c.certainty for c in before.diagnoses}
    now = {c.rule.id: c.certainty for c in after.diagnoses}
    option.removed = round(burden(before) - burden(after), 4)
    option.clears = sorted(set(was) - set(now))
    option.reduces = sorted(d for d in set(was) & set(now) if now[d] < was[d])
    option.introduces = sorted(set(now) - set(was))


def plan_case(diagnoser: Diagnoser, case: Case, max_combination: int = 2) -> Plan:
    baseline = diagnoser.diagnose(case)
    remedies: dict[str, tuple[str, dict[str, FactValue]]] = {}
    unmodelled: list[str] = []
    for conclusion in baseline.diagnoses:
        for remedy in conclusion.rule.remedies:
            if remedy.changes:
                remedies.setdefault(remedy.id, (remedy.action, remedy.changes))
            elif remedy.id not in unmodelled:
                unmodelled.append(remedy.id)
    unmodelled = [r for r in unmodelled if r not in remedies]

    def evaluate(ids: tuple[str, ...]) -> PlanOption | None:
        changes: dict[str, FactValue] = {}
        for remedy_id in ids:
            for fact, value in remedies[remedy_id][1].items():
                if changes.get(fact, value) != value:
                    return None  # the remedies pull one fact two ways
                changes[fact] = value
        option = PlanOption(list(ids), [remedies[r][0] for r in ids], changes, 0.0)
        _compare(baseline, diagnoser.diagnose(with_changes(case, changes)), option)
        return option

    singles = [o for o in (evaluate((r,)) for r in sorted(remedies)) if o]
    singles.sort(key=lambda o: (-o.removed, o.remedies))
    options = list(singles)
    removed = {tuple(o.remedies): o.removed for o in singles}
    paired = [o.remedies[0] for o in singles[:MAX_PAIRED]]
    for size in range(2, max_combination + 1):
        for ids in combinations(sorted(paired), size):
            option = evaluate(ids)
            if option is None:
                continue
            removed[ids] = option.removed
            # Worth listing only if it does more than any smaller set of its remedies:
            # otherwise one remedy does the work and the rest is padding.
            smaller = max(removed.get(sub, 0.0) for sub in combinations(ids, size - 1))
            if option.removed > smaller + 1e-9:
                options.append(option)
    options.sort(key=lambda o: (-o.removed, len(o.remedies), o.remedies))
    return Plan(baseline, options, unmodelled)
