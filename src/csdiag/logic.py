"""Conditions as a small algebra, and their three-valued disjunctive normal form.

A rule fires when one conjunct of dnf(condition, positive=True) holds on the
known facts, and is ruled out when one conjunct of dnf(condition,
positive=False) holds. Negation is pushed down to the atoms, where a negated
comparison is the opposite comparison on a *known* value, so an unknown fact
makes neither side hold. This is Kleene's strong three-valued logic; durable_rules
does the matching, this module only reshapes the condition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product
from typing import Union

from csdiag.read_yaml import YamlPath

NEGATED_OP = {"eq": "ne", "ne": "eq", "gt": "le", "le": "gt", "lt": "ge", "ge": "lt",
              "in": "not_in", "not_in": "in"}
OP_SYMBOL = {"eq": "=", "ne": "≠", "gt": ">", "ge": "≥", "lt": "<", "le": "≤", "in": "in",
             "not_in": "not in"}
MAX_CONJUNCTS = 32  # beyond this a rule is too tangled to read, and to compile compactly


@dataclass(frozen=True)
class Comparison:
    fact: str
    op: str
    value: bool | int | float | str | tuple[bool | int | float | str, ...]
    threshold: str | None = None
    note: str | None = None
    path: YamlPath = field(default=(), compare=False)

    def negated(self) -> Comparison:
        return Comparison(self.fact, NEGATED_OP[self.op], self.value, self.threshold, self.note,
                          self.path)

    def describe(self) -> str:
        value = self.value
        if isinstance(value, tuple):
            shown = "[" + ", ".join(_show(v) for v in value) + "]"
        else:
            shown = _show(value)
        text = f"{self.fact} {OP_SYMBOL[self.op]} {shown}"
        if self.threshold:
            text += f" ({self.threshold} threshold)"
        return text


@dataclass(frozen=True)
class Known:
    fact: str
    known: bool
    path: YamlPath = field(default=(), compare=False)

    def negated(self) -> Known:
        return Known(self.fact, not self.known, self.path)

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

    def describe(self) -> str:
        return f"{self.finding} {'concluded' if self.holds else 'ruled out'}"


@dataclass(frozen=True)
class All:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class Any_:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    part: Condition


Atom = Union[Comparison, Known, FindingRef]  # noqa: UP007 - used at runtime in isinstance
Condition = Union[Atom, All, Any_, Not]  # noqa: UP007
Conjunct = frozenset[Atom]


class TooComplex(ValueError):
    pass


def _show(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def dnf(condition: Condition, positive: bool = True) -> list[Conjunct]:
    """The conjuncts (sets of atoms, negation already applied) whose truth makes
    `condition` true (positive) or false (not positive) on known facts."""
    if isinstance(condition, Not):
        return dnf(condition.part, not positive)
    if isinstance(condition, (Comparison, Known, FindingRef)):
        return [frozenset([condition if positive else condition.negated()])]
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
    if isinstance(condition, (Comparison, Known, FindingRef)):
        return [condition]
    if isinstance(condition, Not):
        return atoms(condition.part)
    return [atom for part in condition.parts for atom in atoms(part)]


def facts_used(condition: Condition) -> set[str]:
    return {a.fact for a in atoms(condition) if isinstance(a, (Comparison, Known))}


def findings_used(condition: Condition) -> set[str]:
    return {a.finding for a in atoms(condition) if isinstance(a, FindingRef)}
