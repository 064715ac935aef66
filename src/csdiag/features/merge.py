"""Several respondents' answers for one organisation, combined into one case: staff
surveys and interviews give several answers to the same question. Pure: it reads cases
and returns one; docs/merging.md states the rules and why.

- yes/no and enum facts: the most common answer. Its confidence is the share of
  answers that agree times their mean confidence (1.0 where none is stated), the mean
  raised by CORROBORATION for each further respondent who agrees (at most
  CORROBORATION_CAP in all); agreeing guesses stay guesses: a mean at or below the
  estimate line (RULE_OUT_ABOVE) is never raised past it. A tie leaves the fact unknown.
- numbers: the same answer from everyone is that value; answers that spread are kept as
  the range from the lowest to the highest, with the median in the note, so a rule whose
  line falls between two respondents' answers stays undetermined, as the respondents
  are (a narrower range would let a line between them settle the verdict against one of
  them); a range of one value is that value.
- every answer is kept in the merged fact's note, with the number of respondents.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from csdiag.formats.case import Case, KnownFact
from csdiag.formats.errors import Problem, UserError
from csdiag.formats.vocabulary import FactDefinition, Vocabulary
from csdiag.i18n import fixed, gettext, ngettext, number, percent
from csdiag.reason.settle import RULE_OUT_ABOVE
from csdiag.reason.wording import amount

CORROBORATION = 0.05  # added to the mean confidence per further respondent who agrees
CORROBORATION_CAP = 0.15  # at most, however many agree
NOTE_QUOTE = 60  # characters of a respondent's own note quoted in the merged note


class MergeRule(StrEnum):
    """What was done with one fact's answers."""

    UNANIMOUS = "unanimous"  # every answer the same
    MAJORITY = "majority"  # yes/no or enum: the most common answer
    RANGE = "range"  # numbers that spread: the range of the answers
    TIE = "tie"  # yes/no or enum: two answers equally common; left unknown
    UNSETTLED = "unsettled"  # numbers given only by bounds that say nothing together
    UNKNOWN = "unknown"  # everyone asked said they did not know


@dataclass
class Answer:
    """One respondent's answer to one fact (`unknown`: asked, and did not know)."""

    respondent: str
    known: KnownFact
    unknown: bool = False


@dataclass
class MergedFact:
    fact: str
    answers: list[Answer]
    rule: MergeRule
    # The merged fact; for one left unknown (a tie, unsettled, nobody knew), its note.
    known: KnownFact | None
    agreeing: int = 0  # answers giving the merged value (yes/no, enum)
    outcome: str = ""  # what was made of the answers, in a phrase ('' when unanimous)

    @property
    def answered(self) -> int:
        """Answers that gave a value or a bound (not 'did not know')."""
        return sum(not a.unknown for a in self.answers)


@dataclass
class MergeReport:
    """The merged case and what was done to each fact, in fact-name order."""

    case: Case
    respondents: list[str]
    facts: list[MergedFact] = field(default_factory=list)

    @property
    def ties(self) -> list[MergedFact]:
        return [f for f in self.facts if f.rule in (MergeRule.TIE, MergeRule.UNSETTLED)]

    @property
    def disagreements(self) -> list[MergedFact]:
        """Facts merged although the respondents disagreed."""
        return [f for f in self.facts if f.rule in (MergeRule.MAJORITY, MergeRule.RANGE)]


def agreement_confidence(agreeing: list[float | None], answered: int) -> float | None:
    """The confidence of the most common answer: the share that agrees times their mean
    confidence, corroborated a little by each further respondent who agrees (a guess
    stays a guess). None when it comes to 1: certain, as a case states nothing."""
    mean = statistics.fmean(c if c is not None else 1.0 for c in agreeing)
    raised = min(1.0, mean + min(CORROBORATION * (len(agreeing) - 1), CORROBORATION_CAP))
    if mean <= RULE_OUT_ABOVE:
        raised = min(raised, RULE_OUT_ABOVE)
    confidence = round(len(agreeing) / answered * raised, 2)
    return None if confidence >= 1 else max(confidence, 0.01)


def _tidy(value: float, whole: bool, rounding: str) -> float | None:
    """A bound as a case file writes it: None for no bound; no more precise than the
    answers, so whole when they are (rounded outwards: the range only widens)."""
    if math.isinf(value):
        return None
    if whole:
        return int(math.floor(value) if rounding == "down" else math.ceil(value))
    value = round(value, 4)
    return int(value) if value.is_integer() else value


