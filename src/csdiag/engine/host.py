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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import durable_rules_engine
import orjson
from durable import engine as durable_engine

from csdiag.engine.compile import CASE, CASE_ID, CompiledRuleset
from csdiag.model.outcome import CompiledBranch, EngineError


def exact_json(value: Any) -> str:
    """JSON that durable_rules' C parser reads for every finite number: it refuses the
    exponent form Python writes for very small and very large floats ('1e-05', '1e+16',
    error 204), so floats are written positionally ('0.00001'), digit for digit."""
    text = json.dumps(value, ensure_ascii=False)  # the common case, in C
    if not _maybe_inexact(text) or not _needs_exact(value):
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


def _maybe_inexact(text: str) -> bool:
    """Whether json.dumps may have written an exponent (always 'e' and a sign: 1e-05,
    1e+16) or a non-finite number; a string holding the same letters now and then says
    yes too, and _needs_exact then decides. Plain substring searches: a batch's facts
    are a long text, and one regular expression with alternatives took a millisecond."""
    return "NaN" in text or "Infinity" in text or _EXPONENT.search(text) is not None


_EXPONENT = re.compile(r"e[-+]\d")


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
    """durable's Ruleset, with its definition and facts written by exact_json and a lean
    action loop (durable 2.0.28, pinned: this mirrors Ruleset.__init__, assert_fact and
    do_actions but for the JSON and the per-match wrappers)."""

    def __init__(self, name: str, host: durable_engine.Host, definition: dict[str, Any]):
        self._actions: dict[str, Callable[[list[dict[str, Any]]], None]] = {
            rule_name: rule.pop("run") for rule_name, rule in definition.items()}
        self._name = name
        self._host = host
        self._handle = durable_rules_engine.create_ruleset(name, exact_json(definition))
        self._definition = definition

    def assert_fact(self, fact: dict[str, Any]) -> Any:
        return self._taken(durable_rules_engine.assert_fact(self._handle, exact_json(fact)),
                           fact)

    def assert_facts(self, facts: list[dict[str, Any]]) -> Any:
        return self._taken(durable_rules_engine.assert_facts(self._handle, exact_json(facts)),
                           facts)

    def _taken(self, result: Any, message: Any) -> Any:
        """durable's _handle_result, noting first whether the facts were taken in (not
        'not handled', code 1): their session then exists in durable's core, to be
        deleted even if what follows fails."""
        if result[0] != 1:
            self._host.handled = True
        return self._handle_result(result, message)

    def do_actions(self, state_handle: Any, complete: Callable[[Any, Any], None]) -> None:
        """Run every action durable_rules has ready for the session, with the calls into
        durable's C core its own loop makes (start, run, update the state, complete and
        start the next; abandon on an error), but each action gets its matches as plain
        dicts: durable wraps every match in a Closure and a Content, writes the untouched
        state back with json.dumps and reads each message with json.loads, which together
        cost more than csdiag's settling (orjson reads the same JSON several times
        faster). Unlike durable's loop, an exception in an action is raised, not kept in
        the session's state, and nothing is returned (csdiag reads no state)."""
        action_handle = None
        try:
            result = durable_rules_engine.start_action_for_state(self._handle, state_handle)
            if not result:
                complete(None, None)
                return
            state, message, action_handle = result[0], result[1], state_handle
            while message:
                ((action_name, matches),) = orjson.loads(message).items()
                self._actions[action_name](matches if isinstance(matches, list) else [matches])
                durable_rules_engine.update_state(self._handle, state)
                message = durable_rules_engine.complete_and_start_action(self._handle,
                                                                         action_handle)
            complete(None, None)
        except BaseException as error:  # handed on as durable's loop does
            if action_handle is not None:
                durable_rules_engine.abandon_action(self._handle, action_handle)
            complete(error, None)


class _QuietHost(durable_engine.Host):
    """A Host without the background dispatch threads, which cause intermittent
    'error code: 307' over a few thousand cases; csdiag uses no timers (so durable's
    own dispatch, which the lean action loop no longer fits, never runs)."""

    # Whether facts were taken in since last cleared (see _ExactRuleset._taken).
    handled = False

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
        def run(matches: list[dict[str, Any]]) -> None:
            # Every rule has a cap, so its matches come as one list.
            if self._current is not None:
                self._current.extend((key, match) for match in matches)

        return run

    def consult(self, ruleset: CompiledRuleset, sid: str, case_facts: list[dict[str, Any]],
                findings: list[dict[str, Any]]
                ) -> list[list[tuple[CompiledBranch, dict[str, Any]]]]:
        """Assert a batch of case facts (the i-th under case id i) and the findings (each
        with its case id) under session `sid`; return, for each case, the branches
        durable_rules matched with the facts each bound; delete the session's state."""
        matched: list[tuple[str, dict[str, Any]]] = []
        self._current = matched
        self._host.handled = False
        try:
            # Case facts first: each matches the opener, so the session is handled and
            # may be deleted even if asserting the findings fails.
            self._host.assert_facts(ruleset.name, [
                {"sid": sid, "kind": CASE, CASE_ID: index, **fact}
                for index, fact in enumerate(case_facts)])
            if findings:
                self._host.assert_facts(ruleset.name,
                                        [{"sid": sid, **finding} for finding in findings])
        except Exception as error:  # durable_rules raises bare Exception with a code
            raise EngineError(f"the engine failed in ruleset {ruleset.name}: {error}") \
                from error
        finally:
            self._current = None
            # delete_state on a session durable_rules never handled segfaults; one that
            # took facts in (and then maybe failed, in an action or after) was handled.
            if self._host.handled:
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
