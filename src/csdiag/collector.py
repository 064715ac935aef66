"""Python's cyclic garbage collector around csdiag's bursts of work.

csdiag's bursts (a batch of cases through the engine, one case's report, a pickled rule
pack) each make tens or hundreds of thousands of objects that stay alive until the
burst, or the caller, is done with them, and that hold hardly any cycles. A collection
meanwhile only walks them to find nothing: at the default threshold it took a quarter
of a batch's time, a third with explanations, and tripled the time to read a cached
pack. Reference counting still frees everything that is not in a cycle.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# The first generation's threshold csdiag runs batches at: a collection every 50,000
# new objects, not every 700 (the CLI and its worker processes run at it throughout).
BATCH_THRESHOLD = 50_000


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block; never hold it across a yield
    that hands control back to a caller."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_raised = 0  # blocks inside fewer_collections, in every thread
_before: tuple[int, int, int] | None = None  # the thresholds to put back
_set: tuple[int, int, int] | None = None  # the thresholds put in their place
_lock = threading.Lock()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """The collector's first threshold at least BATCH_THRESHOLD inside the block, the
    one before put back when the last such block (of any thread) ends. Unlike a pause,
    it may span a yield: the caller's code in between collects less often too, and
    whatever cycles it drops are still collected. A pause alone does not spare a
    library caller the cost: when it ends, the first collection walks every object the
    paused block made and the caller still holds (a whole report). A threshold of 0
    (automatic collection off) is left as it is, and so is one the caller sets while a
    block runs."""
    global _raised, _before, _set
    with _lock:
        if _raised == 0:
            current = gc.get_threshold()
            if 0 < current[0] < BATCH_THRESHOLD:
                _before = current
                _set = (BATCH_THRESHOLD, max(current[1], 20), max(current[2], 20))
                gc.set_threshold(*_set)
        _raised += 1
    try:
        yield
    finally:
        with _lock:
            _raised -= 1
            if _raised == 0 and _before is not None:
                if gc.get_threshold() == _set:  # else the caller has chosen since
                    gc.set_threshold(*_before)
                _before = _set = None
