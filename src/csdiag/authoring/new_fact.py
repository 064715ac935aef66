"""`csdiag facts new`: declare a fact in a pack's vocabulary.yaml, valid from the start.
The file is appended to, never rewritten, so the writer's comments and order stay; a
declaration that would not load is not written at all."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from csdiag.formats.errors import Problem, UserError, did_you_mean
from csdiag.formats.vocabulary import FACT_NAME, Vocabulary, read_vocabulary_file
from csdiag.i18n import gettext

FACT_TYPES = ("boolean", "integer", "number", "percentage", "score", "enum")
NUMERIC = ("integer", "number", "percentage")


@dataclass
class NewFact:
    """A fact to declare: its name, type and the words a report and the interview use."""

    name: str
    type: str
    meaning: str
    question: str
    unit: str | None = None  # plural forms with '|': 'day|days'
    values: list[str] = field(default_factory=list)  # for an enum
    minimum: float | None = None
    maximum: float | None = None


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML string


def declaration(fact: NewFact) -> str:
    """The fact's lines, as they go under 'facts:'."""
    lines = [f"  {fact.name}:", f"    type: {fact.type}"]
    if fact.unit:
        lines.append(f"    unit: {_quoted(fact.unit)}")
    if fact.values:
        lines.append(f"    values: [{', '.join(fact.values)}]")
    if fact.minimum is not None:
        lines.append(f"    min: {fact.minimum:g}")
    if fact.maximum is not None:
        lines.append(f"    max: {fact.maximum:g}")
    lines += [f"    meaning: {_quoted(fact.meaning)}", f"    question: {_quoted(fact.question)}"]
    return "\n".join(lines) + "\n"


def check_new_fact(fact: NewFact, known: Vocabulary) -> list[Problem]:
    """What stops the fact from being declared; the rest the vocabulary loader checks."""
    problems = []

    def fail(message: str, hint: str) -> None:
        problems.append(Problem("csdiag facts new", None, None, message, hint))

    if not FACT_NAME.match(fact.name):
        fail(gettext("'{fact}' is not a valid fact name").format(fact=fact.name),
             gettext("use dotted lower-case words, e.g. training.new_hire_days"))
    elif fact.name in known:
        fail(gettext("fact '{fact}' is already declared in {file}").format(
            fact=fact.name, file=known[fact.name].file),
            gettext("use it as it is, or give the new fact another name"))
    if fact.type not in FACT_TYPES:
        fail(gettext("'{type}' is not a fact type").format(type=fact.type),
             did_you_mean(fact.type, FACT_TYPES, gettext("types: {types}").format(
                 types=", ".join(FACT_TYPES))))
    return problems


def write_new_fact(fact: NewFact, folder: Path, known: Vocabulary) -> Path:
    """Append the fact to <folder>/vocabulary.yaml (made when missing); the file is left as
    it was if the result would not load."""
    problems = check_new_fact(fact, known)
    if folder.exists() and not folder.is_dir():
        problems.append(Problem(str(folder), None, None, gettext("this is a file, not a folder"),
                                gettext("give a folder to write the fact into")))
    if problems:
        raise UserError(problems)
    path = folder / "vocabulary.yaml"
    before = path.read_text(encoding="utf-8") if path.exists() else None
    if before is not None:
        found = read_vocabulary_file(path, Vocabulary())
        if found:  # its own problems first: the new fact would be read with them
            raise UserError(found)
    text = (before if before is not None else "facts:\n")
    text = text + ("" if text.endswith("\n") else "\n") + declaration(fact)
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    found = read_vocabulary_file(path, Vocabulary())
    if found:
        if before is None:
            path.unlink()
        else:
            path.write_text(before, encoding="utf-8")
        raise UserError([Problem("csdiag facts new", None, None, p.message, p.hint)
                         for p in found])
    return path