def compact(known: KnownFact, definition: FactDefinition) -> str:
    """A value as a note gives it, without its unit (the fact says what it counts): yes,
    entry level, 52%, 5, at least 40%, between 5 and 7."""
    def figure(value: object) -> str:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return amount(value, definition)
        return percent(value) if definition.type == "percentage" else number(value)

    if not known.bounded:
        return figure(known.value)
    if known.at_most is None:
        return gettext("at least {amount}").format(amount=figure(known.at_least))
    if known.at_least is None:
        return gettext("at most {amount}").format(amount=figure(known.at_most))
    return gettext("between {low} and {high}").format(low=figure(known.at_least),
                                                      high=figure(known.at_most))


def _shown(answer: Answer, definition: FactDefinition) -> str:
    """One answer as the merged note lists it: value (respondent, source, confidence:
    “their note”)."""
    known = answer.known
    value = gettext("unknown") if answer.unknown else compact(known, definition)
    where = [answer.respondent]
    if known.source:
        where.append(known.source)
    if known.confidence is not None:
        where.append(gettext("confidence {confidence}").format(
            confidence=fixed(known.confidence)))
    detail = ", ".join(where)
    if known.note:
        quoted = " ".join(known.note.split())
        if len(quoted) > NOTE_QUOTE:
            quoted = quoted[:NOTE_QUOTE - 1].rstrip() + "…"
        detail = f"{detail}: " + gettext("“{note}”").format(note=quoted)
    return f"{value} ({detail})"


def _note(merged: MergedFact, definition: FactDefinition, outcome: str) -> str:
    """Every answer, and what was made of them."""
    merged.outcome = outcome
    count = len(merged.answers)
    listed = ngettext("{count} respondent: {answers}", "{count} respondents: {answers}",
                      count).format(count=number(count), answers=", ".join(
                          _shown(a, definition) for a in merged.answers))
    return f"{listed}; {outcome}" if outcome else listed


def _source(answers: list[Answer]) -> str | None:
    sources = {a.known.source for a in answers}
    return sources.pop() if len(sources) == 1 else None


def _choice(merged: MergedFact, definition: FactDefinition) -> None:
    """A yes/no or enum fact: the most common answer, or unknown on a tie."""
    given = [a for a in merged.answers if not a.unknown]
    votes = Counter(repr(a.known.value) for a in given)  # repr: true is not 1
    ranked = votes.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        merged.rule = MergeRule.TIE
        first = {repr(a.known.value): a.known.value for a in reversed(given)}
        counts = ", ".join(f"{amount(first[key], definition)} {number(votes[key])}"
                           for key, _ in ranked)
        merged.known = KnownFact(None, None, _note(merged, definition, gettext(
            "a tie ({counts}), so the fact is left unknown").format(counts=counts)))
        return
    agreeing = [a for a in given if repr(a.known.value) == ranked[0][0]]
    value = agreeing[0].known.value
    merged.agreeing = len(agreeing)
    merged.rule = MergeRule.UNANIMOUS if len(agreeing) == len(given) else MergeRule.MAJORITY
    confidence = agreement_confidence([a.known.confidence for a in agreeing], len(given))
    outcome = "" if merged.rule is MergeRule.UNANIMOUS else gettext(
        "the majority: {value} ({agreeing} of {count})").format(
            value=amount(value, definition), agreeing=number(len(agreeing)),
            count=number(len(given)))
    merged.known = KnownFact(value, _source(agreeing), _note(merged, definition, outcome),
                             confidence)


def _numbers(merged: MergedFact, definition: FactDefinition) -> None:
    """A number: one value when every answer gives it, else the range of all the answers
    (lowest to highest of their ranges)."""
    given = [a for a in merged.answers if not a.unknown]
    lows = sorted(float(a.known.value if a.known.value is not None
                        else a.known.at_least if a.known.at_least is not None else -math.inf)
                  for a in given)
    highs = sorted(float(a.known.value if a.known.value is not None
                         else a.known.at_most if a.known.at_most is not None else math.inf)
                   for a in given)
    confidences = [a.known.confidence if a.known.confidence is not None else 1.0
                   for a in given]
    confidence = round(statistics.fmean(confidences), 2)
    source = _source(given)
    exact = [float(a.known.value) for a in given
             if a.known.value is not None]
    stated = {(a.known.value, a.known.at_least, a.known.at_most) for a in given}
    if len(stated) == 1:
        first = given[0].known
        merged.rule = MergeRule.UNANIMOUS
        merged.known = KnownFact(first.value, source, _note(merged, definition, ""),
                                 confidence if confidence < 1 else None, first.at_least,
                                 first.at_most)
        return
    whole = definition.type == "integer" or all(
        float(x).is_integer() for x in [*lows, *highs] if not math.isinf(x))
    low = _tidy(lows[0], whole, "down")
    high = _tidy(highs[-1], whole, "up")
    if low is None and high is None:
        merged.rule = MergeRule.UNSETTLED
        merged.known = KnownFact(None, None, _note(merged, definition, gettext(
            "the answers set no common bound, so the fact is left unknown")))
        return
    merged.rule = MergeRule.RANGE
    known = KnownFact.between(low, high, source, None, confidence if confidence < 1 else None)
    outcome = gettext("the range of the answers: {range}").format(
        range=compact(known, definition))
    if len(exact) == len(given):
        outcome = gettext("median {median}; {rest}").format(
            median=compact(KnownFact(statistics.median(exact)), definition), rest=outcome)
    known.note = _note(merged, definition, outcome)
    merged.known = known


