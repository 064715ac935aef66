"""Case files: one organisation's facts, checked against the vocabulary; read, and
written back (the interview saves as it goes).

Wherever a case file is read, '-' reads it from standard input instead: once, however
often a batch walks its paths, and named '<stdin>' in problems and reports. A case read
so is never written back: it has no file to write to."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from csdiag.formats.errors import Problem, UserError, did_you_mean, invalid
from csdiag.formats.limits import CASE_FACTS, FILE_BYTES
from csdiag.formats.located_yaml import (
    YamlDocument,
    YamlPath,
    missing_path,
    read_yaml,
    yaml_from_bytes,
)
from csdiag.formats.rule import SLUG
from csdiag.formats.validation import problems_from_validation, validated
from csdiag.formats.vocabulary import FactDefinition, FactValue, Vocabulary
from csdiag.i18n import gettext, ngettext, number
from csdiag.model.logic import show_value

EvidenceSource = Literal["interview", "survey", "document", "observation", "data"]


class FactEntry(BaseModel):
    """The long form of a fact in a case file: a value, a bound or a range (numbers
    only), or `unknown: true` for a question asked that nobody could answer."""

    model_config = ConfigDict(extra="forbid", strict=True)

    value: Any = None
    at_least: Any = Field(default=None, description="A lower bound, e.g. 'over 20 years'")
    at_most: Any = Field(default=None, description="An upper bound, e.g. 'under 5 days'")
    unknown: bool | None = Field(default=None, description=(
        "true: asked, and nobody knew (say who was asked in 'note')"))
    source: EvidenceSource | None = None
    note: str | None = None
    confidence: float | None = Field(default=None, gt=0.0, le=1.0, description=(
        "For an estimate: how sure the source is (e.g. 0.6 for 'roughly 40%')"))


class CaseFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    case: str = Field(pattern=SLUG)
    organisation: str = Field(min_length=1)
    date: dt.date
    assessor: str = Field(min_length=1)
    language: Literal["en", "zh", "ru"] | None = Field(default=None, description=(
        "The language the case is written in; its report is written in it unless --lang "
        "says otherwise"))
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$", description=(
        "The organisation's currency (ISO 4217, e.g. CNY); remedies state figures only in "
        "this currency"))
    description: str | None = None
    facts: dict[str, Any] = Field(default_factory=dict)

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> object:
        # Text is read as a date here, so that a value that is no date is one problem (a
        # date or text, checked each in turn, would be two). '12/10/2026' could be
        # October or December: only year-month-day is read.
        if not isinstance(value, str):
            return value  # a date; anything else is refused as not one, once
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise invalid(gettext("'{value}' is not a date in the form YYYY-MM-DD").format(
                value=value), gettext("write it as year-month-day, e.g. 2026-10-12"))
        try:
            return dt.date.fromisoformat(value)
        except ValueError as error:  # in the form, but no real date: 2026-02-30
            raise invalid(gettext("'{value}' is not a real date: {error}").format(
                value=value, error=error), gettext(
                    "write a date as YYYY-MM-DD, e.g. 2026-10-12")) from None


@dataclass
class KnownFact:
    """What a case says of one fact: its value, or (numbers) a bound or a range."""

    value: FactValue | None
    source: str | None = None
    note: str | None = None
    confidence: float | None = None  # set for an estimate
    at_least: float | None = None
    at_most: float | None = None

    @classmethod
    def between(cls, low: float | None, high: float | None, source: str | None = None,
                note: str | None = None, confidence: float | None = None) -> KnownFact:
        """A fact known by a bound or a range; a range of one value is that value."""
        if low is not None and low == high:
            return cls(low, source, note, confidence)
        return cls(None, source, note, confidence, at_least=low, at_most=high)

    @property
    def bounded(self) -> bool:
        return self.value is None and (self.at_least is not None or self.at_most is not None)


@dataclass
class Case:
    id: str
    organisation: str
    date: str
    assessor: str
    file: str
    description: str | None = None
    facts: dict[str, KnownFact] = field(default_factory=dict)
    language: str | None = None  # the case's own language, when it states one
    currency: str | None = None
    # Asked, and nobody knew: unknown to reasoning, but not to be asked again blindly.
    unknown: dict[str, KnownFact] = field(default_factory=dict)

    def values(self) -> dict[str, FactValue]:
        """The facts known exactly."""
        return {name: fact.value for name, fact in self.facts.items()
                if fact.value is not None}

    def bounds(self) -> dict[str, tuple[float | None, float | None]]:
        """The facts known only by a bound or a range: (at least, at most)."""
        return {name: (fact.at_least, fact.at_most) for name, fact in self.facts.items()
                if fact.bounded}

    def confidences(self) -> dict[str, float]:
        """The facts that are estimates, with how sure their source is."""
        return {name: fact.confidence for name, fact in self.facts.items()
                if fact.confidence is not None}


def _entry(doc: YamlDocument, path_: YamlPath, entry: FactEntry, definition: FactDefinition,
           ) -> tuple[KnownFact | None, list[Problem]]:
    """One long-form fact checked: one of a value, bounds, or unknown, each valid."""
    bounds = {key: getattr(entry, key) for key in ("at_least", "at_most")
              if getattr(entry, key) is not None}
    given = [key for key, present in (("value", entry.value is not None),
                                      ("at_least/at_most", bool(bounds)),
                                      ("unknown", bool(entry.unknown))) if present]
    if len(given) > 1:
        return None, [doc.problem(path_, gettext("give one of {keys}, not both").format(
            keys=gettext(" or ").join(given)),
            gettext("a value when it is known, a bound or range when only that is known, "
                    "'unknown: true' when nobody knew"))]
    if bounds and not definition.is_numeric:
        return None, [doc.problem((*path_, next(iter(bounds))), gettext(
            "a {type} fact cannot take a bound").format(type=definition.type),
            gettext("give its value, or leave it out"))]
    problems = []
    for key, bound in bounds.items():
        why = definition.check_value(bound)
        if why:
            problems.append(doc.problem((*path_, key), why,
                                        gettext("give a bound inside the fact's range")))
    if problems:
        return None, problems
    low, high = bounds.get("at_least"), bounds.get("at_most")
    if low is not None and high is not None and low > high:
        return None, [doc.problem((*path_, "at_most"), gettext(
            "at_most {high} is below at_least {low}").format(
                high=show_value(high), low=show_value(low)), gettext("swap the two bounds"))]
    if bounds:
        return KnownFact.between(low, high, entry.source, entry.note, entry.confidence), []
    return KnownFact(entry.value, entry.source, entry.note, entry.confidence), []


def parse_facts(doc: YamlDocument, base: YamlPath, raw_facts: dict[str, Any],
                vocabulary: Vocabulary, unknown: dict[str, KnownFact] | None = None,
                ) -> tuple[dict[str, KnownFact], list[Problem]]:
    """Check each fact of a case (or a rule-test fixture) against the vocabulary; facts
    stated as asked-but-unknown go into `unknown` when given."""
    problems: list[Problem] = []
    facts: dict[str, KnownFact] = {}
    if len(raw_facts) > CASE_FACTS.value:
        return {}, [doc.problem(base, ngettext(
            "{count} fact: past csdiag's limit on {limit} ({value})",
            "{count} facts: past csdiag's limit on {limit} ({value})", len(raw_facts)).format(
                count=number(len(raw_facts), 0), **CASE_FACTS.words()), CASE_FACTS.hint())]
    for name, raw in raw_facts.items():
        path_ = (*base, name)
        if name not in vocabulary:
            hint = did_you_mean(name, vocabulary.names())
            problems.append(doc.problem(path_, gettext("unknown fact '{fact}'").format(fact=name),
                                        (hint + " " if hint else "")
                                        + gettext("'csdiag facts' lists every declared fact"),
                                        at_key=True))
            continue
        entry = FactEntry(value=raw)
        value_path = path_
        if isinstance(raw, dict):
            try:
                entry = FactEntry.model_validate(raw)
            except ValidationError as error:
                problems += problems_from_validation(error, doc, path_, FactEntry)
                continue
            value_path = (*path_, "value")
        known, found = _entry(doc, path_, entry, vocabulary[name])
        problems += found
        if known is None:
            continue
        if entry.unknown:
            if unknown is not None:
                unknown[name] = known
            continue
        if known.value is None and not known.bounded:
            continue  # stated as not known: the same as leaving the fact out
        why = vocabulary[name].check_value(known.value) if known.value is not None else None
        if why:
            problems.append(doc.problem(value_path, why, _value_hint(known.value,
                                                                      vocabulary[name])))
            continue
        facts[name] = known
    return facts, problems


_WORDS_OF_TRUTH = {"yes": "true", "no": "false", "true": "true", "false": "false",
                   "y": "true", "n": "false", "on": "true", "off": "false"}


def _value_hint(value: object, definition: FactDefinition) -> str:
    """How to correct a value; a quoted yes/no for a yes/no fact is the usual slip."""
    if definition.type == "boolean" and isinstance(value, str) and \
            value.strip().lower() in _WORDS_OF_TRUTH:
        return gettext("write {value} without quotes: in quotes, '{text}' is text").format(
            value=_WORDS_OF_TRUTH[value.strip().lower()], text=value)
    return definition.fix_for(value, gettext("correct the value, or leave the fact out if unknown"))


STDIN = "-"  # the case path that names standard input
STDIN_NAME = "<stdin>"  # where problems and reports say a case read from it comes from


def reads_stdin(path: str | os.PathLike[str]) -> bool:
    """Whether a case path names standard input."""
    return os.fspath(path) == STDIN


def _piped_example() -> str:
    return gettext("pipe a case file in, e.g. 'csdiag diagnose - < case.yaml'")


def stdin_given_twice() -> Problem:
    """'-' among the paths more than once: what standard input holds is one case."""
    return Problem(STDIN_NAME, None, None, gettext(
        "standard input ('-') is given more than once, and holds one case"),
        gettext("give '-' once; give the other cases as files"))


# The stream last read, and what it held: a batch walks its paths more than once (checked,
# then diagnosed), and meets '-' on each walk.
_stdin_read: tuple[object, bytes] | None = None


def _standard_input() -> bytes:
    """What standard input holds (at most FILE_BYTES and one byte), read once."""
    global _stdin_read
    stream = sys.stdin
    if _stdin_read is not None and _stdin_read[0] is stream:
        return _stdin_read[1]
    if stream is None or stream.closed:
        raise UserError([Problem(STDIN_NAME, None, None, gettext(
            "standard input is closed"), _piped_example())])
    limit = FILE_BYTES.value
    buffer = getattr(stream, "buffer", None)
    try:
        raw = (buffer.read(limit + 1) if buffer is not None
               else stream.read(limit + 1).encode("utf-8", "surrogateescape"))
    except OSError as error:
        raise UserError([Problem(STDIN_NAME, None, None, gettext(
            "cannot read the file: {reason}").format(reason=error.strerror),
            _piped_example())]) from None
    _stdin_read = (stream, raw)
    return raw


def case_yaml(path: Path) -> YamlDocument:
    """The YAML of a case file, or of standard input for '-'."""
    if reads_stdin(path):
        return yaml_from_bytes(_standard_input(), STDIN_NAME, empty=Problem(
            STDIN_NAME, None, None, gettext("standard input is empty"), _piped_example()))
    return read_yaml(path)


def load_case(path: Path, vocabulary: Vocabulary) -> Case:
    """Read and validate one case file ('-': standard input); raise UserError with every
    problem found."""
    doc, parsed = validated(case_yaml(path), CaseFile, "case:, organisation:, facts:, ...",
                            gettext("see docs/formats.md, 'Case files'"))
    unknown: dict[str, KnownFact] = {}
    facts, problems = parse_facts(doc, ("facts",), parsed.facts, vocabulary, unknown)
    if problems:
        raise UserError(problems)
    return Case(id=parsed.case, organisation=parsed.organisation,
                date=parsed.date.isoformat(), assessor=parsed.assessor, file=doc.file,
                description=parsed.description,
                facts=facts, unknown=unknown, language=parsed.language,
                currency=parsed.currency)


SORTED_FOLDER = 10_000  # entries a folder may hold and still be walked in name order
CASE_SUFFIXES = (".yaml", ".yml")


def _walk(folder: Path) -> Iterator[Path]:
    """The case files under `folder`, depth first, each folder in name order. A folder
    of more than SORTED_FOLDER entries is walked in the order the file system lists it:
    sorting it would hold every name in memory, and a batch of any size must not."""
    with os.scandir(folder) as counting:
        size = sum(1 for _ in itertools.islice(counting, SORTED_FOLDER + 1))
    with os.scandir(folder) as entries:
        ordered: Iterable[os.DirEntry[str]] = (
            sorted(entries, key=lambda e: e.name) if size <= SORTED_FOLDER else entries)
        for entry in ordered:
            if entry.is_dir(follow_symlinks=False):  # a symlinked folder could loop
                yield from _walk(Path(entry.path))
            elif entry.name.endswith(CASE_SUFFIXES):
                yield Path(entry.path)


class KeptCases:
    """Cases read while their files were checked, by path, with the vocabulary they
    were read against: a short run then reads each file once."""

    def __init__(self) -> None:
        self.cases: dict[str, Case] = {}
        self.vocabulary: Vocabulary | None = None

    def keep(self, path: Path, case: Case, vocabulary: Vocabulary, most: int) -> None:
        """Keep `case`, read from `path` against `vocabulary`, while fewer than `most`
        are kept."""
        if len(self.cases) < most and (self.vocabulary is None
                                       or self.vocabulary is vocabulary):
            self.vocabulary = vocabulary
            self.cases[str(path)] = case

    def take(self, path: Path, vocabulary: Vocabulary) -> Case | None:
        """The case kept for `path`, given up (it is handed out once), if it was read
        against this very vocabulary; None: read the file."""
        if self.vocabulary is not vocabulary:
            return None
        return self.cases.pop(str(path), None)


class CaseFiles:
    """The case files at some paths (folders searched; '-' is standard input), walked
    afresh on each iteration, so any number of them costs no memory; missing paths, empty
    folders and '-' given twice are user errors, raised when they are first walked."""

    def __init__(self, paths: Iterable[Path]):
        self.paths = list(paths)
        self.count: int | None = None  # how many there were when last walked in full
        # The first cases read when the files were checked: handed to whoever diagnoses
        # them against the same vocabulary, rather than read again.
        self.kept = KeptCases()

    def __iter__(self) -> Iterator[Path]:
        problems: list[Problem] = []
        # A file given twice (or a folder and a file in it) is one case, diagnosed once.
        # One folder cannot repeat a file, so only several paths pay for remembering.
        seen: set[Path] | None = set() if len(self.paths) > 1 else None

        def first_time(file: Path) -> bool:
            if seen is None:
                return True
            key = file.resolve()
            if key in seen:
                return False
            seen.add(key)
            return True

        stdin = False
        for path in self.paths:
            if reads_stdin(path):
                if stdin:
                    problems.append(stdin_given_twice())
                else:
                    stdin = True
                    yield path
            elif path.is_dir():
                found = False
                for file in _walk(path):
                    found = True
                    if first_time(file):
                        yield file
                if not found:
                    problems.append(Problem(str(path), None, None,
                                            gettext("this folder holds no .yaml files"),
                                            gettext("give case files, or a folder that holds "
                                                    "them")))
            elif path.exists() or path.is_symlink():
                if first_time(path):
                    yield path
            else:
                problems.append(missing_path(str(path)))
        if problems:
            raise UserError(problems)

    def __len__(self) -> int:
        if self.count is None:
            self.count = sum(1 for _ in self)
        return self.count


def case_files(paths: list[Path]) -> list[Path]:
    """Expand folders into the YAML files they hold ('-' stands for standard input);
    missing paths and '-' given twice are user errors."""
    found: list[Path] = []
    problems: list[Problem] = []
    if sum(reads_stdin(path) for path in paths) > 1:
        problems.append(stdin_given_twice())
    for path in paths:
        try:
            found += CaseFiles([path])
        except UserError as error:
            problems += error.problems
    if problems:
        raise UserError(problems)
    return found


def with_changes(case: Case, changes: dict[str, FactValue], source: str = "what-if") -> Case:
    """A copy of the case with some facts set, as if a change had been made."""
    changed = copy.deepcopy(case)
    for fact, value in changes.items():
        changed.facts[fact] = KnownFact(value, None, source)
    return changed


def case_document(case: Case) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    stated = {**case.facts, **{n: f for n, f in case.unknown.items() if n not in case.facts}}
    for name in sorted(stated):
        known = stated[name]
        entry: dict[str, Any]
        if name not in case.facts:
            entry = {"unknown": True}
        elif known.bounded:
            entry = {key: getattr(known, key) for key in ("at_least", "at_most")
                     if getattr(known, key) is not None}
        else:
            entry = {"value": known.value}
        if known.source:
            entry["source"] = known.source
        if known.note:
            entry["note"] = known.note
        if known.confidence is not None:
            entry["confidence"] = known.confidence
        facts[name] = entry if len(entry) > 1 or "value" not in entry else known.value
    document: dict[str, Any] = {"case": case.id, "organisation": case.organisation,
                                "date": case.date, "assessor": case.assessor}
    if case.language:
        document["language"] = case.language
    if case.currency:
        document["currency"] = case.currency
    if case.description:
        document["description"] = case.description
    document["facts"] = facts
    return document


def writable_case_path(path: Path) -> Path:
    """Where saving a case to `path` writes: the file itself, or the file a symlink points
    to (the link is kept). A device, a pipe or a folder is refused: the atomic rename of a
    save would replace it with a plain file. So is '-': it names standard input, which a
    case is read from, never written to."""
    if reads_stdin(path):
        raise UserError([Problem(STDIN, None, None, gettext(
            "'-' names standard input, not a file to write"),
            gettext("give the path of a .yaml file"))])
    target = path.resolve() if path.is_symlink() else path
    if target.exists() and not target.is_file():
        raise UserError([Problem(str(path), None, None, gettext(
            "this is not a regular file (a folder, a device or a pipe), so a case cannot be "
            "saved there"), gettext("give the path of a .yaml file"))])
    if not target.parent.is_dir():
        raise UserError([Problem(str(path), None, None, gettext("its folder does not exist"),
                                 gettext("create the folder first, or give another file"))])
    return target


def save_case(case: Case, path: Path, comment: str | None = None) -> None:
    """Write the case file atomically: an interrupted save never leaves half a file.
    `comment` (lines) heads it, in place of the interview's."""
    comment = comment or gettext("Written by 'csdiag interview'. Facts not listed are "
                                 "unknown.")
    text = ("".join(f"# {line}".rstrip() + "\n" for line in comment.splitlines())
            + yaml.safe_dump(case_document(case), sort_keys=False, allow_unicode=True))
    path = writable_case_path(path)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def empty_case(path: Path, organisation: str, assessor: str) -> Case:
    stem = "".join(c if c.isalnum() else "-" for c in path.stem.lower()).strip("-") or "case"
    stem = "-".join(part for part in stem.split("-") if part)
    return Case(id=stem, organisation=organisation, date=dt.date.today().isoformat(),
                assessor=assessor, file=str(path))
