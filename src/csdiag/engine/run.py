"""Run cases through a knowledge base's compiled rulesets inside durable_rules.

durable_rules does the matching: each case is asserted as a fact under its own
session id; conclusions of one stratum are asserted as facts into the rulesets of
later strata that join on them (forward chaining); every session's state is deleted
after the case, which keeps each ruleset far below durable_rules' limit of 1024 live
sessions. How much each match weighs, and what a stratum concludes, is the
reasoner's business (csdiag.reason): the engine only matches and forwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from itertools import groupby
from typing import Any

from csdiag.engine.compile import (
    CASE_ID,
    CONCLUDED,
    MATCHES_PER_CALL,
    REFUTED,
    CompiledRuleset,
    compile_knowledge_base,
    compile_probes,
    high,
    low,
)
from csdiag.engine.host import EngineHost
from csdiag.formats.errors import Problem, UserError
from csdiag.formats.located_yaml import YamlPath
from csdiag.formats.vocabulary import FactValue
from csdiag.i18n import gettext
from csdiag.model.knowledge_base import KnowledgeBase
from csdiag.model.outcome import (
    Bounds,
    CompiledBranch,
    EngineCase,
    EngineError,
    InconsistentOutcome,
    Match,
    RawOutcome,
    Reasoner,
    Status,
)

__all__ = ["Engine"]


# Cases that share one durable_rules session. Measured (bench/README.md): larger batches
# gain little past this, and a batch of 250 cases segfaulted durable 2.0.28 at 200 rules.
DEFAULT_BATCH_SIZE = 64
# Set to 1 to run one case per session (the path before batching), e.g. to compare.
BATCH_SIZE_VARIABLE = "CSDIAG_ENGINE_BATCH"


def batch_size_from_environment() -> int:
    text = os.environ.get(BATCH_SIZE_VARIABLE, "")
    if not text:
        return DEFAULT_BATCH_SIZE
    if not text.isdigit() or not 1 <= int(text) <= MATCHES_PER_CALL:
        raise UserError([Problem(BATCH_SIZE_VARIABLE, None, None, gettext(
            "'{value}' is not a batch size").format(value=text), gettext(
            "set it to a whole number from 1 to {most}, or unset it").format(
                most=MATCHES_PER_CALL))])
    return int(text)


class Engine:
    """A knowledge base compiled into durable_rules rulesets, and the host that runs them.

    Cases run in batches: `batch_size` cases (default: $CSDIAG_ENGINE_BATCH, else
    DEFAULT_BATCH_SIZE) share one durable session, each fact carrying its case's id, and
    every durable rule hands its matches for the whole batch to one callback (`cap`).
    batch_size=1 runs one case per session."""

    def __init__(self, kb: KnowledgeBase, reasoner: Reasoner,
                 rulesets: list[CompiledRuleset] | None = None,
                 batch_size: int | None = None):
        self.kb = kb
        self.reasoner = reasoner
        self.batch_size = batch_size or batch_size_from_environment()
        self.rulesets = rulesets if rulesets is not None else compile_knowledge_base(kb)
        self.host = EngineHost()
        self.host.register(self.rulesets)
        self._strata = [list(group) for _, group in
                        groupby(self.rulesets, key=lambda r: r.stratum)]
        self._probes: dict[tuple[str, ...], list[CompiledRuleset]] = {}

    def run(self, facts: dict[str, FactValue], confidence: dict[str, float] | None = None,
            bounds: Bounds | None = None) -> RawOutcome:
        """Diagnose one set of facts; `confidence` marks facts that are estimates (0..1),
        `bounds` number facts known only by a bound or a range (at least, at most)."""
        return self.run_many([EngineCase(facts, confidence or {}, bounds or {})])[0]

    def run_many(self, cases: Sequence[EngineCase]) -> list[RawOutcome]:
        """Diagnose several cases, batch_size at a time; outcomes in the order given."""
        return [outcome for batch in self._batches(cases)
                for outcome in self._run_batch(batch)]

    def _batches(self, cases: Sequence[EngineCase]) -> Iterator[Sequence[EngineCase]]:
        for start in range(0, len(cases), self.batch_size):
            yield cases[start:start + self.batch_size]

    def _run_batch(self, batch: Sequence[EngineCase]) -> list[RawOutcome]:
        outcomes = [RawOutcome() for _ in batch]
        with self.host.session() as sid:
            for stratum in self._strata:
                matches: list[list[Match]] = [[] for _ in batch]
                for ruleset in stratum:
                    findings = [{CASE_ID: index, **finding}
                                for index, outcome in enumerate(outcomes)
                                for finding in _forwarded(ruleset, outcome)]
                    found = self.host.consult(
                        ruleset, sid, [_case_fact(ruleset, case) for case in batch], findings)
                    for index, branches in enumerate(found):
                        matches[index] += [Match(branch, _finding_certainty(branch, bound))
                                           for branch, bound in branches]
                        outcomes[index].rulesets_consulted += 1
                for case, outcome, matched in zip(batch, outcomes, matches, strict=True):
                    try:
                        self.reasoner.settle(matched, case.confidence, outcome)
                    except InconsistentOutcome as error:
                        raise EngineError(str(error)) from error
        return outcomes

    def probe_many(self, rule_ids: list[str], cases: Sequence[EngineCase]
                   ) -> list[dict[tuple[str, YamlPath], Status]]:
        """For explanations: whether each condition on facts of these rules holds or fails
        on each case (absent: unknown), as durable_rules matches one probe rule per
        condition and polarity; batch_size cases at a time."""
        key = tuple(sorted(set(rule_ids)))
        if key not in self._probes:  # compiled once per set of rules, not once per case
            self._probes[key] = compile_probes(self.kb, list(key))
            self.host.register(self._probes[key])
        truths: list[dict[tuple[str, YamlPath], Status]] = []
        for batch in self._batches(cases):
            batch_truths: list[dict[tuple[str, YamlPath], Status]] = [{} for _ in batch]
            with self.host.session() as sid:
                for ruleset in self._probes[key]:
                    found = self.host.consult(
                        ruleset, sid, [_case_fact(ruleset, case) for case in batch], [])
                    for truth, branches in zip(batch_truths, found, strict=True):
                        for branch, _ in branches:
                            truth[(branch.rule_id, branch.conjunct[0].path)] = (
                                Status.HOLDS if branch.fires else Status.FAILS)
            truths += batch_truths
        return truths

    def close(self) -> None:
        """Give the rulesets' memory back to durable_rules; the engine is unusable after."""
        self.host.close()


