"""The fact vocabulary: every organisational fact csdiag knows, its type and its question."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from csdiag.formats.errors import Problem, UserError, did_you_mean, invalid
from csdiag.formats.located_yaml import YamlDocument, read_yaml
from csdiag.formats.validation import LocalText, problems_from_validation
from csdiag.i18n import N_, Text, gettext, number, pgettext, plural

FACT_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
FactType = Literal["boolean", "integer", "number", "percentage", "score", "enum"]
FactValue = bool | int | float | str

# Operators each type of fact supports; `known` is allowed for all.
ORDERED_OPS = ("gt", "ge", "lt", "le")
OPS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "boolean": ("eq", "ne"),
    "integer": ("eq", "ne", *ORDERED_OPS, "in", "not_in"),
    "number": ("eq", "ne", *ORDERED_OPS),
    "percentage": ("eq", "ne", *ORDERED_OPS),
    "score": ("eq", "ne", *ORDERED_OPS),
    "enum": ("eq", "ne", "in", "not_in"),
}
NUMERIC_TYPES = ("integer", "number", "percentage", "score")
_FIXED_BOUNDS = {"percentage": (0.0, 100.0), "score": (1.0, 5.0)}


class FactDefinition(BaseModel):
    """One fact as declared in vocabulary.yaml."""

    model_config = ConfigDict(extra="forbid", strict=True)

    type: FactType
    meaning: LocalText
    question: LocalText
    unit: LocalText | None = Field(default=None, description=(
        "The unit a value is counted in; plural forms separated by '|' where the language "
        "has them, e.g. {en: month|months, zh: 个月, ru: месяц|месяца|месяцев}"))
    values: list[str] | None = None
    labels: dict[str, LocalText] = Field(default_factory=dict, description=(
        "How each enum value reads in a report and is answered in the interview, e.g. "
        "{entry_level: {en: entry level, zh: 入门级岗位, ru: начальная должность}}; "
        "without a label a value reads as its name with spaces"))
    min: float | None = None
    max: float | None = None
    name: str = Field(default="", exclude=True)
    file: str = Field(default="", exclude=True)
    line: int | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _consistent(self) -> FactDefinition:
        if self.type in ("integer", "number", "percentage") and not self.unit:
            raise invalid(gettext("a {type} fact needs a 'unit'").format(type=self.type),
                          gettext("add e.g. unit: \"% of staff\"") if self.type == "percentage"
                          else gettext("add e.g. unit: month|months"))
        if self.type == "enum" and not self.values:
            raise invalid(gettext("an enum fact needs its allowed 'values'"),
                          gettext("add values: [a, b]"))
        unlabelled = sorted(set(self.labels) - set(self.values or []))
        if unlabelled:
            raise invalid(gettext("'labels' names {value}, which is not one of the fact's "
                                  "values").format(value=repr(unlabelled[0])),
                          did_you_mean(unlabelled[0], self.values or [], gettext(
                              "label only the values listed in 'values'")))
        if self.type != "enum" and self.values is not None:
            raise invalid(gettext("only an enum fact takes 'values'"),
                          gettext("remove 'values' or use type: enum"))
        bounded = self.min is not None or self.max is not None
        # A rate that can pass 100% (staff turnover, say) is a percentage with max: 300.
        past_100 = self.type == "percentage" and self.min is None and (self.max or 0) > 100
        if bounded and not past_100 and self.type not in ("integer", "number"):
            raise invalid(gettext("a {type} fact has fixed bounds").format(type=self.type),
                          gettext("remove 'min'/'max'"))
        if self.min is not None and self.max is not None and self.min > self.max:
            raise invalid(gettext("'min' is greater than 'max'"), gettext("swap them"))
        return self

    def same_values_as(self, other: FactDefinition) -> bool:
        """Whether two declarations take the same values. Units agree when their English
        shares a form ('days' and 'day|days'): translations and plural forms may differ."""
        def forms(unit: Text | None) -> set[str]:
            return {form.strip() for written in unit.all() for form in written.split("|")
                    } if unit else set()

        units_agree = forms(self.unit) & forms(other.unit) or not (self.unit or other.unit)
        return bool(units_agree) and (self.type, self.values, self.min, self.max) == (
            other.type, other.values, other.min, other.max)

    def extended_by(self, other: FactDefinition) -> bool:
        """Whether `other` declares this enum again with every one of its values and more."""
        return (self.type == other.type == "enum"
                and set(self.values or []) < set(other.values or []))

    def unit_for(self, count: float) -> str:
        """The unit in the language in use, in the form `count` takes ('' when none)."""
        if self.unit is None:
            return ""
        # An untranslated unit is English, and takes the English plural forms.
        return plural(self.unit.get(), count, self.unit.language_of())

    def value_label(self, value: str) -> str:
        """An enum value as a reader says it in the language in use."""
        label = self.labels.get(value)
        return label.get() if label else value.replace("_", " ")

    @property
    def is_numeric(self) -> bool:
        """Whether the fact is a number: such a fact may be known by a bound or a range."""
        return self.type in NUMERIC_TYPES

    def bounds(self) -> tuple[float | None, float | None]:
        if self.type == "percentage" and self.max is not None:
            return 0.0, self.max  # a percentage allowed past 100 (max: 300)
        return _FIXED_BOUNDS.get(self.type, (self.min, self.max))

    def allowed(self, written: bool = False) -> str:
        """The values this fact accepts, in words, for error messages and `csdiag facts`.
        `written`: as a file writes them, where a boolean is YAML's true or false in any
        language (an answer may also be yes or no in the language in use)."""
        if self.type == "boolean":
            return pgettext("YAML value", "true or false") if written else gettext(
                "true or false")
        if self.type == "enum":
            values = gettext(", ").join(self._value_with_label(v) for v in self.values or [])
            return gettext("one of: {values}").format(values=values)
        low, high = self.bounds()
        whole = self.type == "integer"
        if low is not None and high is not None:
            template = (N_("a whole number from {low} to {high}") if whole
                        else N_("a number from {low} to {high}"))
        elif low is not None:
            template = N_("a whole number of at least {low}") if whole else N_(
                "a number of at least {low}")
        elif high is not None:
            template = N_("a whole number of at most {high}") if whole else N_(
                "a number of at most {high}")
        else:
            template = N_("a whole number") if whole else N_("a number")
        return gettext(template).format(low=number(low or 0), high=number(high or 0))

    def _value_with_label(self, value: str) -> str:
        label = self.value_label(value)
        if label == value.replace("_", " "):
            return value
        return gettext("{value} ({label})").format(value=value, label=label)

    def choices(self) -> list[str]:
        """The values a file writes for this fact when they are a closed set (an enum's, or
        true and false), for 'did you mean'; none for a number."""
        if self.type == "boolean":
            return ["true", "false"]
        return list(self.values or [])

    def fix_for(self, value: object, fix: str) -> str:
        """`fix` for a value this fact cannot take, after the value meant when one is near
        (a misspelt enum value, 'no' for false)."""
        return did_you_mean(value, self.choices(), fix) if isinstance(value, str) else fix

    def check_value(self, value: object) -> str | None:
        """Why `value` is not a valid value of this fact, or None when it is."""
        ok: bool
        if self.type == "boolean":
            ok = isinstance(value, bool)
        elif self.type == "enum":
            ok = isinstance(value, str) and value in (self.values or [])
        elif self.type == "integer":
            ok = isinstance(value, int) and not isinstance(value, bool)
        else:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok and self.type not in ("boolean", "enum"):
            low, high = self.bounds()
            try:
                number = float(value)  # type: ignore[arg-type]
            except OverflowError:  # an integer of hundreds of digits
                number = math.inf
            if isinstance(value, int) and abs(value) >= 2**63:
                number = math.inf  # durable_rules holds integers in 64 bits
            ok = (math.isfinite(number) and (low is None or number >= low)
                  and (high is None or number <= high))
        if ok:
            return None
        shown = repr(value) if isinstance(value, str) else str(value).lower()
        if len(shown) > 40:
            shown = shown[:37] + "…"
        return gettext("{value} is not a valid value for {fact} ({type}); it takes "
                       "{allowed}").format(value=shown, fact=self.name, type=self.type,
                                           allowed=self.allowed(written=True))


class VocabularyFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    facts: dict[str, FactDefinition]


@dataclass
class Vocabulary:
    """All declared facts, by name."""

    facts: dict[str, FactDefinition] = field(default_factory=dict)
    # Facts declared with errors of their own: reported where declared, not again as
    # 'unknown fact' wherever a rule names one.
    unreadable: set[str] = field(default_factory=set)

    def __contains__(self, name: str) -> bool:
        return name in self.facts

    def __getitem__(self, name: str) -> FactDefinition:
        return self.facts[name]

    def names(self) -> list[str]:
        return sorted(self.facts)


def read_vocabulary_file(path: Path, into: Vocabulary) -> list[Problem]:
    """Add the facts declared in one vocabulary file; return the problems found."""
    try:
        doc: YamlDocument = read_yaml(path)
    except UserError as error:
        return error.problems
    if not isinstance(doc.data, dict):
        return [doc.problem((), gettext("a vocabulary file must be a mapping with a 'facts:' key"),
                            gettext("start the file with 'facts:'"))]
    problems: list[Problem] = []
    try:
        parsed = VocabularyFile.model_validate(doc.data)
    except ValidationError as error:
        problems = problems_from_validation(error, doc, (), VocabularyFile)
        # Each fact stands alone: the file's other facts are still declared.
        wrong = set()
        for item in error.errors():
            loc = item["loc"]
            if loc[:1] == ("facts",) and len(loc) > 1:
                wrong.add(loc[1])
            elif item["type"] != "extra_forbidden" or len(loc) != 1:
                return problems  # 'facts' itself is wrong: there is nothing to read
        into.unreadable |= {name for name in wrong if isinstance(name, str)}
        try:
            parsed = VocabularyFile.model_validate({"facts": {
                name: value for name, value in doc.data["facts"].items() if name not in wrong}})
        except ValidationError:
            return problems
    for name, definition in parsed.facts.items():
        if not FACT_NAME.match(name):
            problems.append(doc.problem(
                ("facts", name), gettext("'{fact}' is not a valid fact name").format(fact=name),
                gettext("use dotted lower-case words, e.g. training.new_hire_days"),
                at_key=True))
            into.unreadable.add(name)
            continue
        if name in into.facts and into.facts[name].same_values_as(definition):
            continue  # a pack that also runs on its own may declare a shared fact again
        if name in into.facts and into.facts[name].extended_by(definition):
            # A pack may add values to an enum, e.g. a sector profile to org.sector.
            known = into.facts[name]
            known.values = [*(known.values or []), *(v for v in definition.values or []
                                                     if v not in (known.values or []))]
            known.labels = {**definition.labels, **known.labels}
            continue
        if name in into.facts:
            problems.append(doc.problem(
                ("facts", name), gettext("fact '{fact}' is already declared in {file}").format(
                    fact=name, file=into.facts[name].file),
                gettext("give the fact a new name, or declare it exactly as there (type, unit, "
                        "values, min, max)"), at_key=True))
            continue
        definition.name = name
        definition.file = str(path)
        definition.line = doc.position(("facts", name), at_key=True)[0]
        into.facts[name] = definition
    return problems
