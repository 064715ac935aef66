"""The `csdiag` command line: one module per command or group, each only parsing its
arguments, calling the library (csdiag.api) and printing what a renderer returns.
Shared options live in options.py; exit codes and error reporting in errors.py."""

from __future__ import annotations

from csdiag.cli.app import cli
from csdiag.cli.diagnose import diagnose
from csdiag.cli.explain import explain
from csdiag.cli.facts import facts, schema
from csdiag.cli.interview import interview
from csdiag.cli.plan import plan
from csdiag.cli.rules import rules_group

for _command in (diagnose, explain, plan, interview, rules_group, facts, schema):
    cli.add_command(_command)


def main() -> None:
    cli()


__all__ = ["cli", "main"]
