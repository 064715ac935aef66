"""Two assessments of one organisation, compared: what cleared, what is new, what changed
in certainty, which facts changed, and which remedies of the first assessment's
diagnoses were carried out (their declared `changes` hold in the second and did not in
the first). Pure: it reads two reports, and diagnoses nothing itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from csdiag.formats.case import KnownFact
from csdiag.formats.rule import Remedy, Rule
from csdiag.formats.vocabulary import FactDefinition, FactValue, Vocabulary
from csdiag.i18n import gettext
from csdiag.model.logic import Comparison, Graded, atoms
from csdiag.model.outcome import Verdict
from csdiag.reason.diagnosis import CaseResult
from csdiag.reason.severity import severity_weighted


class Progress(StrEnum):
    """How far a remedy's declared changes were made between the two assessments."""

    CARRIED_OUT = "carried_out"  # every change holds now, and one at least did not before
    PARTLY = "partly"  # some change that did not hold before holds now; not all do
    IN_PLACE = "in_place"  # every change holds now; the first assessment did not say


@dataclass
class CauseChange:
    """One cause in both reports: where it stood (a Verdict) and its certainty."""

    rule: Rule
    old: Verdict
    new: Verdict
    old_certainty: float
    new_certainty: float

    @property
    def difference(self) -> float:
        return round(self.new_certainty - self.old_certainty, 4)


@dataclass
class FactChange:
    """A fact whose value differs: None on a side where the case does not give it."""

    fact: str
    definition: FactDefinition
    old: KnownFact | None
    new: KnownFact | None


@dataclass
class ChangeCheck:
    """One fact a remedy declares it changes: whether it held in each assessment (None:
    the case does not say)."""

    fact: str
    definition: FactDefinition
    target: FactValue
    direction: int  # a number: 1, the remedy raises it to the target; -1 lowers it; 0 sets it
    before: bool | None
    now: bool | None
    old: KnownFact | None
    new: KnownFact | None


@dataclass
class RemedyProgress:
    remedy: Remedy
    progress: Progress
    addresses: list[str]  # the first assessment's diagnoses it is a remedy of
    changes: list[ChangeCheck]


@dataclass
class CaseComparison:
    """OLD and NEW compared. Causes are listed most weighty first; facts by name."""

    old: CaseResult
    new: CaseResult
    cleared: list[CauseChange] = field(default_factory=list)  # diagnosed before, ruled out now
    # Diagnosed before; now a weak signal or not assessable: not shown to have cleared
    # (the new assessment may simply not say, or say it only by estimates).
    unsettled: list[CauseChange] = field(default_factory=list)
    appeared: list[CauseChange] = field(default_factory=list)  # diagnosed now, not before
    persisting: list[CauseChange] = field(default_factory=list)  # diagnosed in both
    # Diagnoses in both, and weak signals in either, whose certainty moved.
    changed: list[CauseChange] = field(default_factory=list)
    facts: list[FactChange] = field(default_factory=list)
    remedies: list[RemedyProgress] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def language(self) -> str:
        return self.new.language

    @property
    def burden_before(self) -> float:
        """Severity-weighted certainty (csdiag.reason.severity), before."""
        return severity_weighted(self.old)

    @property
    def burden_now(self) -> float:
        return severity_weighted(self.new)


def standings(result: CaseResult) -> dict[str, tuple[Verdict, float, Rule]]:
    """Where each diagnosis of the knowledge base stands in a report, with its certainty
    (a partial signal is a weak signal; a ruled-out or unassessed cause has 0)."""
    found: dict[str, tuple[Verdict, float, Rule]] = {}
    for c in result.diagnoses:
        found[c.rule.id] = (Verdict.DIAGNOSED, c.certainty, c.rule)
    for c in result.weak_signals:
        found[c.rule.id] = (Verdict.WEAK_SIGNAL, c.certainty, c.rule)
    for u in result.undetermined:
        found[u.rule.id] = ((Verdict.WEAK_SIGNAL, u.certainty, u.rule) if u.is_weak_signal
                            else (Verdict.NOT_ASSESSABLE, 0.0, u.rule))
    for c in result.ruled_out:
        found[c.rule.id] = (Verdict.RULED_OUT, 0.0, c.rule)
    return found


def _moved(old: float, new: float) -> bool:
    """A change as reports show certainties, to two decimals."""
    return round(old, 2) != round(new, 2)


def _same(old: KnownFact, new: KnownFact) -> bool:
    return (old.value, old.at_least, old.at_most) == (new.value, new.at_least, new.at_most) \
        and type(old.value) is type(new.value)


def _direction(target: FactValue, old: KnownFact | None, rule: Rule | None,
               fact: str) -> int:
    """Which way a remedy moves a number: from the first assessment's value towards the
    target; else against the side on which the rule's condition holds (a rule that fires
    on few training days is remedied by more); 0 when neither says."""
    if isinstance(target, bool) or not isinstance(target, (int, float)):
        return 0
    if old is not None and old.value is not None and not isinstance(old.value, bool):
        value = float(old.value)
        return (target > value) - (target < value)
    ways = set()
    for atom in atoms(rule.condition) if rule is not None else []:
        if isinstance(atom, Comparison) and atom.fact == fact and atom.op in ("lt", "le"):
            ways.add(1)
        elif isinstance(atom, Comparison) and atom.fact == fact and atom.op in ("gt", "ge"):
            ways.add(-1)
        elif isinstance(atom, Graded) and atom.fact == fact:
            ways.add(-1 if atom.rising else 1)
    return ways.pop() if len(ways) == 1 else 0


