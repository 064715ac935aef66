"""durable_rules alone: csdiag's compiled rulesets driven straight through a durable host.

This is the engine part of csdiag's pipeline with everything else stripped: the
same ruleset definitions (registered under other names on a host of our own), the
same facts asserted in the same order, in batches of cases as csdiag's engine runs
them (each case fact carries its place in the batch, each durable rule hands its
matches for the whole batch to one callback), each session deleted after the batch.
The host is csdiag's own (no dispatch threads; each action handed its matches as plain
dicts, read by orjson, where durable's own loop wraps each in Python objects). The
actions only note which durable rule matched for which case. Compared with
csdiag's own figure, it shows what csdiag's layers (weighing, settling, result
building) cost.

Valid for packs in which every rule concludes itself with a positive certainty,
as generate_pack writes them: a rule is then concluded exactly when a branch of
it fires, and ruled out exactly when a refuting branch does.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from itertools import groupby
from typing import Any

from csdiag.engine import run as engine_run
from csdiag.engine.compile import CASE, CASE_ID, CONCLUDED, REFUTED, CompiledRuleset, high, low
from csdiag.engine.host import _QuietHost
from csdiag.model.knowledge_base import KnowledgeBase
from csdiag.model.outcome import CompiledBranch

PREFIX = "bench-direct"
# csdiag's own batch size, so both run the same sessions.
BATCH_SIZE: int = getattr(engine_run, "DEFAULT_BATCH_SIZE", 1)
Sets = tuple[set[str], set[str]]  # (concluded, ruled out)


class DurableDirect:
    """Registers compiled rulesets on a fresh durable host and runs cases through them."""

    _instances = itertools.count()  # ruleset names must be new for every driver

    def __init__(self, kb: KnowledgeBase, rulesets: list[CompiledRuleset],
                 batch_size: int = BATCH_SIZE):
        for rule in kb.rules.values():
            if not rule.is_primary or rule.certainty <= 0:
                raise ValueError(f"rule {rule.id}: the direct driver handles only rules that "
                                 "conclude themselves with a positive certainty")
        self.batch_size = batch_size
        # The background dispatch threads of a stock Host cause intermittent error 307
        # (DURABLE-NOTES.md); csdiag's host without them is used for a fair comparison.
        self.host = _QuietHost()
        self.matched: list[tuple[str, int]] = []  # (ruleset/rule, case in the batch)
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
        self.host.register_exact(definitions)  # csdiag's own action loop, as csdiag runs it
        self._sessions = itertools.count(1)

    def _action(self, key: str) -> Callable[[Any], None]:
        matched = self.matched

        def run(matches: list[dict[str, Any]]) -> None:
            # Every compiled rule has a cap: its matches come as one list.
            matched.extend((key, match["c"][CASE_ID]) for match in matches)

        return run

    def run(self, facts: Mapping[str, Any]) -> Sets:
        """The rules concluded and the rules ruled out for these facts."""
        return self.run_many([facts])[0]

    def run_many(self, cases: Sequence[Mapping[str, Any]]) -> list[Sets]:
        """run() for each case, batch_size cases to a session."""
        found: list[Sets] = []
        for start in range(0, len(cases), self.batch_size):
            found += self._run_batch(cases[start:start + self.batch_size])
        return found

    def _run_batch(self, batch: Sequence[Mapping[str, Any]]) -> list[Sets]:
        sid = str(next(self._sessions))
        results: list[Sets] = [(set(), set()) for _ in batch]
        host, matched = self.host, self.matched
        for stage in self.plan:
            matched.clear()
            for name, ruleset in stage:
                case_facts = []
                for index, facts in enumerate(batch):
                    case_fact = {"sid": sid, "kind": CASE, CASE_ID: index}
                    for fact in ruleset.facts:
                        if fact not in facts:
                            continue
                        if fact in ruleset.numeric:  # an exact number: an interval of a point
                            case_fact[low(fact)] = case_fact[high(fact)] = facts[fact]
                        else:
                            case_fact[fact] = facts[fact]
                    case_facts.append(case_fact)
                host.assert_facts(name, case_facts)
                findings = []
                for index, (concluded, refuted) in enumerate(results):
                    for finding, holds in sorted(ruleset.joins):
                        if holds and finding in concluded:
                            findings.append({"sid": sid, "kind": CONCLUDED, CASE_ID: index,
                                             "finding": finding, "cf": 1.0})
                        elif not holds and finding in refuted:
                            findings.append({"sid": sid, "kind": REFUTED, CASE_ID: index,
                                             "finding": finding, "cf": 1.0})
                if findings:
                    host.assert_facts(name, findings)
                host.delete_state(name, sid)
            # A stratum's conclusions are fixed before the next stratum reads them.
            for key, index in matched:
                branch = self.meaning.get(key)  # None for the opener
                if branch is not None and branch.sign is None:  # signs: partial evidence
                    concluded, refuted = results[index]
                    (concluded if branch.fires else refuted).add(branch.rule_id)
        return results
