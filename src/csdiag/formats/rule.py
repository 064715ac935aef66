"""Rule files: the schema of one rule, and the parser of its `when` condition.

Structure is checked by pydantic models (one source of truth for the format);
conditions are parsed by hand so that each mistake is named precisely.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    model_validator,
)

from csdiag.formats.errors import Problem, did_you_mean, invalid
from csdiag.formats.located_yaml import YamlDocument, YamlPath
from csdiag.formats.validation import LocalText
from csdiag.formats.vocabulary import OPS_BY_TYPE, ORDERED_OPS, FactDefinition, Vocabulary
from csdiag.i18n import LANGUAGES, Text, gettext
from csdiag.model.logic import (
    All,
    Any_,
    Comparison,
    Condition,
    FindingRef,
    Graded,
    Known,
    Membership,
    Not,
    atoms,
    show_value,
)

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Severity = Literal["low", "medium", "high", "critical"]
SEVERITY_WEIGHT = {"low": 1, "medium": 2, "high": 3, "critical": 4}
COMPARISON_OPS = ("eq", "ne", "gt", "ge", "lt", "le", "in", "not_in")
GRADED_OPS = ("rises", "falls")
CONDITION_STARTS = ("all", "any", "not", "fact", "finding")
# Who carries a remedy out; report text names each in the language in use.
REMEDY_OWNERS = ("board", "head_of_service", "operations", "workforce_planning", "hr",
                 "line_managers", "training", "quality", "finance", "it", "marketing")
SECTOR_FACT = "org.sector"  # selects the profile of thresholds a 'by_sector' names
THRESHOLD_KINDS = ("published", "judgement")
# Validation context: read what can be read of a rule file with errors, skipping the
# checks that the rule is complete (its own errors are already reported).
PARTIAL = "partial"


class RemedyCost(BaseModel):
    """What a remedy's figure costs, in the currency its source states; printed only for a
    case that states the same currency, as no rate converts one into another."""

    model_config = ConfigDict(extra="forbid", strict=True)

    low: float = Field(ge=0, description="The amount, or the low end of a range")
    high: float | None = Field(default=None, ge=0, description="The high end of a range")
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. USD")
    sentence: LocalText = Field(description=(
        "The sentence that states it, with {amount} where the amount goes, e.g. 'A vendor "
        "figure puts the cost of replacing one agent at {amount}.'"))

    @model_validator(mode="after")
    def _amount_placed(self) -> RemedyCost:
        for language in LANGUAGES:
            if language not in self.sentence.missing() and \
                    "{amount}" not in self.sentence.get(language):
                raise invalid(gettext("the {language} sentence has no {amount}").format(
                    language=language, amount="{amount}"),
                    gettext("write {amount} where the figure goes").format(amount="{amount}"))
        if self.high is not None and self.high < self.low:
            raise invalid(gettext("'high' is below 'low'"), gettext("swap them"))
        return self


class Remedy(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    id: str = Field(pattern=SLUG, description="Slug; the same id in two rules is the same remedy")
    action: LocalText = Field(description="What to do, in one or two sentences")
    why: LocalText = Field(description="Why it helps, with its basis")
    cost: RemedyCost | None = Field(default=None, description=(
        "A figure with its currency, stated only to a case in that currency"))
    changes: dict[str, Any] = Field(default_factory=dict, description=(
        "Facts this remedy changes when carried out, e.g. "
        "{training.refresher_interval_months: 3}; used by 'csdiag plan'"))
    presupposes: list[str] = Field(default_factory=list, description=(
        "Facts (or findings) whose conditions in this rule the remedy takes for granted: "
        "it is shown only when they hold in the case, and marked 'if ...' when unknown"))
    # For an action plan: how much it takes, how soon it bites, who carries it out.
    effort: Literal["low", "medium", "high"] | None = Field(default=None, description=(
        "How much it takes to carry out: low, medium or high"))
    horizon: Literal["weeks", "months", "year_plus"] | None = Field(
        default=None, description=(
            "How long until it shows: weeks, months, or year_plus (a year or more)"))
    owner: Literal[REMEDY_OWNERS] | None = Field(  # type: ignore[valid-type]
        default=None, description=(
            "Who carries it out: " + ", ".join(REMEDY_OWNERS)))


class Symptom(BaseModel):
    """A sentence about the organisation, printed only when the case shows it."""

    model_config = ConfigDict(extra="forbid", strict=True)

    text: LocalText = Field(description="One sentence stating the symptom")
    shown_by: list[str] = Field(min_length=1, description=(
        "The facts (or findings) whose conditions in this rule must hold for the sentence "
        "to be printed"))


class SeedSource(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    seed: str = Field(min_length=1, description="Seed article file name")
    cause: int = Field(ge=1, description="Cause number in that article")
    citation: str | None = Field(default=None, min_length=1, description=(
        "The article as a reader cites it (author, year, title); a client's report shows "
        "this instead of the file name"))


class CitationSource(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    citation: str = Field(min_length=1, description="Author, year, title, publication")
    url: str | None = None
    note: str | None = None


def _source_kind(value: Any) -> str:
    return "seed" if isinstance(value, dict) and "seed" in value else "citation"


Source = Annotated[
    Annotated[SeedSource, Tag("seed")] | Annotated[CitationSource, Tag("citation")],
    Discriminator(_source_kind),
]


class IgnoredCheck(BaseModel):
    """A lint warning the author silences on purpose, with the reason."""

    model_config = ConfigDict(extra="forbid", strict=True)

    check: str = Field(min_length=1, description="The id of the lint check, e.g. unused-finding")
    reason: str = Field(min_length=1, description="Why the warning does not apply here")


class RuleFile(BaseModel):
    """The top level of a rule file. `when` is parsed separately into a Condition."""

    model_config = ConfigDict(extra="forbid", strict=True)

    id: str = Field(pattern=SLUG)
    kind: Literal["diagnosis", "finding"]
    title: LocalText
    description: LocalText
    category: str = Field(default="general", pattern=r"^[a-z][a-z-]*$")
    severity: Severity | None = None
    certainty: float = Field(ge=-1.0, le=1.0)
    concludes: str | None = Field(default=None, pattern=SLUG, description="Add this rule's "
                                  "evidence to another rule's conclusion (negative certainty "
                                  "argues against it)")
    when: dict[str, Any]
    symptoms: list[Symptom] = Field(default_factory=list, description=(
        "Sentences tied to the conditions behind them, printed only when those hold; "
        "'description' says what the cause is, true of any organisation"))
    remedies: list[Remedy] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)
    ignore: list[IgnoredCheck] = Field(default_factory=list)
    overrides: bool = Field(default=False, description="Replace a rule with the same id from "
                            "a folder read earlier (e.g. the built-in one)")

    @model_validator(mode="after")
    def _diagnosis_complete(self, info: ValidationInfo) -> RuleFile:
        if info.context and info.context.get(PARTIAL):
            return self  # what could be read of a file with errors, for the checks that follow
        if self.concludes not in (None, self.id):
            if self.severity is not None or self.remedies:
                raise invalid(gettext("this rule adds evidence to '{id}', whose rule holds the "
                                      "severity and remedies").format(id=self.concludes),
                              gettext("remove 'severity' and 'remedies' here"))
            if self.certainty == 0:
                raise invalid(gettext("evidence with certainty 0 adds nothing"),
                              gettext("give a certainty above 0 (for) or below 0 (against)"))
            return self
        if self.certainty <= 0:
            raise invalid(gettext("a rule's own conclusion needs a certainty above 0"),
                          gettext("to argue against another conclusion, add 'concludes: ID' "
                                  "with a negative certainty"))
        if self.kind == "diagnosis" and self.severity is None:
            raise invalid(gettext("a diagnosis needs a 'severity'"),
                          gettext("add severity: low, medium, high or critical"))
        if self.kind == "diagnosis" and not self.remedies:
            raise invalid(gettext("a diagnosis needs at least one remedy"),
                          gettext("add 'remedies:' with id, action and why"))
        return self


@dataclass
class Rule:
    """A validated rule, ready to compile."""

    id: str
    kind: str
    title: Text
    description: Text
    category: str
    severity: str | None
    certainty: float
    condition: Condition
    remedies: list[Remedy]
    sources: list[SeedSource | CitationSource]
    file: str
    doc: YamlDocument
    ignored: list[IgnoredCheck] = field(default_factory=list)
    overrides: bool = False
    concludes: str = ""  # the conclusion this rule's evidence goes to; its own id by default
    symptoms: list[Symptom] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.concludes = self.concludes or self.id

    @property
    def sector_profiles(self) -> list[str]:
        """The sectors this rule states thresholds of its own for ('by_sector')."""
        return sorted({str(value) for atom in atoms(self.condition)
                       if isinstance(atom, Membership) and atom.fact == SECTOR_FACT
                       and atom.included for value in atom.values})

    @property
    def sector_thresholds(self) -> dict[str, list[str]]:
        """Each fact this rule reads with thresholds of its own per sector, and those sectors."""
        found: dict[str, set[str]] = {}
        for atom in atoms(self.condition):
            if isinstance(atom, FindingRef) or atom.fact == SECTOR_FACT:
                continue
            path = atom.path
            if "by_sector" in path and path.index("by_sector") + 1 < len(path):
                found.setdefault(atom.fact, set()).add(str(path[path.index("by_sector") + 1]))
        return {fact: sorted(sectors) for fact, sectors in found.items()}

    @property
    def is_primary(self) -> bool:
        """Whether this rule holds its conclusion's title, severity and remedies."""
        return self.concludes == self.id

    @property
    def severity_weight(self) -> int:
        return SEVERITY_WEIGHT.get(self.severity or "", 0)


