"""Diagnosing case files in worker processes, one durable_rules host in each.

The parent hands each worker a chunk of already-checked case files and reads the
results back in the order the files were given, so the report is the same as with
one process. A result travels back pickled, but the rules in it travel by id and are
taken from the parent's own knowledge base: the worker read the same rule folders, and a
rule with its YAML document would cost more to send than the diagnosis itself.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import pickle
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

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


class _RulesById(pickle.Pickler):
    def persistent_id(self, obj: Any) -> str | None:
        return obj.id if isinstance(obj, Rule) else None


class _RulesFrom(pickle.Unpickler):
    def __init__(self, data: bytes, kb: KnowledgeBase):
        super().__init__(io.BytesIO(data))
        self.kb = kb

    def persistent_load(self, pid: Any) -> Rule:
        return self.kb.rules[pid]


# One workspace per worker process, made by _start_worker.
_workspace: Workspace | None = None


def _start_worker(folders: list[Path], builtin: bool, language: str | None,
                  speaking: str) -> None:
    global _workspace, _speaking
    from csdiag.api import Workspace

    _workspace = Workspace(folders, builtin=builtin, language=language)
    _speaking = speaking


_speaking = "en"  # the language the parent was speaking: a case without one is in it


def _diagnose_chunk(files: list[str], threshold: float, changes: dict[str, FactValue],
                    explanations: bool) -> bytes:
    assert _workspace is not None, "the worker was not started"
    with use_language(_speaking):
        results = list(_workspace.diagnosed_files(files, threshold, changes, explanations))
    buffer = io.BytesIO()
    _RulesById(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(results)
    return buffer.getvalue()


def diagnose_in_workers(workspace: Workspace, files: Sequence[str], jobs: int,
                        threshold: float, changes: dict[str, FactValue],
                        explanations: bool) -> Iterator[Result]:
    """Each file's result, in the order of `files`, diagnosed by `jobs` worker processes.
    At most two chunks per worker are in flight, so memory stays flat however many
    files there are."""
    context = multiprocessing.get_context("spawn")  # no durable state inherited by fork
    executor = ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_start_worker,
        initargs=(workspace.user_folders, workspace.builtin, workspace.language,
                  current_language()))
    pending: deque[Future[bytes]] = deque()
    chunks = _chunks(files, FILES_PER_TASK)
    try:
        for chunk in islice(chunks, 2 * jobs):
            pending.append(executor.submit(_diagnose_chunk, chunk, threshold, changes,
                                           explanations))
        while pending:
            data = pending.popleft().result()
            for chunk in islice(chunks, 1):
                pending.append(executor.submit(_diagnose_chunk, chunk, threshold, changes,
                                               explanations))
            yield from _RulesFrom(data, workspace.kb).load()
    except BrokenProcessPool as error:
        raise EngineError("a worker process stopped without a result (durable_rules may "
                          "have crashed in it); run again with --jobs 1") from error
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _chunks(files: Iterable[str], size: int) -> Iterator[list[str]]:
    remaining = iter(files)
    while chunk := list(islice(remaining, size)):
        yield chunk
