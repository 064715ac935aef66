"""`csdiag diagnose`."""

from __future__ import annotations

from pathlib import Path

import click

from csdiag.cli.options import format_option, knowledge_options, open_workspace, threshold_option
from csdiag.render import render_json, render_markdown, render_text

RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@format_option("text", "json", "markdown")
@threshold_option
@click.option("--set", "settings", multiple=True, metavar="FACT=VALUE",
              help="What if: diagnose as if the fact had this value. Repeatable.")
@click.option("--explanations/--no-explanations", default=True, show_default=True,
              help="With --format json: give each diagnosis, weak signal, ruled-out and "
              "not-assessable entry its explanation, as 'csdiag explain --format json' "
              "prints it. --no-explanations makes the report smaller and faster.")
@knowledge_options
def diagnose(paths: tuple[Path, ...], output_format: str, threshold: float,
             settings: tuple[str, ...], explanations: bool, rules: tuple[Path, ...],
             no_builtin_rules: bool) -> None:
    """Diagnose case files (files, or folders of .yaml case files).

    \b
    Examples:
      csdiag diagnose cases/northwind-telecom.yaml
      csdiag diagnose cases/ --format markdown > report.md
      csdiag diagnose my-case.yaml --rules ~/my-rules --format json
      csdiag diagnose cases/northwind-telecom.yaml --set training.new_hire_days=30
    """
    workspace = open_workspace(rules, no_builtin_rules)
    cases = [workspace.what_if(case, settings) for case in workspace.load_cases(paths)]
    if output_format == "json" and explanations:
        pairs = [workspace.diagnose_with_explanations(case, threshold) for case in cases]
        click.echo(render_json([r for r, _ in pairs], [e for _, e in pairs]), nl=False)
    else:
        results = [workspace.diagnose(case, threshold) for case in cases]
        click.echo(RENDERERS[output_format](results), nl=False)
