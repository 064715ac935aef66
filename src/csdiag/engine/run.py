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

from csdiag.engine.compile import CASE, CONCLUDED, REFUTED, CompiledBranch, CompiledRuleset
from csdiag.formats.rule_pack import KnowledgeBase
from csdiag.formats.vocabulary import FactValue
from csdiag.model.logic import Band, Known
from csdiag.reason.certainty import combine, weighed


class _QuietHost(durable_engine.Host):
    """A Host without the background dispatch threads, which cause intermittent
    'error code: 307' over a few thousand cases; csdiag uses no timers."""

    def _run(self) -> None:
        return None


class EngineError(RuntimeError):
    """durable_rules failed on input that validation accepted: a defect in csdiag."""


@dataclass
class Firing:
    """One durable rule that matched: a branch of a csdiag rule, with what it weighed."""

    branch: CompiledBranch
    certainty: float  # signed; 1.0 for a branch that rules its rule out
    weights: dict[str, float]  # what scaled it: findings, graded bands, estimated facts


@dataclass
class RawOutcome:
    """What durable_rules concluded for one case, before it is turned into a report."""

    firings: list[Firing] = field(default_factory=list)
    concluded: dict[str, float] = field(default_factory=dict)  # conclusion -> combined cf
    refuted: set[str] = field(default_factory=set)  # conclusions ruled out
    rule_certainty: dict[str, float] = field(default_factory=dict)  # rule that fired -> cf
    rules_refuted: set[str] = field(default_factory=set)
    rulesets_consulted: int = 0
    _by_rule: dict[tuple[str, bool], list[Firing]] = field(
        default_factory=dict, repr=False, compare=False)

    def add(self, firing: Firing) -> None:
        self.firings.append(firing)
        # Indexed as they arrive: reports ask about every rule, and a scan per rule
        # made reporting quadratic in the number of rules.
        self._by_rule.setdefault((firing.branch.rule_id, firing.branch.fires), []).append(firing)

    def firings_of(self, rule_id: str, fires: bool = True) -> list[Firing]:
        """The firings of one rule's branches that conclude (or, with fires=False, refute)."""
        return self._by_rule.get((rule_id, fires), [])

    def rule_status(self, rule_id: str) -> str:
        if rule_id in self.rule_certainty:
            return "fires"
        return "ruled-out" if rule_id in self.rules_refuted else "undetermined"


