"""durable_rules alone: csdiag's compiled rulesets driven straight through a durable host.

This is the engine part of csdiag's pipeline with everything else stripped: the
same ruleset definitions (registered under other names on a host of our own),
the same facts asserted in the same order, each session deleted after the case.
The actions only note which durable rule matched. Compared with csdiag's own
figure, it shows what csdiag's layers (weighing, settling, result building) cost.

Valid for packs in which every rule concludes itself with a positive certainty,
as generate_pack writes them: a rule is then concluded exactly when a branch of
it fires, and ruled out exactly when a refuting branch does.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from itertools import groupby
from typing import Any

from csdiag.engine.compile import CASE, CONCLUDED, REFUTED, CompiledRuleset, high, low
from csdiag.engine.host import _QuietHost
from csdiag.model.knowledge_base import KnowledgeBase
from csdiag.model.outcome import CompiledBranch

PREFIX = "bench-direct"


class DurableDirect:
    """Registers compiled rulesets on a fresh durable host and runs cases through them."""

    _instances = itertools.count()  # ruleset names must be new for every driver

    def __init__(self, kb: KnowledgeBase, rulesets: list[CompiledRuleset]):
        for rule in kb.rules.values():
            if not rule.is_primary or rule.certainty <= 0:
                raise ValueError(f"rule {rule.id}: the direct driver handles only rules that "
                                 "conclude themselves with a positive certainty")
        # The background dispatch threads of a stock Host cause intermittent error 307
        # (DURABLE-NOTES.md); csdiag's host without them is used for a fair comparison.
        self.host = _QuietHost()
        self.matched: list[str] = []
        self.meaning: dict[str, CompiledBranch] = {}
        prefix = f"{PREFIX}{next(self._instances)}"
        self.plan: list[list[tuple[str, CompiledRuleset]]] = []
        definitions: dict[str, dict[str, Any]] = {}
        for _, group in groupby(rulesets, key=lambda r: r.stratum):
            stage = []
            for ruleset in group:
                name = f"{prefix}-{ruleset.name}"
                definitions[name] = {
                    rule_name: {**body, "run": self._action(f"{name}/{rule_name}")}
                    for rule_name, body in ruleset.definition.items()}
                self.meaning.update((f"{name}/{rule_name}", branch)
                                    for rule_name, branch in ruleset.branches.items())
                stage.append((name, ruleset))
            self.plan.append(stage)
        self.host.register_rulesets(definitions)
        self._sessions = itertools.count(1)

    def _action(self, key: str) -> Callable[[Any], None]:
        matched = self.matched

        def run(_: Any) -> None:
            matched.append(key)

        return run

    def run(self, facts: Mapping[str, Any]) -> tuple[set[str], set[str]]:
        """The rules concluded and the rules ruled out for these facts."""
        sid = str(next(self._sessions))
        concluded: set[str] = set()
        refuted: set[str] = set()
        host, matched = self.host, self.matched
        for stage in self.plan:
            matched.clear()
            for name, ruleset in stage:
                case_fact = {"sid": sid, "kind": CASE}
                for fact in ruleset.facts:
                    if fact not in facts:
                        continue
                    if fact in ruleset.numeric:  # an exact number: an interval of one point
                        case_fact[low(fact)] = case_fact[high(fact)] = facts[fact]
                    else:
                        case_fact[fact] = facts[fact]
                host.assert_fact(name, case_fact)
                for finding, holds in sorted(ruleset.joins):
                    if holds and finding in concluded:
                        host.assert_fact(name, {"sid": sid, "kind": CONCLUDED, "id": finding,
                                                "cf": 1.0})
                    elif not holds and finding in refuted:
                        host.assert_fact(name, {"sid": sid, "kind": REFUTED, "id": finding})
                host.delete_state(name, sid)
            # A stratum's conclusions are fixed before the next stratum reads them.
            for key in matched:
                branch = self.meaning.get(key)  # None for the opener
                if branch is not None and branch.sign is None:  # signs: partial evidence
                    (concluded if branch.fires else refuted).add(branch.rule_id)
        return concluded, refuted
