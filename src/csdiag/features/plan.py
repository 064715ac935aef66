"""Remedy planning: re-diagnose the case as if remedies were carried out (each remedy may
declare the facts it changes) to show what each would remove. Single remedies keep the
one ranking diagnose uses (csdiag.reason.remedies); combinations are ranked by the
severity-weighted certainty they remove."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

from csdiag.formats.case import Case, with_changes
from csdiag.formats.vocabulary import FactValue
from csdiag.i18n import Text
from csdiag.reason.diagnosis import CaseResult, Diagnoser
from csdiag.reason.severity import severity_weighted

MAX_PAIRED = 10  # remedies considered for combinations, best single ones first


@dataclass
class PlanOption:
    remedies: list[str]
    actions: list[Text]
    changes: dict[str, FactValue]
    removed: float
    modelled: bool = True  # False: the remedy declares no facts it changes
    clears: list[str] = field(default_factory=list)  # diagnosed before, not after
    reduces: list[str] = field(default_factory=list)  # still diagnosed, less certain
    introduces: list[str] = field(default_factory=list)  # diagnosed after only


@dataclass
class Plan:
    baseline: CaseResult
    singles: list[PlanOption]  # every remedy of the report, in its order
    combinations: list[PlanOption]  # pairs that do more than either alone, best first

    @property
    def unmodelled(self) -> list[str]:
        """Remedies that declare no facts they change: their effect cannot be simulated."""
        return [o.remedies[0] for o in self.singles if not o.modelled]


def _compare(before: CaseResult, after: CaseResult, option: PlanOption) -> None:
    was = {c.rule.id: c.certainty for c in before.diagnoses}
    now = {c.rule.id: c.certainty for c in after.diagnoses}
    option.removed = round(severity_weighted(before) - severity_weighted(after), 4)
    option.clears = sorted(set(was) - set(now))
    option.reduces = sorted(d for d in set(was) & set(now) if now[d] < was[d])
    option.introduces = sorted(set(now) - set(was))


def plan_case(diagnoser: Diagnoser, case: Case, max_combination: int = 2) -> Plan:
    baseline = diagnoser.diagnose(case)
    declared = {shown.remedy.id: shown.remedy.changes for c in baseline.diagnoses
                for shown in c.remedies}

    def evaluate(ids: tuple[str, ...]) -> PlanOption | None:
        changes: dict[str, FactValue] = {}
        for remedy_id in ids:
            for fact, value in declared[remedy_id].items():
                if changes.get(fact, value) != value:
                    return None  # the remedies pull one fact two ways
                changes[fact] = value
        actions = [next(r.action for r in baseline.remedies if r.id == i) for i in ids]
        option = PlanOption(list(ids), actions, changes, 0.0)
        _compare(baseline, diagnoser.diagnose(with_changes(case, changes)), option)
        return option

    singles: list[PlanOption] = []
    for planned in baseline.remedies:  # the one ranking, as diagnose prints it
        option = evaluate((planned.id,)) if declared[planned.id] else None
        singles.append(option or PlanOption([planned.id], [planned.action], {}, 0.0,
                                            modelled=False))
    removed = {tuple(o.remedies): o.removed for o in singles if o.modelled}
    best = sorted((o for o in singles if o.modelled), key=lambda o: (-o.removed, o.remedies))
    paired = [o.remedies[0] for o in best[:MAX_PAIRED]]
    combos: list[PlanOption] = []
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
                combos.append(option)
    combos.sort(key=lambda o: (-o.removed, len(o.remedies), o.remedies))
    return Plan(baseline, singles, combos)
