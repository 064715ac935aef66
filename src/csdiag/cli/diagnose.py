"""`csdiag diagnose`: cases are diagnosed and written one at a time, so a folder of any
size runs in constant memory; a progress line goes to stderr when it is a terminal."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import click

from csdiag import CaseResult, Explanation
from csdiag.cli.help import LocalisedCommand
from csdiag.cli.options import (
    echo,
    format_option,
    knowledge_options,
    open_workspace,
    threshold_option,
)
from csdiag.i18n import N_, ngettext, number
from csdiag.render import STREAMS

HELP_DIAGNOSE = N_("""Diagnose case files (files, or folders of .yaml case files).

Every file is checked before any case is run; then each case is diagnosed and
written in turn (--format jsonl: one JSON object per line, per case).

\b
Examples:
  csdiag diagnose cases/northwind-telecom.yaml
  csdiag diagnose cases/ --format markdown > report.md
  csdiag diagnose my-case.yaml --rules ~/my-rules --format json
  csdiag diagnose many-cases/ --format jsonl --no-explanations > results.jsonl
  csdiag diagnose cases/northwind-telecom.yaml --set training.new_hire_days=30""")


@click.command(cls=LocalisedCommand, help=HELP_DIAGNOSE)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@format_option("text", "json", "markdown", "jsonl")
@threshold_option
@click.option("--set", "settings", multiple=True, metavar="FACT=VALUE",
              help=N_("What if: diagnose as if the fact had this value. Repeatable."))
@click.option("--explanations/--no-explanations", default=True, show_default=True,
              help=N_("With --format json or jsonl: give each diagnosis, weak signal, ruled-out "
              "and not-assessable entry its explanation, as 'csdiag explain --format json' "
              "prints it. --no-explanations makes the report smaller and faster."))
@knowledge_options
def diagnose(paths: tuple[Path, ...], output_format: str, threshold: float,
             settings: tuple[str, ...], explanations: bool, rules: tuple[Path, ...],
             no_builtin_rules: bool) -> None:
    workspace = open_workspace(rules, no_builtin_rules)
    with_explanations = explanations and output_format in ("json", "jsonl")
    files = workspace.check_cases(paths)
    # Settings are checked here too, before the first line is written.
    results = workspace.diagnose_each(files, threshold, settings, with_explanations,
                                      checked=True)
    stream = STREAMS[output_format]()
    echo(stream.start(), nl=False)
    for result, explained in _with_progress(results, len(files)):
        echo(stream.case(result, explained), nl=False)
    echo(stream.end(), nl=False)


def _with_progress(results: Iterator[tuple[CaseResult, dict[str, Explanation] | None]],
                   total: int) -> Iterator[tuple[CaseResult, dict[str, Explanation] | None]]:
    """Show 'N / total cases' on stderr while a batch runs, when a person watches it."""
    shown = total > 1 and sys.stderr.isatty()
    last = 0.0
    for done, item in enumerate(results, 1):
        yield item
        if shown and (time.monotonic() - last > 0.25 or done == total):
            last = time.monotonic()
            click.echo("\r  " + ngettext("{done} / {total} case", "{done} / {total} cases",
                                          total).format(done=number(done), total=number(total)),
                       err=True, nl=False)
    if shown:
        click.echo("\r" + " " * 40 + "\r", err=True, nl=False)
