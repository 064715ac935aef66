"""`csdiag explain`."""

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
    threshold_option,
    write_report,
)
from csdiag.cli.output import check_output
from csdiag.i18n import N_, set_language
from csdiag.render import render_explanation_json, render_explanation_text

HELP_EXPLAIN = N_("""Explain how a diagnosis was reached, or why it was not.

For a conclusion reached: the chain from facts through findings, each rule with
its conditions, the case's values and the certainty it added. For one not
reached: each condition that failed (case value and what the rule needed), each
fact that was unknown, and the nearest way to reach it.

\b
Examples:
  csdiag explain cases/northwind-telecom.yaml turnover-training-vicious-circle
  csdiag explain cases/brightline-bank.yaml no-management-backing --format json
  git show HEAD~1:acme.yaml | csdiag explain - poor-hiring""")


@click.command(cls=LocalisedCommand, help=HELP_EXPLAIN)
@case_argument
@click.argument("rule_id", metavar="RULE-ID")
@format_option("text", "json")
@threshold_option
@output_options()
@knowledge_options
def explain(case_path: Path, rule_id: str, output_format: str, threshold: float,
            output: Path | None, force: bool, rules: tuple[Path, ...],
            no_builtin_rules: bool) -> None:
    check_output(output, force, output_format, False)
    workspace = open_workspace(rules, no_builtin_rules)
    case = workspace.load_case(case_path)
    set_language(workspace.report_language(case))  # written as its case is
    explanation = workspace.explain(case, rule_id, threshold)
    render = render_explanation_json if output_format == "json" else render_explanation_text
    write_report(render(explanation), output, force)
