"""Conditions as a small algebra, and their three-valued disjunctive normal form.

A rule fires when one conjunct of dnf(condition, positive=True) holds on the
known facts, and is ruled out when one conjunct of dnf(condition,
positive=False) holds. Negation is pushed down to the atoms, where a negated
comparison is the opposite comparison on a *known* value, so an unknown fact
makes neither side hold. This is Kleene's strong three-valued logic; durable_rules
does the matching, this module only reshapes the condition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from itertools import product
from typing import Any, Union

from csdiag.formats.located_yaml import YamlPath

NEGATED_OP = {"eq": "ne", "ne": "eq", "gt": "le", "le": "gt", "lt": "ge", "ge": "lt"}
OP_SYMBOL = {"eq": "=", "ne": "≠", "gt": ">", "ge": "≥", "lt": "<", "le": "≤"}
Scalar = bool | int | float | str
MAX_CONJUNCTS = 32  # beyond this a rule is too tangled to read, and to compile compactly
# Inside its band a value is borderline, so it counts for at most half: 1/4 short of the
# line, 1/2 past it, and 1 beyond the band. A cause resting on a borderline value alone
# therefore stays a weak signal. Two bands, not more: each band is one more alternative
# (durable rule) for every rule that grades.
IN_BAND_CEILING = 0.5


def _described_once(describe: Callable[[Any], str]) -> Callable[[Any], str]:
    """describe(), worked out once per condition: explanations describe the same few
    conditions on every case. The text is kept beside the fields (a frozen dataclass
    compares and hashes by its fields alone)."""
    @wraps(describe)
    def once(self: Any) -> str:
        text: str | None = self.__dict__.get("_description")
        if text is None:
            text = describe(self)
            object.__setattr__(self, "_description", text)
        return text

    return once


@dataclass(frozen=True)
class Comparison:
    """A fact compared with one value: eq, ne, gt, ge, lt or le."""

    fact: str
    op: str
    value: Scalar
    threshold: str | None = None
    note: str | None = None
    path: YamlPath = field(default=(), compare=False)

    def negated(self) -> Comparison:
        return Comparison(self.fact, NEGATED_OP[self.op], self.value, self.threshold, self.note,
                          self.path)

    @_described_once
    def describe(self) -> str:
        text = f"{self.fact} {OP_SYMBOL[self.op]} {show_value(self.value)}"
        if self.threshold:
            text += f" ({self.threshold} threshold)"
        return text


@dataclass(frozen=True)
class Membership:
    """A fact's value is one of `values` (in), or, with `included` False, none of them
    (not_in)."""

    fact: str
    values: tuple[Scalar, ...]
    included: bool = True
    note: str | None = None
    path: YamlPath = field(default=(), compare=False)

    @property
    def op(self) -> str:
        return "in" if self.included else "not_in"

    def negated(self) -> Membership:
        return Membership(self.fact, self.values, not self.included, self.note, self.path)

    @_described_once
    def describe(self) -> str:
        shown = "[" + ", ".join(show_value(v) for v in self.values) + "]"
        return f"{self.fact} {'in' if self.included else 'not in'} {shown}"


@dataclass(frozen=True)
class Known:
    fact: str
    known: bool
    path: YamlPath = field(default=(), compare=False)

    def negated(self) -> Known:
        return Known(self.fact, not self.known, self.path)

    @_described_once
    def describe(self) -> str:
        return f"{self.fact} is {'known' if self.known else 'unknown'}"


@dataclass(frozen=True)
class FindingRef:
    """A reference to another rule's conclusion; `holds` False means 'was ruled out'."""

    finding: str
    holds: bool = True
    path: YamlPath = field(default=(), compare=False)

    def negated(self) -> FindingRef:
        return FindingRef(self.finding, not self.holds, self.path)

    @_described_once
    def describe(self) -> str:
        return f"{self.finding} {'concluded' if self.holds else 'ruled out'}"


