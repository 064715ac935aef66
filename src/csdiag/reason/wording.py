"""Conditions and evidence in plain language, for people: the fact's meaning, the case's
value with its unit, and where it stands against the line a rule draws ("68% of
front-line staff left — above the 45% line (a published figure)"). Raw conditions stay
in JSON and `explain`, where rule writers read them."""

from __future__ import annotations

from csdiag.formats.case import KnownFact
from csdiag.formats.rule import SECTOR_FACT
from csdiag.formats.vocabulary import FactDefinition, Vocabulary
from csdiag.i18n import N_, fixed, gettext, number, percent
from csdiag.model.logic import Atom, Band, Comparison, FindingRef, Graded, Known, Membership

# Whole sentences per relation, so each language orders its words its own way.
_EVIDENCE = {
    "gt": N_("{what}: {value} — above {line} ({basis})"),
    "ge": N_("{what}: {value} — at or above {line} ({basis})"),
    "lt": N_("{what}: {value} — below {line} ({basis})"),
    "le": N_("{what}: {value} — at or below {line} ({basis})"),
    "eq": N_("{what}: {value} — equal to {line} ({basis})"),
    "ne": N_("{what}: {value} — not equal to {line} ({basis})"),
}
_CONDITION = {
    "gt": N_("{what} is above {value}"),
    "ge": N_("{what} is at or above {value}"),
    "lt": N_("{what} is below {value}"),
    "le": N_("{what} is at or below {value}"),
    "eq": N_("{what} is equal to {value}"),
    "ne": N_("{what} is not equal to {value}"),
}
_BASIS = {"published": N_("a published figure"), "judgement": N_("our judgement")}


def _basis(threshold: str | None) -> str:
    return gettext(_BASIS[threshold]) if threshold in _BASIS else gettext("our judgement")


def label(definition: FactDefinition) -> str:
    """What a fact is, as a reader's phrase: its meaning without the closing full stop."""
    return definition.meaning.get().strip().rstrip(".。")


def amount(value: object, definition: FactDefinition) -> str:
    """A value with its unit: 38%, 12 years, 2.9 of 5, yes, entry level."""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, str):
        return definition.value_label(value)
    if not isinstance(value, (int, float)):
        return str(value)
    if definition.type == "score":
        high = definition.bounds()[1]
        return gettext("{value} of {top}").format(value=number(value), top=number(high or 5))
    unit = definition.unit_for(value)
    if definition.type == "percentage" or unit.startswith("%"):
        shown = percent(value)
        rest = unit.removeprefix("%").strip()
        return gettext("{percent} {unit}").format(percent=shown, unit=rest) if rest else shown
    return gettext("{number} {unit}").format(number=number(value), unit=unit).strip()


def line(value: float, definition: FactDefinition) -> str:
    """'the 30% line', 'the line at 10 years'."""
    if definition.type == "percentage" or definition.unit_for(value).startswith("%"):
        return gettext("the {percent} line").format(percent=percent(value))
    return gettext("the line at {amount}").format(amount=amount(value, definition))


def profile_line(the_line: str, path: tuple[object, ...], vocabulary: Vocabulary) -> str:
    """'the line at 4 minutes for retail stores' where a sector profile set the line."""
    if "by_sector" not in path or path.index("by_sector") + 1 >= len(path):
        return the_line
    sector = str(path[path.index("by_sector") + 1])
    label = vocabulary[SECTOR_FACT].value_label(sector) if SECTOR_FACT in vocabulary else sector
    return gettext("{line} for {sector}").format(line=the_line, sector=label)


def case_value(known: KnownFact, definition: FactDefinition) -> str:
    """The case's value as a reader says it, bounds included."""
    if not known.bounded:
        return amount(known.value, definition)
    if known.at_most is None:
        return gettext("at least {amount}").format(amount=amount(known.at_least, definition))
    if known.at_least is None:
        return gettext("at most {amount}").format(amount=amount(known.at_most, definition))
    return gettext("between {low} and {high}").format(
        low=amount(known.at_least, definition), high=amount(known.at_most, definition))


