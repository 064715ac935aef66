"""`csdiag diagnose`: cases are diagnosed and written one at a time, so a folder of any
size runs in constant memory; a progress line goes to stderr when it is a terminal. The
report goes to stdout, or to the file -o names (cli/output.py)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import click
from click.core import ParameterSource

from csdiag import CaseResult, Explanation
from csdiag.cli.help import LocalisedCommand
from csdiag.cli.options import (
    format_option,
    knowledge_options,
    open_workspace,
    threshold_option,
)
from csdiag.cli.output import check_not_a_case, check_output, format_of, report_output
from csdiag.i18n import N_, ngettext, number
from csdiag.render import BINARY_FORMATS, STREAMS, check_pdf_support

HELP_DIAGNOSE = N_("""Diagnose case files (files, or folders of .yaml case files).

Every file is checked before any case is run; then each case is diagnosed and
written in turn (--format jsonl: one JSON object per line, per case).

\b
Examples:
  csdiag diagnose cases/northwind-telecom.yaml
  csdiag diagnose cases/ --format markdown > report.md
  csdiag diagnose cases/northwind-telecom.yaml -o northwind.html
  csdiag diagnose cases/ --format pdf -o cases.pdf
  csdiag diagnose my-case.yaml --rules ~/my-rules --format json
  csdiag diagnose many-cases/ --format jsonl --no-explanations > results.jsonl
  csdiag diagnose cases/northwind-telecom.yaml --set training.new_hire_days=30""")


@click.command(cls=LocalisedCommand, help=HELP_DIAGNOSE)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@format_option("text", "json", "markdown", "jsonl", "html", "pdf")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              default=None, help=N_(
                  "Write the report to this file, not to standard output. Without "
                  "--format, its suffix picks the format (.html, .pdf, .md, .json, "
                  ".jsonl, .txt). An existing file is not replaced without --force."))
@click.option("--force", is_flag=True,
              help=N_("With -o: replace the file if it exists."))
@threshold_option
@click.option("--set", "settings", multiple=True, metavar="FACT=VALUE",
              help=N_("What if: diagnose as if the fact had this value. Repeatable."))
@click.option("--explanations/--no-explanations", default=True, show_default=True,
              help=N_("With --format json or jsonl: give each diagnosis, weak signal, ruled-out "
              "and not-assessable entry its explanation, as 'csdiag explain --format json' "
              "prints it. --no-explanations makes the report smaller and faster."))
@knowledge_options
def diagnose(paths: tuple[Path, ...], output_format: str, output: Path | None, force: bool,
             threshold: float, settings: tuple[str, ...], explanations: bool,
             rules: tuple[Path, ...], no_builtin_rules: bool) -> None:
    if click.get_current_context().get_parameter_source("output_format") \
            is ParameterSource.DEFAULT:
        output_format = format_of(output) or output_format
    binary = output_format in BINARY_FORMATS
    if binary:
        check_pdf_support()
    # Everything that could stop the report is checked before the first case is run.
    check_output(output, force, output_format, binary)
    workspace = open_workspace(rules, no_builtin_rules)
    with_explanations = explanations and output_format in ("json", "jsonl")
    files = workspace.check_cases(paths)
    if output is not None and force:
        check_not_a_case(output, files)
    # Settings are checked here too, before the first line is written.
    results = workspace.diagnose_each(files, threshold, settings, with_explanations,
                                      checked=True)
    stream = STREAMS[output_format]()
    with report_output(output, force) as write:
        write(stream.start())
        for result, explained in _with_progress(results, len(files)):
            write(stream.case(result, explained))
        write(stream.end())


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
