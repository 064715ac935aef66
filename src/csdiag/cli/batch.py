"""What `diagnose` says on stderr of a batch's files: the cases assessed twice (a
warning; both are diagnosed), and with --keep-going the bad files that were skipped, each
problem located as everywhere else (`file:line:col: error: …` and `fix: …`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import click

from csdiag import Problem, UserError, printable
from csdiag.cli.errors import _shown_problems
from csdiag.i18n import gettext, ngettext, number


class Survey(Protocol):
    """What Workspace.survey_cases found (csdiag.formats.case_batch.CaseSurvey)."""

    @property
    def problems(self) -> Sequence[Problem]: ...

    @property
    def duplicates(self) -> Sequence[object]: ...

    @property
    def good(self) -> int: ...

    @property
    def skipped(self) -> int: ...


def warn_of_duplicates(survey: Survey) -> None:
    for duplicate in survey.duplicates:
        click.echo(printable(str(duplicate)), err=True)


def refuse_bad_files(survey: Survey) -> None:
    """Without --keep-going: one bad file stops the run before anything is written."""
    if survey.problems:
        raise UserError(list(survey.problems))


def report_skipped(survey: Survey) -> None:
    """With --keep-going, after the report: the files skipped and why."""
    click.echo(printable(_shown_problems(UserError(list(survey.problems)))), err=True)
    click.echo(gettext("{skipped}; {diagnosed}.").format(
        skipped=ngettext("{count} file with problems was skipped",
                         "{count} files with problems were skipped",
                         survey.skipped).format(count=number(survey.skipped)),
        diagnosed=ngettext("{count} case was diagnosed", "{count} cases were diagnosed",
                           survey.good).format(count=number(survey.good))), err=True)
