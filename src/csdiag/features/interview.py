"""A consultation: ask for the unknown facts that matter most, one at a time, until
nothing left to ask could change the result."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from csdiag.api import Diagnoser
from csdiag.authoring.scaffold import parse_value
from csdiag.formats.case import Case, KnownFact
from csdiag.formats.vocabulary import FactValue
from csdiag.reason.diagnosis import CaseResult, OpenQuestion


@dataclass
class Interview:
    diagnoser: Diagnoser
    case: Case
    declined: set[str] = field(default_factory=set)  # answered "unknown"
    skipped: list[str] = field(default_factory=list)  # asked again only at the end
    asked: int = 0
    result: CaseResult | None = None

    def __post_init__(self) -> None:
        self.result = self.diagnoser.diagnose(self.case)

    def questions(self) -> list[OpenQuestion]:
        """The report's open questions, most useful first, less what was declined;
        skipped ones wait until the end."""
        assert self.result is not None
        found = [q for q in self.result.questions if q.fact not in self.declined]
        return sorted(found, key=lambda q: q.fact in self.skipped)  # stable: keeps the rank

    def next_question(self) -> OpenQuestion | None:
        remaining = self.questions()
        return remaining[0] if remaining else None

    def check(self, fact: str, text: str) -> tuple[FactValue | None, str | None]:
        """The typed value of an answer, or why it is not one the fact can take."""
        value = parse_value(text)
        why = self.diagnoser.kb.vocabulary[fact].check_value(value)
        return (None, why) if why else (value, None)  # type: ignore[return-value]

    def answer(self, fact: str, value: FactValue) -> tuple[CaseResult, CaseResult]:
        """Record an answer; return the results before and after it."""
        before = self.result
        assert before is not None
        self.case.facts[fact] = KnownFact(value, "interview")
        self.asked += 1
        self.result = self.diagnoser.diagnose(self.case)
        return before, self.result

    def decline(self, fact: str) -> None:
        self.asked += 1
        self.declined.add(fact)

    def skip(self, fact: str) -> None:
        if fact in self.skipped:
            self.declined.add(fact)  # skipped twice: stop asking
        else:
            self.skipped.append(fact)


def changes(before: CaseResult, after: CaseResult) -> list[str]:
    """What one answer changed, in words."""
    lines = []
    was = {c.rule.id: c.certainty for c in before.diagnoses}
    for conclusion in after.diagnoses:
        if conclusion.rule.id not in was:
            lines.append(f"now diagnosed: {conclusion.rule.title} [{conclusion.rule.id}], "
                         f"certainty {conclusion.certainty:.2f}")
    out_before = {c.rule.id for c in before.ruled_out}
    for conclusion in after.ruled_out:
        if conclusion.rule.id not in out_before:
            lines.append(f"ruled out: {conclusion.rule.title} [{conclusion.rule.id}]")
    return lines


def case_document(case: Case) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for name in sorted(case.facts):
        known = case.facts[name]
        entry: dict[str, Any] = {"value": known.value}
        if known.source:
            entry["source"] = known.source
        if known.note:
            entry["note"] = known.note
        if known.confidence is not None:
            entry["confidence"] = known.confidence
        facts[name] = entry if len(entry) > 1 else known.value
    document: dict[str, Any] = {"case": case.id, "organisation": case.organisation,
                                "date": case.date, "assessor": case.assessor}
    if case.description:
        document["description"] = case.description
    document["facts"] = facts
    return document


def save_case(case: Case, path: Path) -> None:
    """Write the case file atomically: an interrupted save never leaves half a file."""
    text = ("# Written by 'csdiag interview'. Facts not listed are unknown.\n"
            + yaml.safe_dump(case_document(case), sort_keys=False, allow_unicode=True))
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def empty_case(path: Path, organisation: str, assessor: str) -> Case:
    stem = "".join(c if c.isalnum() else "-" for c in path.stem.lower()).strip("-") or "case"
    stem = "-".join(part for part in stem.split("-") if part)
    return Case(id=stem, organisation=organisation, date=dt.date.today().isoformat(),
                assessor=assessor, file=str(path))
