"""The benchmark's floor: csdiag's rules as plain Python closures.

Each rule's condition becomes a closure that evaluates Kleene's three-valued logic
over a dict of known facts and the statuses of findings decided so far (True
concluded, False ruled out, None undetermined). Rules run in csdiag's strata, so
every finding is decided before a rule reads it. No engine, no result building:
this is what the matching alone costs in Python.

Valid for packs in which every rule concludes itself with a positive certainty
(as generate_pack writes them): then a rule is concluded exactly when it fires.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from csdiag.formats.rule_pack import load_knowledge_base
from csdiag.model.knowledge_base import KnowledgeBase
from csdiag.model.logic import (
    All,
    Any_,
    Comparison,
    Condition,
    FindingRef,
    Known,
    Membership,
    Not,
)

Truth = bool | None
Facts = Mapping[str, Any]
Statuses = dict[str, Truth]
Test = Callable[[Facts, Statuses], Truth]

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq, "ne": operator.ne, "gt": operator.gt, "ge": operator.ge,
    "lt": operator.lt, "le": operator.le,
    "in": lambda value, options: value in options,
    "not_in": lambda value, options: value not in options,
}
_MISSING = object()


def compile_condition(condition: Condition) -> Test:
    """A closure returning True, False or None (unknown) for the condition."""
    if isinstance(condition, (Comparison, Membership)):
        fact, test = condition.fact, _OPS[condition.op]
        value = condition.values if isinstance(condition, Membership) else condition.value

        def compare(facts: Facts, _: Statuses) -> Truth:
            given = facts.get(fact, _MISSING)
            return None if given is _MISSING else test(given, value)

        return compare
    if isinstance(condition, Known):
        fact, known = condition.fact, condition.known
        return lambda facts, _: (fact in facts) == known  # never unknown
    if isinstance(condition, FindingRef):
        finding, holds = condition.finding, condition.holds

        def status(_: Facts, statuses: Statuses) -> Truth:
            truth = statuses.get(finding)
            return truth if truth is None or holds else not truth

        return status
    if isinstance(condition, Not):
        inner = compile_condition(condition.part)

        def negate(facts: Facts, statuses: Statuses) -> Truth:
            truth = inner(facts, statuses)
            return None if truth is None else not truth

        return negate
    if isinstance(condition, (All, Any_)):
        parts = tuple(compile_condition(p) for p in condition.parts)
        # All: a false part decides; Any: a true part decides. Otherwise any unknown part
        # leaves the whole unknown.
        decisive = not isinstance(condition, All)

        def combine(facts: Facts, statuses: Statuses) -> Truth:
            unknown = False
            for part in parts:
                truth = part(facts, statuses)
                if truth is decisive:
                    return decisive
                if truth is None:
                    unknown = True
            return None if unknown else not decisive

        return combine
    raise NotImplementedError(f"the closure floor does not handle {type(condition).__name__}")


class ClosureEngine:
    """Every rule of a knowledge base as a closure, run in stratum order."""

    def __init__(self, kb: KnowledgeBase):
        for rule in kb.rules.values():
            if not rule.is_primary or rule.certainty <= 0:
                raise ValueError(f"rule {rule.id}: the floor handles only rules that conclude "
                                 "themselves with a positive certainty")
        ordered = sorted(kb.rules.values(), key=lambda r: (kb.strata[r.id], r.id))
        self.tests = [(rule.id, compile_condition(rule.condition)) for rule in ordered]

    def run(self, facts: Facts) -> tuple[set[str], set[str]]:
        """The rules concluded and the rules ruled out for these facts."""
        statuses: Statuses = {}
        for rule_id, test in self.tests:
            statuses[rule_id] = test(facts, statuses)
        concluded = {r for r, truth in statuses.items() if truth is True}
        refuted = {r for r, truth in statuses.items() if truth is False}
        return concluded, refuted


def fired_counts(rules_folder: Path, cases: list[dict[str, Any]]) -> list[int]:
    """How many rules each case makes fire (diagnosed + findings concluded)."""
    engine = ClosureEngine(load_knowledge_base([rules_folder]))
    return [len(engine.run(case["facts"])[0]) for case in cases]
