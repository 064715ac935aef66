"""The `csdiag` command line: one module per command or group, each only parsing its
arguments, calling the library (csdiag.api) and printing what a renderer returns.
Shared options live in options.py; exit codes and error reporting in errors.py."""

from __future__ import annotations

import sys

from csdiag.cli import click_words
from csdiag.cli.app import cli
from csdiag.cli.compare import compare
from csdiag.cli.completion import completion
from csdiag.cli.diagnose import diagnose
from csdiag.cli.errors import finish, prepare_streams
from csdiag.cli.explain import explain
from csdiag.cli.facts import facts, schema
from csdiag.cli.interview import interview
from csdiag.cli.merge import merge
from csdiag.cli.plan import plan
from csdiag.cli.rules import rules_group
from csdiag.cli.validate import validate

for _command in (diagnose, explain, plan, interview, compare, merge, validate, rules_group,
                 facts, schema, completion):
    cli.add_command(_command)
click_words.install()


def main() -> None:
    """The console entry point: run the command, then flush its output under the same
    exit-code policy (a full disk when writing a report is a message, not a traceback)."""
    prepare_streams()
    try:
        cli.main(prog_name="csdiag")
    except SystemExit as end:
        code = end.code if isinstance(end.code, int) else 0 if end.code is None else 1
    else:
        code = 0
    sys.exit(finish(code))


__all__ = ["cli", "main"]
