"""`csdiag merge RESPONDENT... -o CASE`: several respondents' answers, one case file."""

from __future__ import annotations

import os
from pathlib import Path

import click

from csdiag import STDIN, MergeReport, Problem, UserError
from csdiag.cli.help import LocalisedCommand
from csdiag.cli.options import (
    CasePath,
    chosen_language,
    echo,
    knowledge_options,
    open_workspace,
)
from csdiag.cli.output import check_not_a_case, check_output
from csdiag.i18n import N_, gettext, ngettext, number, set_language
from csdiag.render import wrap

HELP_MERGE = N_("""Merge several respondents' case files for one organisation into one case file.

Staff surveys and interviews give several answers to the same question. Each fact
is combined from the respondents who answered it:

\b
  yes/no, enum  the most common answer; its confidence is the share that agrees
                times their mean confidence (1.0 where none is given), the mean
                raised by 0.05 for each further respondent who agrees (at most
                0.15); a mean of 0.5 or less is never raised above 0.5
  numbers       one value when everyone gives it; answers that spread become
                their range, from the lowest to the highest, with the median in
                the note
  ties          two answers equally common: the fact is left unknown (written
                'unknown: true'), and said so on standard error
  notes         every answer is kept in the fact's note, with the number of
                respondents

The case ids and the organisations must agree, or be given with --case-id and
--organisation; the date is the latest. docs/merging.md gives the reasons. One
respondent may be '-', read from standard input.

\b
Examples:
  csdiag merge interviews/*.yaml -o acme.yaml
  csdiag merge a.yaml b.yaml survey.yaml -o acme.yaml --case-id acme --force
  unzip -p visit.zip survey.yaml | csdiag merge interviews/*.yaml - -o acme.yaml""")


@click.command(cls=LocalisedCommand, help=HELP_MERGE)
@click.argument("paths", metavar="RESPONDENT...", nargs=-1, required=True, type=CasePath())
@click.option("-o", "--output", required=True,
              type=click.Path(path_type=Path, dir_okay=False),
              help=N_("The case file to write. An existing file is not replaced without "
                      "--force, and a respondent's file never is."))
@click.option("--force", is_flag=True, help=N_("Replace the -o file if it exists."))
@click.option("--case-id", default=None,
              help=N_("The merged case's id, when the respondents' files give different "
                      "ones."))
@click.option("--organisation", default=None,
              help=N_("The merged case's organisation, when the respondents' files name it "
                      "differently."))
@knowledge_options
def merge(paths: tuple[Path, ...], output: Path, force: bool, case_id: str | None,
          organisation: str | None, rules: tuple[Path, ...], no_builtin_rules: bool) -> None:
    workspace = open_workspace(rules, no_builtin_rules)
    workspace.check_case_output(output)
    check_output(output, force, "yaml", False)
    check_not_a_case(output, paths)
    _refuse_repeats(paths)
    respondents = workspace.load_cases(list(paths))
    report = workspace.merge_report(respondents, case_id, organisation)
    report.case.file = str(output)
    # Its notes are written in the language asked for: so is the case, unless it has one.
    report.case.language = report.case.language or chosen_language()
    set_language(workspace.report_language(report.case))
    workspace.save_case(report.case, output, _comment(report))
    for line in _summary(report, output):
        echo(line, err=True)


def _refuse_repeats(paths: tuple[Path, ...]) -> None:
    """One respondent's file given twice would count their answers twice."""
    seen: dict[tuple[int, int], Path] = {}
    for path in paths:
        if str(path) == STDIN:
            continue  # standard input given twice: reading it says so
        try:
            status = os.stat(path)
        except OSError:
            continue  # reading it says what is wrong
        key = (status.st_dev, status.st_ino)
        if key in seen:
            raise UserError([Problem(str(path), None, None, gettext(
                "this file is given twice (also as {other}); its answers would count "
                "twice").format(other=seen[key]), gettext("give each respondent's file "
                                                          "once"))])
        seen[key] = path


def _comment(report: MergeReport) -> str:
    count = len(report.respondents)
    lines = [ngettext("Written by 'csdiag merge' from {count} respondent: {files}.",
                      "Written by 'csdiag merge' from {count} respondents: {files}.",
                      count).format(count=number(count), files=", ".join(report.respondents)),
             gettext("Each fact's note lists every answer. Facts not listed are unknown; a "
                     "tie is written 'unknown: true'.")]
    return "\n".join(lines)


def _summary(report: MergeReport, output: Path) -> list[str]:
    count = len(report.respondents)
    known = len(report.case.facts)
    lines = wrap(gettext("Merged {respondents} into {file}: {facts}.").format(
        respondents=ngettext("{count} respondent", "{count} respondents", count).format(
            count=number(count)),
        file=output,
        facts=ngettext("{count} fact known", "{count} facts known", known).format(
            count=number(known))))
    if report.disagreements:
        lines += wrap(gettext("Respondents disagreed on these ({count}):").format(
            count=number(len(report.disagreements))), "  ")
        for merged in report.disagreements:
            lines += wrap(f"- {merged.fact}: {merged.outcome}", "    ")
    if report.ties:
        lines += wrap(gettext("Left unknown, as the answers are tied ({count}):").format(
            count=number(len(report.ties))), "  ")
        for merged in report.ties:
            lines += wrap(f"- {merged.fact}: {merged.outcome}", "    ")
    return lines