def _labels(cases: Sequence[Case]) -> list[str]:
    """Each respondent's name in notes: the file name, or the path where names clash."""
    names = [Path(c.file).name for c in cases]
    return [name if names.count(name) == 1 else c.file for name, c in zip(names, cases,
                                                                         strict=True)]


def _one(cases: Sequence[Case], labels: list[str], what: str, given: str | None,
         option: str) -> str:
    """The id or organisation every respondent gives (or the one given instead)."""
    if given is not None:
        return given
    values = [getattr(c, what) for c in cases]
    if len(set(values)) == 1:
        return str(values[0])
    listed = ", ".join(f"{label}: {value}" for label, value in zip(labels, values,
                                                                    strict=True))
    message = (gettext("the respondents' case files name different cases ({listed})")
               if what == "id" else
               gettext("the respondents' case files name different organisations "
                       "({listed})")).format(listed=listed)
    raise UserError([Problem(option, None, None, message, gettext(
        "merge only files about one organisation; if these are, give {option} to name the "
        "merged case").format(option=option))])


def _latest(dates: list[str]) -> str:
    parsed = []
    for text in dates:
        try:
            parsed.append((dt.date.fromisoformat(text), text))
        except ValueError:
            continue
    return max(parsed)[1] if parsed else dates[0]


def merge_cases(cases: Sequence[Case], vocabulary: Vocabulary, case_id: str | None = None,
                organisation: str | None = None, file: str = "") -> MergeReport:
    """Several respondents' cases for one organisation, merged into one (see the module's
    rules); `case_id` and `organisation` name it when the respondents' files differ."""
    if len(cases) < 2:
        raise UserError([Problem("merge", None, None, gettext(
            "merge needs at least two respondents' case files"),
            gettext("give two or more case files"))])
    labels = _labels(cases)
    currencies = {c.currency for c in cases if c.currency}
    if len(currencies) > 1:
        raise UserError([Problem("merge", None, None, gettext(
            "the respondents' case files state different currencies ({currencies})").format(
                currencies=", ".join(sorted(currencies))),
            gettext("correct the currency in the files that state the wrong one"))])
    languages = {c.language for c in cases}
    descriptions = {c.description for c in cases}
    merged_from = ngettext(
        "Merged by 'csdiag merge' from {count} respondent's case file: {files}.",
        "Merged by 'csdiag merge' from {count} respondents' case files: {files}.",
        len(cases)).format(count=number(len(cases)), files=", ".join(labels))
    common = descriptions.pop() if len(descriptions) == 1 else None
    case = Case(id=_one(cases, labels, "id", case_id, "--case-id"),
                organisation=_one(cases, labels, "organisation", organisation,
                                  "--organisation"),
                date=_latest([c.date for c in cases]),
                assessor=", ".join(dict.fromkeys(c.assessor for c in cases)), file=file,
                description=f"{common.strip()} {merged_from}" if common else merged_from,
                language=languages.pop() if len(languages) == 1 else None,
                currency=currencies.pop() if currencies else None)
    report = MergeReport(case, labels)
    names = sorted({name for c in cases for name in [*c.facts, *c.unknown]})
    for name in names:
        if name not in vocabulary:
            continue
        answers = []
        for label, respondent in zip(labels, cases, strict=True):
            if name in respondent.facts:
                answers.append(Answer(label, respondent.facts[name]))
            elif name in respondent.unknown:
                answers.append(Answer(label, respondent.unknown[name], unknown=True))
        definition = vocabulary[name]
        merged = MergedFact(name, answers, MergeRule.UNKNOWN, None)
        if merged.answered == 0:
            merged.known = KnownFact(None, None, _note(merged, definition, gettext(
                "nobody knew")))
        elif definition.is_numeric:
            _numbers(merged, definition)
        else:
            _choice(merged, definition)
        report.facts.append(merged)
        assert merged.known is not None
        if merged.rule in (MergeRule.TIE, MergeRule.UNSETTLED, MergeRule.UNKNOWN):
            case.unknown[name] = merged.known
        else:
            case.facts[name] = merged.known
    return report
