"""Run cases through a knowledge base's compiled rulesets inside durable_rules.

durable_rules does the matching: each case is asserted as a fact under its own
session id; conclusions of one stratum are asserted as facts into the rulesets of
later strata that join on them (forward chaining); every session's state is deleted
after the case, which keeps each ruleset far below durable_rules' limit of 1024 live
sessions. How much each match weighs, and what a stratum concludes, is the
reasoner's business (csdiag.reason): the engine only matches and forwards.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from csdiag.engine.compile import (
    CONCLUDED,
    REFUTED,
    CompiledRuleset,
    compile_knowledge_base,
    compile_probes,
    high,
    low,
)
from csdiag.engine.host import EngineHost
from csdiag.formats.located_yaml import YamlPath
from csdiag.formats.vocabulary import FactValue
from csdiag.model.knowledge_base import KnowledgeBase
from csdiag.model.outcome import (
    Bounds,
    CompiledBranch,
    EngineError,
    InconsistentOutcome,
    Match,
    RawOutcome,
    Reasoner,
    Status,
)

__all__ = ["Engine"]


class Engine:
    """A knowledge base compiled into durable_rules rulesets, and the host that runs them."""

    def __init__(self, kb: KnowledgeBase, reasoner: Reasoner,
                 rulesets: list[CompiledRuleset] | None = None):
        self.kb = kb
        self.reasoner = reasoner
        self.rulesets = rulesets if rulesets is not None else compile_knowledge_base(kb)
        self.host = EngineHost()
        self.host.register(self.rulesets)
        self._strata = [list(group) for _, group in
                        groupby(self.rulesets, key=lambda r: r.stratum)]

    def run(self, facts: dict[str, FactValue], confidence: dict[str, float] | None = None,
            bounds: Bounds | None = None) -> RawOutcome:
        """Diagnose one set of facts; `confidence` marks facts that are estimates (0..1),
        `bounds` number facts known only by a bound or a range (at least, at most)."""
        outcome = RawOutcome()
        with self.host.session() as sid:
            for stratum in self._strata:
                matches: list[Match] = []
                for ruleset in stratum:
                    for branch, bound in self._consult(ruleset, sid, facts, bounds or {},
                                                       _forwarded(ruleset, outcome)):
                        matches.append(Match(branch, _finding_certainty(branch, bound)))
                    outcome.rulesets_consulted += 1
                try:
                    self.reasoner.settle(matches, confidence or {}, outcome)
                except InconsistentOutcome as error:
                    raise EngineError(str(error)) from error
        return outcome

    def _consult(self, ruleset: CompiledRuleset, sid: str, facts: dict[str, FactValue],
                 bounds: Bounds, findings: list[dict[str, Any]]
                 ) -> list[tuple[CompiledBranch, dict[str, Any]]]:
        case_fact: dict[str, Any] = {}
        for fact in ruleset.facts:
            if fact not in ruleset.numeric:
                if fact in facts:
                    case_fact[fact] = facts[fact]
                continue
            least, most = (facts[fact], facts[fact]) if fact in facts else bounds.get(
                fact, (None, None))
            if least is not None:
                case_fact[low(fact)] = least
            if most is not None:
                case_fact[high(fact)] = most
        return self.host.consult(ruleset, sid, case_fact, findings)

    def probe(self, rule_ids: list[str], facts: dict[str, FactValue],
              bounds: Bounds | None = None) -> dict[tuple[str, YamlPath], Status]:
        """For explanations: whether each condition on facts of these rules holds or fails
        on the facts (absent: unknown), as durable_rules matches one probe rule per
        condition and polarity."""
        probes = compile_probes(self.kb, rule_ids)
        self.host.register(probes)
        truth: dict[tuple[str, YamlPath], Status] = {}
        with self.host.session() as sid:
            for ruleset in probes:
                for branch, _ in self._consult(ruleset, sid, facts, bounds or {}, []):
                    truth[(branch.rule_id, branch.conjunct[0].path)] = (
                        Status.HOLDS if branch.fires else Status.FAILS)
        return truth

    def close(self) -> None:
        """Give the rulesets' memory back to durable_rules; the engine is unusable after."""
        self.host.close()


def _forwarded(ruleset: CompiledRuleset, outcome: RawOutcome) -> list[dict[str, Any]]:
    """The conclusions of earlier strata this ruleset joins on, as facts."""
    findings: list[dict[str, Any]] = []
    for finding, holds in sorted(ruleset.joins):
        if holds and finding in outcome.concluded:
            findings.append({"kind": CONCLUDED, "id": finding,
                             "cf": outcome.concluded[finding]})
        elif not holds and finding in outcome.refuted:
            findings.append({"kind": REFUTED, "id": finding, "cf": outcome.refuted[finding]})
    return findings


def _finding_certainty(branch: CompiledBranch, bound: dict[str, Any]) -> dict[str, float]:
    """How certain each joined finding is (concluded) or how strongly it was ruled out."""
    # The compiler binds joined findings as f0, f1, ... in branch.joins order.
    return {join.finding if join.holds else f"{join.finding} ruled out":
            float(bound[f"f{i}"]["cf"]) for i, join in enumerate(branch.joins)}