def evidence(atom: Atom, known: KnownFact | None, vocabulary: Vocabulary,
             graded: Graded | None = None, finding_title: str = "",
             certainty: float | None = None) -> str:
    """One piece of evidence as a sentence a client reads."""
    if isinstance(atom, FindingRef):
        if not atom.holds:
            return gettext("{finding} (ruled out)").format(finding=finding_title)
        if certainty is None:
            return gettext("{finding} (concluded)").format(finding=finding_title)
        return gettext("{finding} (concluded, certainty {certainty})").format(
            finding=finding_title, certainty=fixed(certainty))
    definition = vocabulary[atom.fact]
    what = label(definition)
    if known is None:
        return gettext("{what}: not known").format(what=what)
    value = case_value(known, definition)
    if isinstance(atom, Comparison) and atom.op in _EVIDENCE and atom.threshold:
        return gettext(_EVIDENCE[atom.op]).format(
            what=what, value=value, basis=_basis(atom.threshold),
            line=profile_line(line(float(atom.value), definition), atom.path, vocabulary))
    if isinstance(atom, Band):
        return _band_sentence(what, value, atom, graded, definition, vocabulary)
    if isinstance(atom, Membership) and not atom.included:
        others = gettext(", ").join(amount(v, definition) for v in atom.values)
        return gettext("{what}: {value} (not {others})").format(what=what, value=value,
                                                                others=others)
    return gettext("{what}: {value}").format(what=what, value=value)


def _band_sentence(what: str, value: str, atom: Band, graded: Graded | None,
                   definition: FactDefinition, vocabulary: Vocabulary) -> str:
    basis = _basis(graded.threshold if graded else None)
    if graded is None or graded.line is None:
        if atom.strength < 1:
            return gettext("{what}: {value} — borderline ({basis})").format(
                what=what, value=value, basis=basis)
        return gettext("{what}: {value} — clearly past the graded range ({basis})").format(
            what=what, value=value, basis=basis)
    the_line = profile_line(line(graded.line, definition), graded.path, vocabulary)
    if atom.strength >= 1:
        template = (N_("{what}: {value} — clearly above {line} ({basis})") if graded.rising
                    else N_("{what}: {value} — clearly below {line} ({basis})"))
        return gettext(template).format(what=what, value=value, line=the_line, basis=basis)
    past = (atom.low is not None and atom.low >= graded.line) if graded.rising else (
        atom.high is not None and atom.high <= graded.line)
    above = past if graded.rising else not past
    template = (N_("{what}: {value} — just above {line} ({basis}): borderline, so it counts "
                   "only in part") if above else
                N_("{what}: {value} — just under {line} ({basis}): borderline, so it counts "
                   "only in part"))
    return gettext(template).format(what=what, value=value, line=the_line, basis=basis)


def condition(atom: Atom, vocabulary: Vocabulary, finding_title: str = "") -> str:
    """What a condition asks of the case, for an 'if ...' ('the leadership team has been
    in post 10 years or more')."""
    if isinstance(atom, FindingRef):
        template = N_("{finding} is found") if atom.holds else N_("{finding} is ruled out")
        return gettext(template).format(finding=finding_title)
    definition = vocabulary[atom.fact]
    what = label(definition)
    if isinstance(atom, Comparison):
        if definition.type == "boolean" and atom.op in ("eq", "ne"):
            if (atom.value is True) == (atom.op == "eq"):
                return what
            return gettext("not so: {what}").format(what=what)
        return gettext(_CONDITION[atom.op]).format(what=what,
                                                   value=amount(atom.value, definition))
    if isinstance(atom, Graded):
        if atom.line is not None:
            return gettext(_CONDITION[atom.line_op]).format(
                what=what, value=amount(atom.line, definition))
        template = _CONDITION["gt"] if atom.rising else _CONDITION["lt"]
        return gettext(template).format(what=what, value=amount(atom.start, definition))
    if isinstance(atom, Membership):
        values = gettext(", ").join(amount(v, definition) for v in atom.values)
        template = N_("{what} is one of {values}") if atom.included else N_(
            "{what} is none of {values}")
        return gettext(template).format(what=what, values=values)
    if isinstance(atom, Known):
        template = N_("{what} is known") if atom.known else N_("{what} is not known")
        return gettext(template).format(what=what)
    return atom.describe()
