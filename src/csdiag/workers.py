"""Diagnosing case files in worker processes, one durable_rules host in each.

The parent hands each worker a chunk of already-checked case files and reads the
results back in the order the files were given, so the report is the same as with
one process. A result travels back pickled, but the rules in it travel by id and are
taken from the parent's own knowledge base: the worker read the same rule folders, and a
rule with its YAML document would cost more to send than the diagnosis itself.
"""

from __future__ import annotations

import copyreg
import gc
import io
import os
import pickle
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from csdiag.collector import BATCH_THRESHOLD, collector_paused
from csdiag.formats.rule import Rule
from csdiag.formats.vocabulary import FactValue
from csdiag.i18n import current_language, use_language
from csdiag.model.knowledge_base import KnowledgeBase
from csdiag.model.outcome import EngineError

if TYPE_CHECKING:
    from csdiag.api import Workspace
    from csdiag.features.explain import Explanation
    from csdiag.reason.diagnosis import CaseResult

    Result = tuple[CaseResult, dict[str, Explanation] | None]

T = TypeVar("T")

# Case files per task: one engine batch, so a worker's session is as full as in-process.
FILES_PER_TASK = 64
# Below this many files, starting workers (each reads and compiles the rules) costs more
# than it saves.
FEWEST_FILES_FOR_WORKERS = 2 * FILES_PER_TASK


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _rule_reference(rule: Rule) -> tuple[Any, tuple[str]]:
    return _rule_named, (rule.id,)


def _rule_named(rule_id: str) -> Rule:
    assert _receiving is not None, "results are read only by diagnose_in_workers"
    return _receiving.rules[rule_id]


class _RulesById(pickle.Pickler):
    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        # A dispatch table, not persistent_id: the C pickler then calls back into Python
        # only for rules, not for every object of a result.
        self.dispatch_table = {**copyreg.dispatch_table, Rule: _rule_reference}


# The knowledge base whose rules the results being read refer to (the parent's).
_receiving: KnowledgeBase | None = None


def _read_results(data: bytes, kb: KnowledgeBase) -> list[Result]:
    global _receiving
    _receiving = kb
    try:
        with collector_paused():  # a chunk is ~100,000 new objects, none of them garbage
            results: list[Result] = pickle.loads(data)
    finally:
        _receiving = None
    return results


# One workspace per worker process, made by _start_worker.
_workspace: Workspace | None = None
_speaking = "en"  # the language the parent was speaking: a case without one is in it


def _start_worker(parent: Workspace | None, folders: list[Path], builtin: bool,
                  language: str | None, speaking: str) -> None:
    """`parent`: the parent's workspace, when the worker was forked from it (its rules
    already read); else the worker reads them itself."""
    global _workspace, _speaking
    from csdiag.api import Workspace

    # Few cycles, many short-lived objects: the default threshold (700) made the
    # collector a fifth of a batch's time.
    gc.set_threshold(BATCH_THRESHOLD, 20, 20)
    _workspace = Workspace(folders, builtin=builtin, language=language)
    if parent is not None:
        _workspace._kb = parent.kb  # the same folders, read already; the engine is new
    _speaking = speaking



def _diagnose_chunk(files: list[str], threshold: float, changes: dict[str, FactValue],
                    explanations: bool) -> bytes:
    assert _workspace is not None, "the worker was not started"
    with use_language(_speaking):
        results = list(_workspace.diagnosed_files(files, threshold, changes, explanations))
    buffer = io.BytesIO()
    _RulesById(buffer).dump(results)
    return buffer.getvalue()


def diagnose_in_workers(workspace: Workspace, files: Iterable[str], jobs: int,
                        threshold: float, changes: dict[str, FactValue],
                        explanations: bool) -> Iterator[Result]:
    """Each file's result, in the order of `files`, diagnosed by `jobs` worker processes.
    At most two chunks per worker are in flight, so memory stays flat however many
    files there are."""
    # Imported here: a run of a few cases never starts a worker, and these imports were
    # a fiftieth of its time.
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # Forked, a worker starts with the parent's rules already read (the parent runs no
    # engine on this path, so no durable_rules state is copied; each worker makes its
    # own). Where there is no fork, a worker is spawned and reads the rules itself.
    forking = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if forking else "spawn")
    executor = ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_start_worker,
        initargs=(workspace if forking else None, workspace.user_folders,
                  workspace.builtin, workspace.language, current_language()))
    pending: deque[Future[bytes]] = deque()
    tasks = chunks(files, FILES_PER_TASK)
    try:
        for chunk in islice(tasks, 2 * jobs):
            pending.append(executor.submit(_diagnose_chunk, chunk, threshold, changes,
                                           explanations))
        while pending:
            data = pending.popleft().result()
            for chunk in islice(tasks, 1):
                pending.append(executor.submit(_diagnose_chunk, chunk, threshold, changes,
                                               explanations))
            yield from _read_results(data, workspace.kb)
    except BrokenProcessPool as error:
        raise EngineError("a worker process stopped without a result (durable_rules may "
                          "have crashed in it); run again with --jobs 1") from error
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of `size` (the last may be shorter), taken as they are needed."""
    remaining = iter(items)
    while chunk := list(islice(remaining, size)):
        yield chunk