@dataclass(frozen=True)
class Graded:
    """Evidence that grows across a range instead of flipping at one threshold: from no
    weight at `start` to full weight at `end` (rising when end > start, falling when
    end < start). Past `start` on the far side it is false. `line` is the threshold the
    band surrounds, when the rule wrote one (`gt: 12, band: [10, 15]`)."""

    fact: str
    start: float
    end: float
    threshold: str | None = None
    note: str | None = None
    path: YamlPath = field(default=(), compare=False)
    line: float | None = None
    line_op: str = ""  # gt, ge, lt or le: how the rule wrote the line

    @property
    def rising(self) -> bool:
        return self.end > self.start

    def false_side(self) -> Comparison:
        return Comparison(self.fact, "le" if self.rising else "ge", self.start, self.threshold,
                          self.note, self.path)

    def bands(self) -> list[Band]:
        """The range cut in two at the line (or, with no line, at its middle): borderline
        short of the line, borderline past it, then the full-weight side. durable_rules
        matches bands, so grading stays inside the engine."""
        split = self.line if self.line is not None else (self.start + self.end) / 2
        # Where the line itself falls: past it for ge and le, short of it for gt and lt.
        line_is_past = self.line_op in ("ge", "le")
        near, far = IN_BAND_CEILING / 2, IN_BAND_CEILING
        if self.rising:
            return [Band(self.fact, self.start, split, True, line_is_past, near, self.path),
                    Band(self.fact, split, self.end, not line_is_past, True, far, self.path),
                    Band(self.fact, self.end, None, False, True, 1.0, self.path)]
        return [Band(self.fact, split, self.start, line_is_past, True, near, self.path),
                Band(self.fact, self.end, split, True, not line_is_past, far, self.path),
                Band(self.fact, None, self.end, True, False, 1.0, self.path)]

    @_described_once
    def describe(self) -> str:
        if self.line is not None:
            low, high = sorted((self.start, self.end))
            text = (f"{self.fact} {OP_SYMBOL[self.line_op]} {show_value(self.line)}, "
                    f"graded over {show_value(low)}..{show_value(high)}")
        else:
            word = "rises" if self.rising else "falls"
            text = f"{self.fact} {word} from {show_value(self.start)} to {show_value(self.end)}"
        return text + (f" ({self.threshold} threshold)" if self.threshold else "")


@dataclass(frozen=True)
class Band:
    """One band of a Graded condition: the fact lies between `low` and `high`."""

    fact: str
    low: float | None
    high: float | None
    low_open: bool
    high_open: bool
    strength: float
    path: YamlPath = field(default=(), compare=False)

    @_described_once
    def describe(self) -> str:
        if self.high is None:
            where = f"{self.fact} {'>' if self.low_open else '≥'} {show_value(self.low)}"
        elif self.low is None:
            where = f"{self.fact} {'<' if self.high_open else '≤'} {show_value(self.high)}"
        else:
            where = (f"{self.fact} in {'(' if self.low_open else '['}{show_value(self.low)}, "
                     f"{show_value(self.high)}{')' if self.high_open else ']'}")
        return f"{where}, weight {self.strength:g}"


@dataclass(frozen=True)
class All:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class Any_:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    part: Condition


FactAtom = Union[Comparison, Membership, Known, Graded, Band]  # noqa: UP007
Atom = Union[FactAtom, FindingRef]  # noqa: UP007 - used at runtime
Condition = Union[Atom, All, Any_, Not]  # noqa: UP007
Conjunct = frozenset[Atom]
ON_FACTS = (Comparison, Membership, Known, Graded, Band)  # the atoms that read a fact


class TooComplex(ValueError):
    pass


def show_value(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text if len(text) <= 24 else text[:20] + "…"  # a 400-digit number, say


def dnf(condition: Condition, positive: bool = True) -> list[Conjunct]:
    """The conjuncts (sets of atoms, negation already applied) whose truth makes
    `condition` true (positive) or false (not positive) on known facts."""
    if isinstance(condition, Not):
        return dnf(condition.part, not positive)
    if isinstance(condition, Graded):
        if positive:
            return [frozenset([band]) for band in condition.bands()]
        return [frozenset([condition.false_side()])]
    if isinstance(condition, (Comparison, Membership, Known, FindingRef)):
        return [frozenset([condition if positive else condition.negated()])]
    assert isinstance(condition, (All, Any_)), condition  # bands come out of dnf, never in
    conjunctive = isinstance(condition, All) == positive  # De Morgan
    branches = [dnf(part, positive) for part in condition.parts]
    if conjunctive:
        result: list[Conjunct] = []
        for combination in product(*branches):
            result.append(frozenset().union(*combination))
            if len(result) > MAX_CONJUNCTS:
                raise TooComplex
    else:
        result = [conjunct for branch in branches for conjunct in branch]
    unique = list(dict.fromkeys(result))
    if len(unique) > MAX_CONJUNCTS:
        raise TooComplex
    return unique


def atoms(condition: Condition) -> list[Atom]:
    """Every atom in the condition, in the order written."""
    if isinstance(condition, (Comparison, Membership, Known, FindingRef, Graded)):
        return [condition]
    if isinstance(condition, Not):
        return atoms(condition.part)
    assert isinstance(condition, (All, Any_)), condition  # bands come out of dnf, never in
    return [atom for part in condition.parts for atom in atoms(part)]


def subject(atom: Atom) -> str:
    """What an atom reads: a fact's name, or a finding's rule id."""
    return atom.finding if isinstance(atom, FindingRef) else atom.fact


def findings_used(condition: Condition) -> set[str]:
    return {a.finding for a in atoms(condition) if isinstance(a, FindingRef)}
