"""The durable_rules host: which rulesets are registered in it, what each of their
durable rules means, and the lock that keeps one case at a time inside it.

One EngineHost per Engine, no module-level state: two knowledge bases in one process
never share a ruleset, and `close()` gives durable_rules' memory back.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import durable_rules_engine
from durable import engine as durable_engine

from csdiag.engine.compile import CASE, CASE_ID, CompiledRuleset
from csdiag.model.outcome import CompiledBranch, EngineError


def exact_json(value: Any) -> str:
    """JSON that durable_rules' C parser reads for every finite number: it refuses the
    exponent form Python writes for very small and very large floats ('1e-05', '1e+16',
    error 204), so floats are written positionally ('0.00001'), digit for digit."""
    text = json.dumps(value, ensure_ascii=False)  # the common case, in C
    if not _MAYBE_INEXACT.search(text) or not _needs_exact(value):
        return text
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(k), ensure_ascii=False)}:{exact_json(v)}"
                              for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(exact_json(v) for v in value) + "]"
    if isinstance(value, float):
        if not math.isfinite(value):  # validation refuses these; never send them on
            raise EngineError(f"a non-finite number ({value}) reached the engine")
        text = format(Decimal(repr(value)), "f")
        # A whole float keeps its '.0': without it durable reads an integer, and clamps
        # one past 2**63 (1.5e19 and 1e21 would both become 9.2e18).
        return text if "." in text else text + ".0"
    return json.dumps(value, ensure_ascii=False)


# Where json.dumps may have written an exponent or a non-finite number (also matched
# inside a string now and then: the walk below then decides).
_MAYBE_INEXACT = re.compile(r"\d[eE][-+]?\d|NaN|Infinity")


def _needs_exact(value: Any) -> bool:
    """Whether json.dumps would write a float in `value` in the exponent form durable
    refuses (from 1e16 up and below 1e-4), or one that is not finite."""
    if isinstance(value, float):
        return value != 0 and not (1e-4 <= abs(value) < 1e16)
    if isinstance(value, dict):
        return any(_needs_exact(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_needs_exact(v) for v in value)
    return False


class _ExactRuleset(durable_engine.Ruleset):
    """durable's Ruleset, with its definition and facts written by exact_json (durable
    2.0.28, pinned: this mirrors Ruleset.__init__ and assert_fact but for the JSON)."""

    def __init__(self, name: str, host: durable_engine.Host, definition: dict[str, Any]):
        self._actions = {}
        self._name = name
        self._host = host
        for rule_name, rule in definition.items():
            self._actions[rule_name] = durable_engine.Promise(rule.pop("run"))
        self._handle = durable_rules_engine.create_ruleset(name, exact_json(definition))
        self._definition = definition

    def assert_fact(self, fact: dict[str, Any]) -> Any:
        return self._handle_result(
            durable_rules_engine.assert_fact(self._handle, exact_json(fact)), fact)

    def assert_facts(self, facts: list[dict[str, Any]]) -> Any:
        return self._handle_result(
            durable_rules_engine.assert_facts(self._handle, exact_json(facts)), facts)


class _QuietHost(durable_engine.Host):
    """A Host without the background dispatch threads, which cause intermittent
    'error code: 307' over a few thousand cases; csdiag uses no timers."""

    def _run(self) -> None:
        return None

    def register_exact(self, definitions: dict[str, dict[str, Any]]) -> None:
        """register_rulesets, with rulesets whose numbers durable always reads."""
        for name, definition in definitions.items():
            if name in self._ruleset_directory:
                raise EngineError(f"ruleset {name} is already registered")
            ruleset = _ExactRuleset(name, self, definition)
            self._ruleset_directory[name] = ruleset
            self._ruleset_list.append(ruleset)


class EngineHost:
    """Owns one durable_rules host and the rulesets registered in it."""

    def __init__(self) -> None:
        self._host = _QuietHost()
        self._branches: dict[str, CompiledBranch] = {}  # "ruleset/rule" -> its meaning
        # "ruleset/rule" -> its place in the compiled rulesets: matches are reported in
        # that order, whatever order durable_rules' agenda ran the actions in.
        self._order: dict[str, int] = {}
        self._current: list[tuple[str, dict[str, Any]]] | None = None
        self._session_ids = itertools.count(1)
        # durable_rules keeps per-session state in its C core; one case at a time.
        self._lock = threading.RLock()

    @contextmanager
    def session(self) -> Iterator[str]:
        """Hold the host for one case; yields the session id its facts go under."""
        with self._lock:
            yield str(next(self._session_ids))

    def register(self, rulesets: list[CompiledRuleset]) -> None:
        """Register the rulesets not yet known to this host (by name)."""
        with self._lock:
            todo: dict[str, Any] = {}
            for ruleset in rulesets:
                if ruleset.name in self._host._ruleset_directory:
                    continue
                todo[ruleset.name] = {
                    name: {**body, "run": self._action(f"{ruleset.name}/{name}")}
                    for name, body in ruleset.definition.items()}
                for name, branch in ruleset.branches.items():
                    self._branches[f"{ruleset.name}/{name}"] = branch
                    self._order[f"{ruleset.name}/{name}"] = len(self._order)
            if todo:
                self._host.register_exact(todo)

    def _action(self, key: str) -> Any:
        def run(closure: Any) -> None:
            # Kept trivial: durable_rules can swallow exceptions raised in an action.
            # Every rule has a cap, so its matches come as a list (closure.m).
            if self._current is not None:
                self._current.extend((key, match._d) for match in closure.m)

        return run

    def consult(self, ruleset: CompiledRuleset, sid: str, case_facts: list[dict[str, Any]],
                findings: list[dict[str, Any]]
                ) -> list[list[tuple[CompiledBranch, dict[str, Any]]]]:
        """Assert a batch of case facts (the i-th under case id i) and the findings (each
        with its case id) under session `sid`; return, for each case, the branches
        durable_rules matched with the facts each bound; delete the session's state."""
        matched: list[tuple[str, dict[str, Any]]] = []
        self._current = matched
        session_created = False
        try:
            # Case facts first: each matches the opener, so the session is handled and
            # may be deleted even if asserting the findings fails.
            self._host.assert_facts(ruleset.name, [
                {"sid": sid, "kind": CASE, CASE_ID: index, **fact}
                for index, fact in enumerate(case_facts)])
            session_created = True
            if findings:
                self._host.assert_facts(ruleset.name,
                                        [{"sid": sid, **finding} for finding in findings])
        except Exception as error:  # durable_rules raises bare Exception with a code
            raise EngineError(f"durable_rules failed in ruleset {ruleset.name}: {error}") \
                from error
        finally:
            self._current = None
            # delete_state on a session durable_rules never handled segfaults.
            if session_created:
                self._host.delete_state(ruleset.name, sid)
        per_case: list[list[tuple[CompiledBranch, dict[str, Any]]]] = [[] for _ in case_facts]
        matched.sort(key=lambda found: self._order.get(found[0], -1))
        for key, bound in matched:
            branch = self._branches.get(key)
            if branch is not None:  # the opener is not a branch
                per_case[bound["c"][CASE_ID]].append((branch, bound))
        return per_case

    def close(self) -> None:
        """Delete every registered ruleset from durable_rules' C core."""
        with self._lock:
            for ruleset in self._host._ruleset_list:
                durable_rules_engine.delete_ruleset(ruleset._handle)
            self._host._ruleset_directory.clear()
            self._host._ruleset_list.clear()
            self._branches.clear()
            self._order.clear()
