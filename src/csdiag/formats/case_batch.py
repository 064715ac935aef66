"""A batch of case files checked before any is run: the problems of each bad file (so a
run may go on without them), and the cases assessed twice (one case id, one date).

Of a good file only a hash of its case id and date is kept, so a folder of any size is
checked in little memory, and the files are walked again when the good ones are
diagnosed; the first few cases read may be kept whole, so that a short run reads each
file once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from csdiag.formats.case import CaseFiles, KeptCases, load_case
from csdiag.formats.errors import Problem, UserError
from csdiag.formats.vocabulary import Vocabulary
from csdiag.i18n import gettext


@dataclass(frozen=True)
class DuplicateCase:
    """Two files that are the same case (id) on the same date."""

    first: str
    second: str
    case_id: str
    date: str

    def __str__(self) -> str:
        # Like a Problem: the words a tool may grep for ('warning', 'fix') stay English.
        return ("warning: " + gettext(
            "{first} and {second} are both case '{case}' of {date}: two assessments of "
            "one case on one day, each diagnosed and counted on its own").format(
                first=self.first, second=self.second, case=self.case_id, date=self.date)
            + "\n    fix: " + gettext(
                "if one is a revision of the other, 'csdiag compare {first} {second}' "
                "shows what differs; if they are different cases, give one of them its "
                "own 'case:' id").format(first=self.first, second=self.second))


class GoodCaseFiles(CaseFiles):
    """The case files at some paths, less those a survey found bad: walked afresh on each
    iteration, as CaseFiles are."""

    def __init__(self, paths: Iterable[Path], bad: set[str]):
        super().__init__(paths)
        self.bad = bad

    def __iter__(self) -> Iterator[Path]:
        try:
            for path in super().__iter__():
                if str(path) not in self.bad:
                    yield path
        except UserError as error:
            # A missing path or an empty folder: the survey reported it already.
            if not all(p.file in self.bad for p in error.problems):
                raise


class CaseSurvey:
    """What checking the case files at some paths found."""

    def __init__(self, paths: Iterable[Path]):
        self.paths = list(paths)
        self.every = CaseFiles(self.paths)  # every file, the bad ones too
        self.problems: list[Problem] = []  # every problem of every bad file or path
        self.bad: set[str] = set()  # the bad files, and paths that name none
        self.duplicates: list[DuplicateCase] = []
        self.good = 0
        self.kept = KeptCases()  # the first good cases read

    @property
    def files(self) -> GoodCaseFiles:
        """The good files, to diagnose."""
        files = GoodCaseFiles(self.paths, self.bad)
        files.count = self.good
        files.kept = self.kept
        return files

    @property
    def skipped(self) -> int:
        """Files (and paths) that cannot be diagnosed."""
        return len(self.bad)


def survey_cases(paths: Iterable[Path], vocabulary: Vocabulary, keep: int = 0
                 ) -> CaseSurvey:
    """Read and check every case file at `paths` (folders searched); keep the first
    `keep` good cases whole (`kept`)."""
    survey = CaseSurvey(paths)
    seen: dict[int, int] = {}  # hash of (case id, date): the place of its first file
    clashes: dict[int, list[tuple[Path, str, str]]] = {}  # that place: later files
    try:
        for place, path in enumerate(survey.every):
            try:
                case = load_case(path, vocabulary)
            except UserError as error:
                survey.problems += error.problems
                survey.bad.add(str(path))
                continue
            survey.good += 1
            survey.kept.keep(path, case, vocabulary, keep)
            first = seen.setdefault(hash((case.id, case.date)), place)
            if first != place:
                clashes.setdefault(first, []).append((path, case.id, case.date))
    except UserError as error:  # a missing path, an empty folder
        survey.problems += error.problems
        survey.bad |= {p.file for p in error.problems}
    if clashes:
        survey.duplicates = _duplicates(survey.every, clashes, vocabulary)
    return survey


def _duplicates(files: CaseFiles, clashes: dict[int, list[tuple[Path, str, str]]],
                vocabulary: Vocabulary) -> list[DuplicateCase]:
    """The files first met at the clashing places, read again to be sure (two keys may
    share a hash)."""
    found = []
    try:
        for place, path in enumerate(files):
            if place not in clashes:
                continue
            case = load_case(path, vocabulary)
            found += [DuplicateCase(str(path), str(later), case_id, date)
                      for later, case_id, date in clashes[place]
                      if (case.id, case.date) == (case_id, date)]
    except UserError:
        pass  # a file changed while the batch was checked: it is not a duplicate to report
    return found
