"""`csdiag diagnose`: cases are diagnosed and written one at a time, so a folder of any
size runs in constant memory; a progress line goes to stderr when it is a terminal. The
report goes to stdout, or to the file -o names (cli/output.py)."""

from __future__ import annotations

import sys
import time
from collections.abc import Generator, Iterator
from pathlib import Path
from unicodedata import east_asian_width

import click
from click.core import ParameterSource

from csdiag import CaseResult, Explanation
from csdiag.cli.batch import refuse_bad_files, report_skipped, warn_of_duplicates
from csdiag.cli.errors import USER_ERROR
from csdiag.cli.help import LocalisedCommand
from csdiag.cli.options import (
    CasePath,
    audience_option,
    format_option,
    knowledge_options,
    open_workspace,
    output_options,
    threshold_option,
)
from csdiag.cli.output import check_not_a_case, check_output, chosen_format, report_output
from csdiag.i18n import N_, ngettext, number
from csdiag.render import BINARY_FORMATS, STREAMS, check_pdf_support

HELP_DIAGNOSE = N_("""Diagnose case files (files, or folders of .yaml case files).

Every file is checked before any case is run; then each case is diagnosed and
written in turn (--format jsonl: one JSON object per line, per case). A path
of '-' reads one case from standard input.

\b
Examples:
  csdiag diagnose cases/northwind-telecom.yaml
  csdiag diagnose cases/ --format markdown > report.md
  csdiag diagnose cases/northwind-telecom.yaml -o northwind.html
  csdiag diagnose cases/ --format pdf -o cases.pdf
  csdiag diagnose my-case.yaml --rules ~/my-rules --format json
  csdiag diagnose many-cases/ --format jsonl --no-explanations > results.jsonl
  csdiag diagnose cases/northwind-telecom.yaml --set training.new_hire_days=30
  git show HEAD~1:cases/acme.yaml | csdiag diagnose -""")


@click.command(cls=LocalisedCommand, help=HELP_DIAGNOSE)
@click.argument("paths", nargs=-1, required=True, type=CasePath(dir_okay=True))
@format_option("text", "json", "markdown", "jsonl", "html", "pdf")
@output_options(N_("Write the report to this file, not to standard output. Without "
                   "--format, its suffix picks the format (.html, .pdf, .md, .json, "
                   ".jsonl, .txt). An existing file is not replaced without --force."))
@threshold_option
@audience_option
@click.option("--set", "settings", multiple=True, metavar="FACT=VALUE",
              help=N_("What if: diagnose as if the fact had this value. Repeatable."))
@click.option("--explanations/--no-explanations", default=True, show_default=True,
              help=N_("With --format json or jsonl: give each diagnosis, weak signal, ruled-out "
              "and not-assessable entry its explanation, as 'csdiag explain --format json' "
              "prints it. --no-explanations makes the report smaller and faster."))
@click.option("--keep-going", is_flag=True,
              help=N_("Diagnose every good case file even if some are bad; list the bad "
                      "ones, with their problems, at the end, and exit 2. Without it, one "
                      "bad file stops the run before anything is written."))
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help=N_("Worker processes to spread many cases over (default: the number of "
                      "cores); the report is the same as with --jobs 1. A few cases are "
                      "diagnosed in one process."))
@knowledge_options
def diagnose(paths: tuple[Path, ...], output_format: str, output: Path | None, force: bool,
             threshold: float, settings: tuple[str, ...], explanations: bool,
             keep_going: bool, jobs: int | None, rules: tuple[Path, ...],
             no_builtin_rules: bool) -> None:
    output_format = chosen_format(
        output, output_format, click.get_current_context().get_parameter_source(
            "output_format") is not ParameterSource.DEFAULT, STREAMS)
    binary = output_format in BINARY_FORMATS
    if binary:
        check_pdf_support()
    # Everything that could stop the report is checked before the first case is run.
    check_output(output, force, output_format, binary)
    workspace = open_workspace(rules, no_builtin_rules)
    with_explanations = explanations and output_format in ("json", "jsonl")
    survey = workspace.survey_cases(paths)
    warn_of_duplicates(survey)
    if not keep_going:
        refuse_bad_files(survey)
    files = survey.files
    if not len(files):  # --keep-going over nothing good: no empty report replaces a file
        report_skipped(survey)
        sys.exit(USER_ERROR)
    if output is not None and force:
        check_not_a_case(output, survey.every)
    # Settings are checked here too, before the first line is written.
    results = workspace.diagnose_each(files, threshold, settings, with_explanations,
                                      checked=True, jobs=jobs)
    stream = STREAMS[output_format]()
    stream.skipped = survey.skipped
    with report_output(output, force) as write:
        write(stream.start())
        progress = _with_progress(results, len(files))
        try:
            for result, explained in progress:
                write(stream.case(result, explained))
        finally:
            progress.close()  # the progress line is gone before anything else is shown
        write(stream.end())
    if survey.problems:  # --keep-going: the bad files, after the report
        report_skipped(survey)
        sys.exit(USER_ERROR)


def _with_progress(results: Iterator[tuple[CaseResult, dict[str, Explanation] | None]],
                   total: int
                   ) -> Generator[tuple[CaseResult, dict[str, Explanation] | None], None, None]:
    """Show 'N / total cases' on stderr while a batch runs, when a person watches it."""
    shown = total > 1 and sys.stderr.isatty()
    last = 0.0
    line = ""
    try:
        for done, item in enumerate(results, 1):
            yield item
            if shown and (time.monotonic() - last > 0.25 or done == total):
                last = time.monotonic()
                line = "  " + ngettext("{done} / {total} case", "{done} / {total} cases",
                                       total).format(done=number(done), total=number(total))
                click.echo("\r" + line, err=True, nl=False)
    finally:
        if line:  # cleared however the run ends, before the summary or an error is shown
            columns = sum(2 if east_asian_width(c) in "WF" else 1 for c in line)
            click.echo("\r" + " " * columns + "\r", err=True, nl=False)