def holds(known: KnownFact | None, target: FactValue, direction: int) -> bool | None:
    """Whether a case's fact meets a remedy's declared change: the same value, or for a
    number moved one way (`direction` 1: up to it, -1: down to it), that far or further;
    None when the case does not say (or its range straddles the target)."""
    if known is None:
        return None
    numeric = isinstance(target, (int, float)) and not isinstance(target, bool)
    if not numeric or direction == 0:
        if known.value is not None:
            if isinstance(target, bool) or isinstance(known.value, bool):
                return known.value is target  # true is not 1
            return known.value == target
        low, high = known.at_least, known.at_most
        if numeric and ((low is not None and low > target) or  # type: ignore[operator]
                        (high is not None and high < target)):  # type: ignore[operator]
            return False
        return None
    number = float(target)
    if known.value is not None:
        value = float(known.value)
        return value >= number if direction > 0 else value <= number
    low, high = known.at_least, known.at_most
    near, far = (low, high) if direction > 0 else (high, low)
    if near is not None and (near >= number if direction > 0 else near <= number):
        return True
    if far is not None and (far < number if direction > 0 else far > number):
        return False
    return None


def _remedy_progress(old: CaseResult, new: CaseResult,
                     vocabulary: Vocabulary) -> list[RemedyProgress]:
    """The remedies of the first assessment's diagnoses, in its report's order, whose
    declared changes were made (or are in place now without the first saying)."""
    found: dict[str, tuple[Remedy, Rule, list[str]]] = {}
    for conclusion in old.diagnoses:
        for remedy in conclusion.rule.remedies:
            entry = found.setdefault(remedy.id, (remedy, conclusion.rule, []))
            entry[2].append(conclusion.rule.id)
    order = {r.id: n for n, r in enumerate(old.remedies)}
    progress = []
    for remedy, rule, addresses in sorted(found.values(),
                                          key=lambda e: (order.get(e[0].id, len(order)),
                                                         e[0].id)):
        checks = []
        for fact, target in remedy.changes.items():
            if fact not in vocabulary:
                continue
            before_fact, now_fact = old.case.facts.get(fact), new.case.facts.get(fact)
            direction = _direction(target, before_fact, rule, fact)
            checks.append(ChangeCheck(fact, vocabulary[fact], target, direction,
                                      holds(before_fact, target, direction),
                                      holds(now_fact, target, direction), before_fact,
                                      now_fact))
        if not checks:
            continue  # it declares no change: whether it was made cannot be seen
        made = [c for c in checks if c.before is False and c.now is True]
        every = all(c.now is True for c in checks)
        if every and made:
            state = Progress.CARRIED_OUT
        elif made:
            state = Progress.PARTLY
        elif every and not all(c.before is True for c in checks):
            state = Progress.IN_PLACE
        else:
            continue
        progress.append(RemedyProgress(remedy, state, addresses, checks))
    return progress


def _as_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _warnings(old: CaseResult, new: CaseResult) -> list[str]:
    warnings = []
    if old.case.id != new.case.id:
        warnings.append(gettext(
            "the two cases have different case ids ('{old}' and '{new}'): are they the same "
            "organisation?").format(old=old.case.id, new=new.case.id))
    before, now = _as_date(old.case.date), _as_date(new.case.date)
    if before is not None and now is not None and now < before:
        warnings.append(gettext(
            "NEW is dated {new}, before OLD ({old}): were they given in the wrong "
            "order?").format(new=new.case.date, old=old.case.date))
    return warnings


def compare_results(old: CaseResult, new: CaseResult,
                    vocabulary: Vocabulary) -> CaseComparison:
    """OLD and NEW, two reports on one organisation, compared."""
    comparison = CaseComparison(old, new, warnings=_warnings(old, new))
    was, now = standings(old), standings(new)
    for rule_id in sorted(set(was) | set(now)):
        rule = (now.get(rule_id) or was[rule_id])[2]
        old_verdict, old_certainty, _ = was.get(rule_id, (Verdict.NOT_ASSESSABLE, 0.0, rule))
        new_verdict, new_certainty, _ = now.get(rule_id, (Verdict.NOT_ASSESSABLE, 0.0, rule))
        change = CauseChange(rule, old_verdict, new_verdict, old_certainty, new_certainty)
        before, after = old_verdict is Verdict.DIAGNOSED, new_verdict is Verdict.DIAGNOSED
        if before and not after:
            (comparison.cleared if new_verdict is Verdict.RULED_OUT
             else comparison.unsettled).append(change)
        elif after and not before:
            comparison.appeared.append(change)
        elif before and after:
            comparison.persisting.append(change)
            if _moved(old_certainty, new_certainty):
                comparison.changed.append(change)
        elif Verdict.WEAK_SIGNAL in (old_verdict, new_verdict) and _moved(old_certainty,
                                                                           new_certainty):
            comparison.changed.append(change)
    comparison.cleared.sort(key=lambda c: (-c.rule.severity_weight * c.old_certainty,
                                           c.rule.id))
    comparison.unsettled.sort(key=lambda c: (-c.rule.severity_weight * c.old_certainty,
                                             c.rule.id))
    comparison.appeared.sort(key=lambda c: (-c.rule.severity_weight * c.new_certainty,
                                            c.rule.id))
    comparison.persisting.sort(key=lambda c: (-c.rule.severity_weight * c.new_certainty,
                                              c.rule.id))
    comparison.changed.sort(key=lambda c: (-abs(c.difference), c.rule.id))
    for fact in sorted(set(old.case.facts) | set(new.case.facts)):
        before_fact, now_fact = old.case.facts.get(fact), new.case.facts.get(fact)
        if before_fact is not None and now_fact is not None and _same(before_fact, now_fact):
            continue
        if fact in vocabulary:
            comparison.facts.append(FactChange(fact, vocabulary[fact], before_fact, now_fact))
    comparison.remedies = _remedy_progress(old, new, vocabulary)
    return comparison
