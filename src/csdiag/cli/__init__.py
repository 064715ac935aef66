"""The `csdiag` command line: one module per command or group, each only parsing its
arguments, calling the library (csdiag.api) and printing what a renderer returns.
Shared options live in options.py; exit codes and error reporting in errors.py."""

from __future__ import annotations

import gc
import sys

from csdiag.cli import click_words
from csdiag.cli.app import cli  # its commands are imported as they are used (app.COMMANDS)
from csdiag.cli.errors import finish, prepare_streams

click_words.install()


def main() -> None:
    """The console entry point: run the command, then flush its output under the same
    exit-code policy (a full disk when writing a report is a message, not a traceback)."""
    prepare_streams()
    # Few cycles, many short-lived objects: the default threshold (700) made the
    # collector a fifth of a batch's time. The value of csdiag.collector's
    # BATCH_THRESHOLD, which this package may not import.
    gc.set_threshold(50_000, 20, 20)
    try:
        cli.main(prog_name="csdiag")
    except SystemExit as end:
        code = end.code if isinstance(end.code, int) else 0 if end.code is None else 1
    else:
        code = 0
    sys.exit(finish(code))


__all__ = ["cli", "main"]
