"""Conditions and evidence in plain language, for people: the fact's meaning, the case's
value with its unit, and where it stands against the line a rule draws ("68% of
front-line staff left — above the 45% line (a published figure)"). Raw conditions stay
in JSON and `explain`, where rule writers read them."""

from __future__ import annotations

from csdiag.formats.case import KnownFact
from csdiag.formats.vocabulary import FactDefinition, Vocabulary
from csdiag.model.logic import Atom, Band, Comparison, FindingRef, Graded, Known, Membership
from csdiag.model.logic import show_value as _show

_RELATION = {"gt": "above", "ge": "at or above", "lt": "below", "le": "at or below",
             "eq": "equal to", "ne": "not equal to"}
_THRESHOLD = {"published": "a published figure", "judgement": "our judgement"}


def label(definition: FactDefinition) -> str:
    """What a fact is, as a reader's phrase: its meaning without the closing full stop."""
    return definition.meaning.strip().rstrip(".")


def amount(value: object, definition: FactDefinition) -> str:
    """A value with its unit: 38%, 12 years, 2.9 of 5, yes, entry level."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value.replace("_", " ")
    shown = _show(value)
    if definition.type == "score":
        high = definition.bounds()[1]
        return f"{shown} of {_show(high)}"
    unit = definition.unit or ("%" if definition.type == "percentage" else "")
    if unit.startswith("%"):
        return f"{shown}{unit}"
    return f"{shown} {unit}".strip()


def line(value: float, definition: FactDefinition) -> str:
    """'the 30% line', 'the line at 10 years'."""
    if definition.type == "percentage" or (definition.unit or "").startswith("%"):
        return f"the {_show(value)}% line"
    return f"the line at {amount(value, definition)}"


def case_value(known: KnownFact, definition: FactDefinition) -> str:
    """The case's value as a reader says it, bounds included."""
    if not known.bounded:
        return amount(known.value, definition)
    if known.at_most is None:
        return f"at least {amount(known.at_least, definition)}"
    if known.at_least is None:
        return f"at most {amount(known.at_most, definition)}"
    return (f"between {amount(known.at_least, definition)} and "
            f"{amount(known.at_most, definition)}")


def evidence(atom: Atom, known: KnownFact | None, vocabulary: Vocabulary,
             graded: Graded | None = None, finding_title: str = "",
             certainty: float | None = None) -> str:
    """One piece of evidence as a sentence a client reads."""
    if isinstance(atom, FindingRef):
        if atom.holds:
            shown = f", certainty {certainty:.2f}" if certainty is not None else ""
            return f"{finding_title} (concluded{shown})"
        return f"{finding_title} (ruled out)"
    definition = vocabulary[atom.fact]
    what = label(definition)
    if known is None:
        return f"{what}: not known"
    value = case_value(known, definition)
    if isinstance(atom, Comparison) and atom.op in _RELATION and atom.threshold:
        where = f"{_RELATION[atom.op]} {line(float(atom.value), definition)}"
        return f"{what}: {value} — {where} ({_THRESHOLD[atom.threshold]})"
    if isinstance(atom, Band):
        return f"{what}: {value} — {_band_phrase(atom, graded, definition)}"
    if isinstance(atom, Membership) and not atom.included:
        others = ", ".join(amount(v, definition) for v in atom.values)
        return f"{what}: {value} (not {others})"
    return f"{what}: {value}"


def _band_phrase(atom: Band, graded: Graded | None, definition: FactDefinition) -> str:
    judgement = f" ({_THRESHOLD[graded.threshold]})" if graded and graded.threshold else ""
    if graded is None or graded.line is None:
        where = "borderline" if atom.strength < 1 else "clearly past the graded range"
        return where + judgement
    the_line = line(graded.line, definition)
    if atom.strength >= 1:
        side = "above" if graded.rising else "below"
        return f"clearly {side} {the_line}{judgement}"
    past = (atom.low is not None and atom.low >= graded.line) if graded.rising else (
        atom.high is not None and atom.high <= graded.line)
    if graded.rising:
        side = "just above" if past else "just under"
    else:
        side = "just under" if past else "just above"
    return f"{side} {the_line}{judgement}: borderline, so it counts only in part"


def condition(atom: Atom, vocabulary: Vocabulary, finding_title: str = "") -> str:
    """What a condition asks of the case, for an 'if ...' ('the leadership team has been
    in post 10 years or more')."""
    if isinstance(atom, FindingRef):
        return f"{finding_title} {'is found' if atom.holds else 'is ruled out'}"
    definition = vocabulary[atom.fact]
    what = label(definition)
    if isinstance(atom, Comparison):
        if definition.type == "boolean" and atom.op in ("eq", "ne"):
            return what if (atom.value is True) == (atom.op == "eq") else f"not so: {what}"
        return f"{what} is {_RELATION[atom.op]} {amount(atom.value, definition)}"
    if isinstance(atom, Graded):
        if atom.line is not None:
            return f"{what} is {_RELATION[atom.line_op]} {amount(atom.line, definition)}"
        return f"{what} is {'above' if atom.rising else 'below'} {amount(atom.start, definition)}"
    if isinstance(atom, Membership):
        values = ", ".join(amount(v, definition) for v in atom.values)
        return f"{what} is {'one of' if atom.included else 'none of'} {values}"
    if isinstance(atom, Known):
        return f"{what} is {'known' if atom.known else 'not known'}"
    return atom.describe()