class ConditionParser:
    """Parses a `when` mapping into a Condition, collecting every problem with its place."""

    def __init__(self, doc: YamlDocument, vocabulary: Vocabulary):
        self.doc = doc
        self.vocabulary = vocabulary
        self.problems: list[Problem] = []
        # What the condition names, read on past its mistakes, so that the rule pack can
        # still check them: every finding, and every fact or finding name; `skipped` when
        # a mistake left part of it unread (so `named` may lack a name).
        self.findings: list[FindingRef] = []
        self.named: set[str] = set()
        self.skipped = False

    def _fail(self, path: YamlPath, message: str, hint: str = "", at_key: bool = False,
              skips: bool = False) -> None:
        self.problems.append(self.doc.problem(path, message, hint, at_key=at_key))
        self.skipped = self.skipped or skips

    def parse(self, raw: Any, path: YamlPath) -> Condition | None:
        if not isinstance(raw, dict) or not raw:
            self._fail(path, gettext("a condition must be a mapping such as 'fact: NAME' with an "
                                     "operator, or 'all:', 'any:', 'not:', 'finding:'"),
                       gettext("see docs/formats.md, 'Conditions'"), skips=True)
            return None
        keys = set(raw)
        for start in ("all", "any"):
            if start in keys:
                return self._group(raw, path, start)
        if "not" in keys:
            self._only(raw, path, {"not"})
            inner = self.parse(raw["not"], (*path, "not"))
            return Not(inner) if inner is not None else None
        if "finding" in keys:
            self._only(raw, path, {"finding"})
            name = raw["finding"]
            if not isinstance(name, str) or not name:
                self._fail((*path, "finding"), gettext("'finding' must name a rule id"),
                           gettext("write e.g. finding: high-staff-turnover"))
                return None
            self.named.add(name)
            self.findings.append(FindingRef(name, True, (*path, "finding")))
            return self.findings[-1]
        if "fact" in keys:
            return self._fact(raw, path)
        first = next(iter(raw))
        self._fail((*path, first), gettext("unknown condition '{key}'").format(key=first),
                   did_you_mean(first, [*CONDITION_STARTS, *COMPARISON_OPS], gettext(
                       "a condition starts with one of: {keys}").format(
                           keys=", ".join(CONDITION_STARTS))), at_key=True, skips=True)
        return None

    def _only(self, raw: dict[str, Any], path: YamlPath, allowed: set[str]) -> None:
        for key in raw:
            if key not in allowed:
                message = gettext("'{key}' cannot stand beside '{other}' in one condition")
                self._fail((*path, key), message.format(key=key, other="/".join(sorted(allowed))),
                           gettext("put each condition in its own list item under 'all:' or "
                                   "'any:'"), at_key=True, skips=True)

    def _graded(self, name: str, op: str, value: Any, threshold: str | None, note: Any,
                op_path: YamlPath) -> Condition | None:
        definition = self.vocabulary[name]
        if not isinstance(value, dict) or set(value) != {"from", "to"}:
            self._fail(op_path, gettext("'{op}' takes a range: {range}").format(
                           op=op, range="{from: A, to: B}"),
                       gettext("write e.g. {example}").format(
                           example=f"{op}: {{from: 35, to: 55}}"))
            return None
        start, end = value["from"], value["to"]
        if not self._values_fit(definition, [("from", start), ("to", end)], op_path,
                                gettext("use values inside the fact's range")):
            return None
        if not math.isfinite(float(end) - float(start)):
            self._fail(op_path, gettext("the range from {low} to {high} is too wide to grade"
                                        ).format(low=show_value(start), high=show_value(end)),
                       gettext("give a narrower range"))
            return None
        if (op == "rises") != (end > start) or start == end:
            message = (gettext("in '{op}', 'from' must be less than 'to'") if op == "rises"
                       else gettext("in '{op}', 'from' must be greater than 'to'"))
            self._fail(op_path, message.format(op=op),
                       gettext("swap the two values, or use '{op}'").format(
                           op="falls" if op == "rises" else "rises"))
            return None
        return Graded(name, float(start), float(end), threshold,
                      note if isinstance(note, str) else None, op_path)

    def _group(self, raw: dict[str, Any], path: YamlPath, start: str) -> Condition | None:
        self._only(raw, path, {start})
        items = raw[start]
        if not isinstance(items, list) or not items:
            self._fail((*path, start),
                       gettext("'{key}' needs a list of one or more conditions").format(key=start),
                       gettext("write each condition on its own '- ' line under '{key}:'"
                               ).format(key=start), skips=True)
            return None
        parts = [self.parse(item, (*path, start, i)) for i, item in enumerate(items)]
        if any(part is None for part in parts):
            return None
        kept = tuple(p for p in parts if p is not None)
        return All(kept) if start == "all" else Any_(kept)

    def _fact(self, raw: dict[str, Any], path: YamlPath) -> Condition | None:
        if "by_sector" in raw:
            return self._by_sector(raw, path)
        return self._one_fact(raw, path)

    def _by_sector(self, raw: dict[str, Any], path: YamlPath) -> Condition | None:
        """`gt: 45, by_sector: {retail: 60, public_service: {gt: 30, band: [20, 40]}}`:
        the threshold of each sector profile, the condition's own for any other sector
        or an unknown one. Read as: (sector is retail and > 60) or ... or (sector is
        none of those, or not known, and > 45), so the engine decides which applies."""
        where = (*path, "by_sector")
        profiles = raw["by_sector"]
        self.named.add(SECTOR_FACT)
        sector = self.vocabulary.facts.get(SECTOR_FACT)
        if sector is None or sector.type != "enum":
            self._fail(where, gettext("'by_sector' needs the enum fact '{fact}' in the "
                                      "vocabulary").format(fact=SECTOR_FACT),
                       gettext("declare {fact} with the sectors as its values").format(
                           fact=SECTOR_FACT), at_key=True, skips=True)
            return None
        ops = [key for key in raw if key in ORDERED_OPS]
        if not isinstance(profiles, dict) or not profiles or len(ops) != 1:
            self._fail(where, gettext("'by_sector' maps sectors to thresholds, beside one of "
                                      "gt, ge, lt, le"),
                       gettext("write e.g. {example}").format(
                           example="gt: 45, by_sector: {retail: 60}"), at_key=True, skips=True)
            return None
        general = {key: value for key, value in raw.items() if key != "by_sector"}
        default = self._one_fact(general, path)
        unknown = [name for name in profiles if name not in (sector.values or [])]
        for name in unknown:
            self._fail((*where, name), gettext("'{sector}' is not a sector of {fact}").format(
                sector=name, fact=SECTOR_FACT), did_you_mean(
                    name, sector.values or [], gettext("sectors: {values}").format(
                        values=", ".join(sector.values or []))), at_key=True)
        if default is None:
            # The profiles restate the condition's own fact and threshold: read on, they
            # would repeat its mistakes once per sector.
            return None
        branches: list[Condition] = []
        for name, profile in profiles.items():
            if name in unknown:
                continue
            # A number replaces the threshold (the default's band does not fit it); a
            # mapping gives the sector's own operator, band, note or threshold kind.
            if isinstance(profile, dict):
                own = {"fact": general["fact"], "threshold": general.get("threshold"),
                       **profile}
            else:
                own = {key: value for key, value in general.items() if key != "band"}
                own[ops[0]] = profile
            condition = self._one_fact(own, (*where, name))
            if condition is not None:
                branches.append(All((Membership(SECTOR_FACT, (name,), True, None,
                                                (*where, name)), condition)))
        if len(branches) < len(profiles):  # an unknown sector, or a profile's own mistake
            return None
        # Two conditions, two places: an explanation tells them apart by where they stand.
        others = Any_((Known(SECTOR_FACT, False, (*path, "fact")),
                       Membership(SECTOR_FACT, tuple(profiles), False, None, where)))
        return Any_((*branches, All((others, default))))

    def _known_fact(self, name: Any, where: YamlPath) -> bool:
        """Whether `name` is a declared fact; if not, say so (unless its declaration is
        there but has errors of its own, which are reported already)."""
        if isinstance(name, str):
            self.named.add(name)
            if name in self.vocabulary:
                return True
            if name in self.vocabulary.unreadable:
                return False
        self._fail(where, gettext("unknown fact '{fact}'").format(fact=name),
                   did_you_mean(name, self.vocabulary.names(), gettext(
                       "declare it in vocabulary.yaml or use a declared fact ('csdiag facts' "
                       "lists them)")))
        return False

    def _missing_threshold(self, name: str, op: str, value: Any, path: YamlPath) -> None:
        self._fail(path, gettext("the threshold of '{condition}' is not marked as published "
                                 "or judgement").format(condition=f"{name} {op} {value}"),
                   gettext("add 'threshold: published' (its source is in the rule's "
                           "sources) or 'threshold: judgement' (a call you made)"))

    def _threshold_kind(self, threshold: Any, path: YamlPath) -> bool:
        """Whether `threshold`, when given, is 'published' or 'judgement'; if not, say so."""
        if threshold is None or threshold in THRESHOLD_KINDS:
            return True
        self._fail((*path, "threshold"), gettext("'{value}' is not a kind of threshold").format(
            value=threshold), did_you_mean(threshold, THRESHOLD_KINDS, gettext(
                "write 'published' (its source is in the rule's sources) or 'judgement' (a "
                "call you made)")))
        return False

    def _values_fit(self, definition: FactDefinition, values: list[tuple[str | int, Any]],
                    where: YamlPath, fix: str) -> bool:
        """Whether every value (by its place under `where`) is one the fact can take; each
        that is not is named, with the value meant when one is near."""
        fit = True
        for place, value in values:
            why = definition.check_value(value)
            if why:
                self._fail((*where, place), why, definition.fix_for(value, fix))
                fit = False
        return fit

    def _one_fact(self, raw: dict[str, Any], path: YamlPath) -> Condition | None:
        name = raw["fact"]
        extras = ("threshold", "note", "band", "by_sector")
        ops = [key for key in raw if key not in ("fact", *extras)]
        every_op = (*COMPARISON_OPS, *GRADED_OPS, "known")
        # Each mistake is named in one run: the fact, every unknown operator (or misspelt
        # key), the kind of threshold.
        readable = self._known_fact(name, (*path, "fact"))
        for op in ops:
            if op not in every_op:
                self._fail((*path, op), gettext("unknown operator '{op}'").format(op=op),
                           did_you_mean(op, [*every_op, *extras], gettext(
                               "operators: {ops}").format(ops=", ".join(every_op))),
                           at_key=True)
                readable = False
        if not readable:
            # What can be checked without the fact still is: a line's kind, or its absence.
            if self._threshold_kind(raw.get("threshold"), path) and raw.get("threshold") is None:
                for op in (o for o in ops if o in (*ORDERED_OPS, *GRADED_OPS)):
                    self._missing_threshold(name, op, raw[op], path)
            return None
        definition = self.vocabulary[name]
        ordered = any(op in OPS_BY_TYPE[definition.type] for op in ORDERED_OPS)
        allowed_ops = (*OPS_BY_TYPE[definition.type], *(GRADED_OPS if ordered else ()), "known")
        if len(ops) != 1:
            found = (gettext("a fact condition needs exactly one operator, found {count}")
                     if ops else
                     gettext("a fact condition needs exactly one operator, found none"))
            self._fail(path, found.format(count=len(ops)),
                       gettext("use one of {ops}; split into 'all:' items to test several"
                               ).format(ops=", ".join(allowed_ops)))
            return None
        op = ops[0]
        op_path = (*path, op)
        if op not in allowed_ops:
            self._fail(op_path, gettext("operator '{op}' does not apply to {fact}, a {type} fact"
                                        ).format(op=op, fact=name, type=definition.type),
                       gettext("use one of: {values}").format(values=", ".join(allowed_ops)),
                       at_key=True)
            return None
        value = raw[op]
        threshold = raw.get("threshold")
        note = raw.get("note")
        if note is not None and not isinstance(note, str):
            self._fail((*path, "note"), gettext("'note' must be text"), gettext("quote the note"))
        if op == "known":
            if not isinstance(value, bool):
                self._fail(op_path, gettext("'known' takes true or false"),
                           did_you_mean(value, ["true", "false"], gettext("write known: true")))
                return None
            if threshold is not None:
                self._fail((*path, "threshold"), gettext(
                    "'threshold' applies only to gt, ge, lt, le"), gettext("remove it"),
                    at_key=True)
            return Known(name, value, op_path)
        if op in (*ORDERED_OPS, *GRADED_OPS):
            if not self._threshold_kind(threshold, path):
                return None
            if threshold is None:
                self._missing_threshold(name, op, value, path)
                return None
        elif threshold is not None:
            self._fail((*path, "threshold"), gettext("'threshold' applies only to gt, ge, lt, le"),
                       gettext("remove it"), at_key=True)
            return None
        if "band" in raw and op not in ORDERED_OPS:
            self._fail((*path, "band"), gettext("'band' applies only to gt, ge, lt, le"),
                       gettext("remove it, or compare with gt, ge, lt or le"), at_key=True)
            return None
        if op in GRADED_OPS:
            return self._graded(name, op, value, threshold, note, op_path)
        if op in ("in", "not_in"):
            if not isinstance(value, list) or not value:
                self._fail(op_path, gettext("'{op}' takes a list of values").format(op=op),
                           gettext("write e.g. {example}").format(example=f"{op}: [a, b]"))
                return None
            if not self._values_fit(definition, list(enumerate(value)), op_path,
                                    gettext("use a value the fact can take")):
                return None
            return Membership(name, tuple(value), op == "in", note, op_path)
        why = definition.check_value(value)
        if why and op in ORDERED_OPS and isinstance(value, (int, float)) \
                and not isinstance(value, bool):
            self.problems.append(self.doc.problem(
                op_path, gettext("the threshold {value} is outside the range of {fact} "
                                 "({allowed}), so '{op}' is always or never true").format(
                    value=show_value(value), fact=name, allowed=definition.allowed(), op=op),
                gettext("use a threshold inside the fact's range"), severity="error"))
            return None
        if why:
            self._fail(op_path, why, definition.fix_for(
                value, gettext("compare with a value the fact can take")))
            return None
        if "band" in raw:
            return self._banded(name, op, value, raw["band"], threshold, note, path)
        return Comparison(name, op, value, threshold, note, op_path)

    def _banded(self, name: str, op: str, line: Any, band: Any, threshold: str | None,
                note: Any, path: YamlPath) -> Condition | None:
        """`gt: 12, band: [10, 15]`: borderline between 10 and 15, clearly true past 15."""
        band_path = (*path, "band")
        example = gettext("band: [{line} - a little, {line} + a little]").format(
            line=show_value(line))
        if not (isinstance(band, list) and len(band) == 2
                and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in band)):
            self._fail(band_path, gettext("'band' takes two numbers: [LOW, HIGH] around the "
                                          "threshold"),
                       gettext("write e.g. {example}").format(example=example))
            return None
        low, high = band
        if not self._values_fit(self.vocabulary[name], list(enumerate(band)), band_path,
                                gettext("use values inside the fact's range")):
            return None
        if not low < line < high or not math.isfinite(float(high) - float(low)):
            message = gettext("the band [{low}, {high}] must surround the threshold {line}: "
                              "LOW < {line} < HIGH")
            self._fail(band_path, message.format(low=show_value(low), high=show_value(high),
                                                 line=show_value(line)),
                       gettext("write e.g. {example}").format(example=example))
            return None
        rising = op in ("gt", "ge")
        start, end = (low, high) if rising else (high, low)
        return Graded(name, float(start), float(end), threshold,
                      note if isinstance(note, str) else None, (*path, op),
                      line=float(line), line_op=op)
