"""Pausing Python's cyclic garbage collector around bounded bursts of work.

csdiag's bursts (a batch of cases through the engine, one case's report, a pickled rule
pack) each make tens or hundreds of thousands of objects that stay alive until the burst
ends. A collection meanwhile only walks them to find nothing: it took a quarter of a
batch's time, a third with explanations, and tripled the time to read a cached pack.
Reference counting still frees everything that is not in a cycle; cycles made during a
pause are collected at the next collection after it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


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
