"""`csdiag plan`."""

from __future__ import annotations

from pathlib import Path

import click

from csdiag.cli.help import LocalisedCommand
from csdiag.cli.options import (
    case_argument,
    format_option,
    knowledge_options,
    open_workspace,
    output_options,
    write_report,
)
from csdiag.cli.output import check_output
from csdiag.i18n import N_, set_language
from csdiag.render import render_plan_json, render_plan_text

HELP_PLAN = N_("""Rank remedies by the severity-weighted certainty they would remove.

Each remedy that declares the facts it changes is tried by diagnosing the case
again with those facts set; so are combinations of the best ones. Each option
lists the diagnoses it clears or reduces.

\b
Examples:
  csdiag plan cases/northwind-telecom.yaml
  git show HEAD~1:acme.yaml | csdiag plan -""")


@click.command(cls=LocalisedCommand, help=HELP_PLAN)
@case_argument
@click.option("--combine", type=click.IntRange(1, 3), default=2, show_default=True,
              help=N_("Largest number of remedies tried together."))
@format_option("text", "json")
@output_options()
@knowledge_options
def plan(case_path: Path, combine: int, output_format: str, output: Path | None,
         force: bool, rules: tuple[Path, ...], no_builtin_rules: bool) -> None:
    check_output(output, force, output_format, False)
    workspace = open_workspace(rules, no_builtin_rules)
    case = workspace.load_case(case_path)
    set_language(workspace.report_language(case))  # the plan is written as its case is
    result = workspace.plan(case, combine)
    write_report((render_plan_json if output_format == "json" else render_plan_text)(result),
                 output, force)