def _case_fact(ruleset: CompiledRuleset, case: EngineCase) -> dict[str, Any]:
    """The case's facts this ruleset reads; a number fact as its interval's two ends."""
    case_fact: dict[str, Any] = {}
    facts = case.facts
    for fact in ruleset.facts:
        if fact not in ruleset.numeric:
            if fact in facts:
                case_fact[fact] = facts[fact]
            continue
        least, most = (facts[fact], facts[fact]) if fact in facts else case.bounds.get(
            fact, (None, None))
        if least is not None:
            case_fact[low(fact)] = least
        if most is not None:
            case_fact[high(fact)] = most
    return case_fact


def _forwarded(ruleset: CompiledRuleset, outcome: RawOutcome) -> list[dict[str, Any]]:
    """The conclusions of earlier strata this ruleset joins on, as facts."""
    findings: list[dict[str, Any]] = []
    for finding, holds in sorted(ruleset.joins):
        if holds and finding in outcome.concluded:
            findings.append({"kind": CONCLUDED, "finding": finding,
                             "cf": outcome.concluded[finding]})
        elif not holds and finding in outcome.refuted:
            findings.append({"kind": REFUTED, "finding": finding,
                             "cf": outcome.refuted[finding]})
    return findings


def _finding_certainty(branch: CompiledBranch, bound: dict[str, Any]) -> dict[str, float]:
    """How certain each joined finding is (concluded) or how strongly it was ruled out."""
    # The compiler binds joined findings as f0, f1, ... in branch.joins order.
    return {join.finding if join.holds else f"{join.finding} ruled out":
            float(bound[f"f{i}"]["cf"]) for i, join in enumerate(branch.joins)}
