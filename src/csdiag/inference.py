"""Run a case through the compiled rulesets inside durable_rules.

durable_rules does the matching: each case is asserted as a fact under its own
session id; the actions record which branch matched; conclusions of one stratum
are asserted as facts into the rulesets of later strata that join on them
(forward chaining); every session's state is deleted after the case, which keeps
each ruleset far below durable_rules' limit of 1024 live sessions.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from durable import engine as durable_engine

from csdiag.compile_rulesets import CASE, CONCLUDED, REFUTED, CompiledBranch, CompiledRuleset
from csdiag.load_rules import KnowledgeBase
from csdiag.vocabulary import FactValue


class _QuietHost(durable_engine.Host):
    """A Host without the background dispatch threads, which cause intermittent
    'error code: 307' over a few thousand cases; csdiag uses no timers."""

    def _run(self) -> None:
        return None


class EngineError(RuntimeError):
    """durable_rules failed on input that validation accepted: a defect in csdiag."""


@dataclass
class Firing:
    branch: CompiledBranch
    certainty: float
    finding_certainties: dict[str, float]


@dataclass
class RawOutcome:
    """What durable_rules concluded for one case, before it is turned into a report."""

    firings: list[Firing] = field(default_factory=list)
    concluded: dict[str, float] = field(default_factory=dict)  # rule id -> certainty
    refuted: set[str] = field(default_factory=set)
    rulesets_consulted: int = 0


_host: _QuietHost | None = None
_registered: set[str] = set()
_lock = threading.Lock()
_session_ids = itertools.count(1)


def _host_with(rulesets: list[CompiledRuleset], action: Callable[[str, Any], None]) -> _QuietHost:
    """The process-wide host, with these rulesets registered once."""
    global _host
    with _lock:
        if _host is None:
            _host = _QuietHost()
        todo = {}
        for ruleset in rulesets:
            if ruleset.name in _registered:
                continue
            definition = {}
            for rule_name, body in ruleset.definition.items():
                definition[rule_name] = {**body, "run": _bind(action, ruleset.name, rule_name)}
            todo[ruleset.name] = definition
        if todo:
            _host.register_rulesets(todo)
            _registered.update(todo)
        return _host


def _bind(action: Callable[[str, Any], None], ruleset: str, rule: str) -> Callable[[Any], None]:
    key = f"{ruleset}/{rule}"

    def run(closure: Any) -> None:
        action(key, closure)

    return run


class _Recorder:
    """Where every durable action lands: what each ruleset/rule name means, and the
    matches of the case being run."""

    def __init__(self) -> None:
        self.branches: dict[str, CompiledBranch] = {}
        self.current: list[tuple[str, dict[str, Any]]] | None = None

    def record(self, key: str, closure: Any) -> None:
        # Kept trivial: durable_rules can swallow exceptions raised in an action.
        if self.current is not None:
            self.current.append((key, dict(closure._m)))


_recorder = _Recorder()


class InferenceEngine:
    """Holds the compiled rulesets and runs cases through them, one at a time."""

    def __init__(self, kb: KnowledgeBase, rulesets: list[CompiledRuleset]):
        self.kb = kb
        self.rulesets = rulesets
        for ruleset in rulesets:
            for rule_name, branch in ruleset.branches.items():
                _recorder.branches[f"{ruleset.name}/{rule_name}"] = branch
        self.host = _host_with(rulesets, _recorder.record)

    def run(self, facts: dict[str, FactValue]) -> RawOutcome:
        with _lock:
            return self._run(facts)

    def _run(self, facts: dict[str, FactValue]) -> RawOutcome:
        outcome = RawOutcome()
        sid = str(next(_session_ids))
        stratum_firings: list[Firing] = []
        current_stratum = None
        for ruleset in self.rulesets:
            if ruleset.stratum != current_stratum:
                self._settle(stratum_firings, outcome)
                stratum_firings = []
                current_stratum = ruleset.stratum
            matched: list[tuple[str, dict[str, Any]]] = []
            _recorder.current = matched
            session_created = False
            try:
                case_fact: dict[str, Any] = {"sid": sid, "kind": CASE}
                case_fact.update((f, facts[f]) for f in ruleset.facts if f in facts)
                self.host.assert_fact(ruleset.name, case_fact)
                session_created = True
                for finding, holds in sorted(ruleset.joins):
                    if holds and finding in outcome.concluded:
                        self.host.assert_fact(ruleset.name, {
                            "sid": sid, "kind": CONCLUDED, "id": finding,
                            "cf": outcome.concluded[finding]})
                    elif not holds and finding in outcome.refuted:
                        self.host.assert_fact(ruleset.name,
                                              {"sid": sid, "kind": REFUTED, "id": finding})
            except Exception as error:  # durable_rules raises bare Exception with a code
                raise EngineError(f"durable_rules failed in ruleset {ruleset.name}: {error}") \
                    from error
            finally:
                _recorder.current = None
                # delete_state on a session durable_rules never handled segfaults.
                if session_created:
                    self.host.delete_state(ruleset.name, sid)
            outcome.rulesets_consulted += 1
            for key, matched_facts in matched:
                branch = _recorder.branches.get(key)
                if branch is None:
                    continue  # the opener, which fires on every case
                certainties = {join.finding: float(matched_facts[f"f{i}"]["cf"])
                               for i, join in enumerate(branch.joins) if join.holds}
                rule = self.kb.rules[branch.rule_id]
                # A conclusion is no more certain than the weakest finding it rests on.
                certainty = (rule.certainty * min(certainties.values(), default=1.0)
                             if branch.fires else 1.0)
                stratum_firings.append(Firing(branch, certainty, certainties))
        self._settle(stratum_firings, outcome)
        return outcome

    @staticmethod
    def _settle(firings: list[Firing], outcome: RawOutcome) -> None:
        """Fix the conclusions of a finished stratum, so later strata can join on them."""
        for firing in firings:
            outcome.firings.append(firing)
            rule_id = firing.branch.rule_id
            if firing.branch.fires:
                outcome.concluded[rule_id] = max(outcome.concluded.get(rule_id, 0.0),
                                                 firing.certainty)
            else:
                outcome.refuted.add(rule_id)
        both = set(outcome.concluded) & outcome.refuted
        if both:
            raise EngineError(f"rules both concluded and ruled out: {sorted(both)}")
