"""`csdiag compare OLD NEW`: two assessments of one organisation, side by side."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from click.core import ParameterSource

from csdiag import CaseComparison
from csdiag.cli.help import LocalisedCommand
from csdiag.cli.options import (
    CasePath,
    audience_option,
    echo,
    format_option,
    knowledge_options,
    open_workspace,
    output_options,
    threshold_option,
)
from csdiag.cli.output import check_not_a_case, check_output, chosen_format, report_output
from csdiag.i18n import N_, gettext, set_language
from csdiag.render import (
    render_compare_html,
    render_compare_json,
    render_compare_markdown,
    render_compare_text,
)

RENDERERS: dict[str, Callable[[CaseComparison], str]] = {
    "text": render_compare_text, "markdown": render_compare_markdown,
    "json": render_compare_json, "html": render_compare_html}

HELP_COMPARE = N_("""Compare two assessments of one organisation, OLD and then NEW.

Both cases are diagnosed and set side by side: the diagnoses that cleared
(diagnosed in OLD, not in NEW), the new ones, those whose certainty changed (weak
signals too), the facts that changed (old value and new value, with their
sources), and the remedies of OLD's diagnoses that were carried out: those whose
declared changes hold in NEW and did not in OLD. A warning goes to standard error
when the two have different case ids or NEW is dated before OLD. One of them
may be '-', read from standard input.

\b
Examples:
  csdiag compare cases/northwind-telecom.yaml \\
    examples/follow-ups/northwind-telecom-2027.yaml
  csdiag compare old.yaml new.yaml --format markdown > progress.md
  csdiag compare old.yaml new.yaml -o progress.html
  csdiag compare old.yaml new.yaml --audience client -o for-the-board.html
  git show HEAD~1:acme.yaml | csdiag compare - acme.yaml""")


def _case_path(name: str, metavar: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return click.argument(name, metavar=metavar, type=CasePath())


@click.command(cls=LocalisedCommand, help=HELP_COMPARE)
@_case_path("old_path", "OLD")
@_case_path("new_path", "NEW")
@format_option(*RENDERERS)
@output_options(N_("Write the comparison to this file, not to standard output. Without "
                   "--format, its suffix picks the format (.html, .md, .json, .txt). An "
                   "existing file is not replaced without --force."))
@threshold_option
@audience_option
@knowledge_options
def compare(old_path: Path, new_path: Path, output_format: str, output: Path | None,
            force: bool, threshold: float, rules: tuple[Path, ...],
            no_builtin_rules: bool) -> None:
    output_format = chosen_format(
        output, output_format, click.get_current_context().get_parameter_source(
            "output_format") is not ParameterSource.DEFAULT, RENDERERS)
    check_output(output, force, output_format, False)
    workspace = open_workspace(rules, no_builtin_rules)
    old, new = workspace.load_cases([old_path, new_path])  # both files' problems at once
    if output is not None and force:
        check_not_a_case(output, [old_path, new_path])
    set_language(workspace.report_language(new))  # written as the later case is
    comparison = workspace.compare(old, new, threshold)
    for warning in comparison.warnings:
        echo(gettext("warning: {warning}").format(warning=warning), err=True)
    with report_output(output, force) as write:
        write(RENDERERS[output_format](comparison))
