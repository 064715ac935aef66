"""What a set of atoms allows for each fact: used by lint to find conditions that can
never hold together, and conditions that imply others. Static analysis of rule text,
never used to diagnose a case."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from csdiag.formats.vocabulary import FactDefinition, FactValue, Vocabulary
from csdiag.model.logic import Atom, Band, Comparison, FindingRef, Graded, Known, Membership

INF = float("inf")


@dataclass
class Allowed:
    """The values one fact may take under some atoms: an interval with holes, or a set."""

    low: float = -INF
    low_open: bool = False
    high: float = INF
    high_open: bool = False
    values: set[FactValue] | None = None  # for enum and boolean facts, and `in`
    excluded: set[FactValue] = field(default_factory=set)
    must_be_known: bool = False
    must_be_unknown: bool = False

    def empty(self) -> bool:
        if self.must_be_known and self.must_be_unknown:
            return True
        if self.values is not None:
            return not any(self._in_interval(v) for v in self.values - self.excluded)
        if self.low > self.high or (self.low == self.high and (self.low_open or self.high_open)):
            return True
        return self.low == self.high and self.low in self.excluded

    def _in_interval(self, value: FactValue) -> bool:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return True
        above = value > self.low or (value == self.low and not self.low_open)
        below = value < self.high or (value == self.high and not self.high_open)
        return above and below

    def _raise_low(self, number: float, open_: bool) -> None:
        if number > self.low or (number == self.low and open_):
            self.low, self.low_open = number, open_

    def _lower_high(self, number: float, open_: bool) -> None:
        if number < self.high or (number == self.high and open_):
            self.high, self.high_open = number, open_

    def apply(self, atom: Comparison | Membership | Known | Band | Graded) -> None:
        if isinstance(atom, Graded):  # holds (with some weight) anywhere past its start
            atom = Comparison(atom.fact, "gt" if atom.rising else "lt", atom.start)
        if isinstance(atom, Band):
            self.must_be_known = True
            if atom.low is not None:
                self._raise_low(atom.low, atom.low_open)
            if atom.high is not None:
                self._lower_high(atom.high, atom.high_open)
            return
        if isinstance(atom, Known):
            if atom.known:
                self.must_be_known = True
            else:
                self.must_be_unknown = True
            return
        self.must_be_known = True
        if isinstance(atom, Membership):
            if atom.included:
                chosen = set(atom.values)
                self.values = chosen if self.values is None else self.values & chosen
            else:
                self.excluded |= set(atom.values)
            return
        value = atom.value
        if atom.op == "eq":
            self.values = {value} if self.values is None else self.values & {value}
        elif atom.op == "ne":
            self.excluded.add(value)
        elif atom.op in ("gt", "ge"):
            self._raise_low(float(value), atom.op == "gt")
        elif atom.op in ("lt", "le"):
            self._lower_high(float(value), atom.op == "lt")


def _start(definition: FactDefinition) -> Allowed:
    allowed = Allowed()
    if definition.type == "boolean":
        allowed.values = {True, False}
    elif definition.type == "enum":
        allowed.values = set(definition.values or [])
    else:
        low, high = definition.bounds()
        allowed.low = -INF if low is None else low
        allowed.high = INF if high is None else high
    return allowed


def contradiction(atoms: Iterable[Atom], vocabulary: Vocabulary) -> list[Atom] | None:
    """The atoms (all on one fact or finding) that cannot hold together, or None."""
    by_fact: dict[str, list[Comparison | Membership | Known | Band | Graded]] = {}
    findings: dict[str, list[FindingRef]] = {}
    for atom in atoms:
        if isinstance(atom, FindingRef):
            findings.setdefault(atom.finding, []).append(atom)
        else:
            by_fact.setdefault(atom.fact, []).append(atom)
    for fact, group in by_fact.items():
        allowed = _start(vocabulary[fact])
        for atom in group:
            allowed.apply(atom)
        if allowed.empty():
            return list(group)
    for group_refs in findings.values():
        if len({ref.holds for ref in group_refs}) == 2:
            return list(group_refs)
    return None


def implies(stronger: Atom, weaker: Atom, vocabulary: Vocabulary) -> bool:
    """Whether every case where `stronger` holds also makes `weaker` hold."""
    if stronger == weaker:
        return True
    if isinstance(stronger, (FindingRef, Graded)) or isinstance(weaker, (FindingRef, Band,
                                                                         Graded)):
        return False
    if stronger.fact != weaker.fact:
        return False
    if isinstance(weaker, Known):
        return weaker.known and isinstance(stronger, Comparison)
    if isinstance(stronger, Known):
        return False
    # `stronger` implies `weaker` when `stronger` and not-`weaker` cannot hold together.
    return contradiction([stronger, weaker.negated()], vocabulary) is not None


def conjunct_implies(stronger: frozenset[Atom], weaker: frozenset[Atom],
                     vocabulary: Vocabulary) -> bool:
    return all(any(implies(s, w, vocabulary) for s in stronger) for w in weaker)
