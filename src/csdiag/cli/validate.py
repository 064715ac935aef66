"""`csdiag validate`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from csdiag.cli.help import LocalisedCommand
from csdiag.cli.options import CasePath, echo, knowledge_options, open_workspace
from csdiag.i18n import N_
from csdiag.render import render_validation_text

HELP_VALIDATE = N_("""Check case, rule, fixture and vocabulary files without running anything.

Each file is read as csdiag reads it, its kind told from its keys (case:, id:
and kind:, rule: and fixtures:, or facts: alone), so a folder of mixed files is
checked in one pass. Every problem is listed with file:line:column and a fix.
Exit code 0 when all is well, 1 when a file has a problem. '-' reads a case
file from standard input.

\b
Examples:
  csdiag validate cases/
  csdiag validate my-case.yaml --rules ~/my-rules
  csdiag validate ~/my-rules/
  git show :cases/acme.yaml | csdiag validate -""")


@click.command(cls=LocalisedCommand, help=HELP_VALIDATE)
@click.argument("paths", nargs=-1, required=True, type=CasePath(dir_okay=True))
@knowledge_options
def validate(paths: tuple[Path, ...], rules: tuple[Path, ...], no_builtin_rules: bool) -> None:
    report = open_workspace(rules, no_builtin_rules).validate(paths)
    echo(render_validation_text(report), nl=False)
    if report.problems:
        sys.exit(1)