_host: _QuietHost | None = None
_registered: set[str] = set()
_lock = threading.RLock()  # probe() registers rulesets while holding it
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

    def run(self, facts: dict[str, FactValue],
            confidence: dict[str, float] | None = None) -> RawOutcome:
        """Diagnose one set of facts; `confidence` marks facts that are estimates (0..1)."""
        with _lock:
            return self._run(facts, confidence or {})

    def _run(self, facts: dict[str, FactValue], confidence: dict[str, float]) -> RawOutcome:
        outcome = RawOutcome()
        sid = str(next(_session_ids))
        stratum_firings: list[Firing] = []
        current_stratum = None
        for ruleset in self.rulesets:
            if ruleset.stratum != current_stratum:
                self._settle(stratum_firings, outcome)
                stratum_firings = []
                current_stratum = ruleset.stratum
            findings: list[dict[str, Any]] = []
            for finding, holds in sorted(ruleset.joins):
                if holds and finding in outcome.concluded:
                    findings.append({"kind": CONCLUDED, "id": finding,
                                     "cf": outcome.concluded[finding]})
                elif not holds and finding in outcome.refuted:
                    findings.append({"kind": REFUTED, "id": finding})
            for branch, matched_facts in self._consult(ruleset, sid, facts, findings):
                stratum_firings.append(self._weigh(branch, matched_facts, confidence))
            outcome.rulesets_consulted += 1
        self._settle(stratum_firings, outcome)
        return outcome

    def _consult(self, ruleset: CompiledRuleset, sid: str, facts: dict[str, FactValue],
                 findings: list[dict[str, Any]]) -> list[tuple[CompiledBranch, dict[str, Any]]]:
        """Assert the case (the facts this ruleset reads) and the findings, under session
        `sid`; return the branches durable_rules matched; delete the session's state."""
        matched: list[tuple[str, dict[str, Any]]] = []
        _recorder.current = matched
        session_created = False
        try:
            case_fact: dict[str, Any] = {"sid": sid, "kind": CASE}
            case_fact.update((f, facts[f]) for f in ruleset.facts if f in facts)
            self.host.assert_fact(ruleset.name, case_fact)
            session_created = True
            for finding in findings:
                self.host.assert_fact(ruleset.name, {"sid": sid, **finding})
        except Exception as error:  # durable_rules raises bare Exception with a code
            raise EngineError(f"durable_rules failed in ruleset {ruleset.name}: {error}") \
                from error
        finally:
            _recorder.current = None
            # delete_state on a session durable_rules never handled segfaults.
            if session_created:
                self.host.delete_state(ruleset.name, sid)
        return [(_recorder.branches[key], facts_) for key, facts_ in matched
                if key in _recorder.branches]  # the opener is not a branch

    def probe(self, probes: list[CompiledRuleset], facts: dict[str, FactValue]
              ) -> set[CompiledBranch]:
        """Which single-condition probe branches hold on these facts (for explanations)."""
        with _lock:
            self.host = _host_with(probes, _recorder.record)
            for ruleset in probes:
                for rule_name, branch in ruleset.branches.items():
                    _recorder.branches[f"{ruleset.name}/{rule_name}"] = branch
            sid = str(next(_session_ids))
            return {branch for ruleset in probes
                    for branch, _ in self._consult(ruleset, sid, facts, [])}

    def _weigh(self, branch: CompiledBranch, matched: dict[str, Any],
               confidence: dict[str, float]) -> Firing:
        if not branch.fires:
            return Firing(branch, 1.0, {})
        weights: dict[str, float] = {}
        for i, join in enumerate(branch.joins):
            if join.holds:
                weights[f"finding {join.finding}"] = float(matched[f"f{i}"]["cf"])
        for atom in branch.conjunct:
            if isinstance(atom, Band) and atom.strength < 1:
                weights[atom.describe()] = atom.strength
            fact = getattr(atom, "fact", None)
            if fact in confidence and not (isinstance(atom, Known) and not atom.known):
                weights[f"estimate {fact}"] = confidence[fact]
        rule = self.kb.rules[branch.rule_id]
        return Firing(branch, weighed(rule.certainty, weights.values()), weights)

    def _settle(self, firings: list[Firing], outcome: RawOutcome) -> None:
        """Fix the conclusions of a finished stratum, so later strata can join on them:
        each rule's evidence is its strongest matching branch; a conclusion combines the
        evidence of every rule that adds to it."""
        touched: set[str] = set()
        for firing in firings:
            outcome.add(firing)
            rule_id = firing.branch.rule_id
            touched.add(self.kb.rules[rule_id].concludes)
            if not firing.branch.fires:
                outcome.rules_refuted.add(rule_id)
            elif abs(firing.certainty) > abs(outcome.rule_certainty.get(rule_id, 0.0)):
                outcome.rule_certainty[rule_id] = firing.certainty
        for conclusion in touched:
            rules = self.kb.contributors(conclusion)
            evidence = [outcome.rule_certainty[r.id] for r in rules
                        if r.id in outcome.rule_certainty]
            combined = combine(evidence)
            supporters = [r for r in rules if r.certainty > 0]
            if combined > 0:
                outcome.concluded[conclusion] = combined
            elif evidence or all(r.id in outcome.rules_refuted for r in supporters):
                outcome.refuted.add(conclusion)
        clash = set(outcome.rule_certainty) & outcome.rules_refuted
        if clash:
            raise EngineError(f"rules both fired and ruled out: {sorted(clash)}")
