"""Who a report is for. A consultant's report keeps what a rule writer needs to check it
(rule ids, file names, how each certainty was reached); a client's report leaves those out
and cites its sources as a reader expects. Chosen once per run, as the language is."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

AUDIENCES = ("consultant", "client")

_audience: ContextVar[str] = ContextVar("csdiag_audience", default="consultant")


@contextmanager
def use_audience(audience: str) -> Iterator[None]:
    """Render for 'consultant' (the default) or 'client' inside the block."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    token = _audience.set(audience)
    try:
        yield
    finally:
        _audience.reset(token)


def for_client() -> bool:
    """Whether the report in progress is for the client's readers."""
    return _audience.get() == "client"
