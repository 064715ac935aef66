"""`csdiag rules new`: write a rule file and its fixtures that are valid from the start."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from csdiag.formats.errors import Problem, UserError, did_you_mean
from csdiag.formats.rule import SEVERITY_WEIGHT, SLUG
from csdiag.formats.rule_pack import FIXTURE_SUFFIX
from csdiag.formats.values import unreadable
from csdiag.formats.vocabulary import (
    OPS_BY_TYPE,
    ORDERED_OPS,
    FactDefinition,
    FactValue,
    Vocabulary,
)
from csdiag.i18n import gettext

RULE_KINDS = ("diagnosis", "finding")
MAX_ID = 80  # characters: a rule id is also a file name


@dataclass
class NewRule:
    id: str
    kind: str
    title: str
    fact: str
    op: str
    value: FactValue | list[FactValue]
    severity: str = "medium"
    category: str = "general"
    citation: str = "TODO: author, year, title — where this knowledge comes from"


@dataclass
class NewRuleReport:
    """What `csdiag rules new` wrote, and how the new rule fared in lint and its fixtures."""

    written: list[Path]
    problems: list[Problem]  # lint's findings on the new rule, less the expected TODOs
    passed: int
    failed: int


def check_request(request: NewRule, vocabulary: Vocabulary,
                  folder: Path | None = None) -> list[Problem]:
    """Every problem with the request; an unknown fact names the vocabulary file of
    `folder` (where the rule goes) to declare it in."""
    problems = []

    def fail(message: str, hint: str) -> None:
        problems.append(Problem("csdiag rules new", None, None, message, hint))

    if not re.match(SLUG, request.id) or len(request.id) > MAX_ID:
        fail(gettext("'{id}' is not a valid rule id").format(id=request.id[:MAX_ID]),
             gettext("use lower-case words joined by dashes, at most {count} characters"
                     ).format(count=MAX_ID))
    why = (unreadable(request.title, title=True) if request.title.strip()
           else gettext("the title is empty"))
    if why:
        fail(why, gettext("give a short title in plain text"))
    if not re.match(r"^[a-z][a-z0-9-]*$", request.category):
        fail(gettext("category {category} is not a lower-case word").format(
            category=repr(request.category)), gettext("write e.g. people, training, leadership"))
    if request.kind not in RULE_KINDS:
        fail(gettext("kind '{kind}' is not one of {kinds}").format(
            kind=request.kind, kinds=", ".join(RULE_KINDS)),
             did_you_mean(request.kind, RULE_KINDS, gettext(
                 "a diagnosis is reported; a finding feeds other rules")))
    if request.severity not in SEVERITY_WEIGHT:
        fail(gettext("severity '{severity}' is not one of {severities}").format(
            severity=request.severity, severities=", ".join(SEVERITY_WEIGHT)),
             did_you_mean(request.severity, SEVERITY_WEIGHT, gettext(
                 "choose how much the cause hurts service")))
    if request.fact not in vocabulary:
        fail(gettext("unknown fact '{fact}'").format(fact=request.fact),
             did_you_mean(request.fact, vocabulary.names(), gettext(
                 "declare it in {file}: 'csdiag facts new {fact} --folder {folder}' writes "
                 "it there; 'csdiag facts' lists the declared facts").format(
                     file=Path(folder or ".") / "vocabulary.yaml", fact=request.fact,
                     folder=folder or ".")))
        return problems
    definition = vocabulary[request.fact]
    if request.op not in OPS_BY_TYPE[definition.type]:
        fail(gettext("operator '{op}' does not apply to a {type} fact").format(
            op=request.op, type=definition.type),
             gettext("use one of: {values}").format(
                 values=", ".join(OPS_BY_TYPE[definition.type])))
        return problems
    values = request.value if isinstance(request.value, list) else [request.value]
    listed = request.op in ("in", "not_in")
    if listed and (not isinstance(request.value, list) or not request.value):
        fail(gettext("'{op}' takes a list of one or more values").format(op=request.op),
             gettext("write e.g. {example}").format(example="--value '[a, b]'"))
    if not listed and isinstance(request.value, list):
        fail(gettext("'{op}' compares with one value, not a list").format(op=request.op),
             gettext("write e.g. {example}").format(example="--value 70"))
    for value in values:
        why = definition.check_value(value)
        if why:
            fail(why, definition.fix_for(value, gettext("give a value the fact can take")))
    return problems


def _example_values(definition: FactDefinition, op: str,
                    value: FactValue | list[FactValue]) -> tuple[FactValue, FactValue | None]:
    """One value that makes `fact op value` true and one that makes it false."""
    if definition.type in ("boolean", "enum"):
        universe: list[FactValue] = ([True, False] if definition.type == "boolean"
                                     else list(definition.values or []))
        chosen = value if isinstance(value, list) else [value]
        inside = [v for v in universe if v in chosen]
        outside = [v for v in universe if v not in chosen]
        holds, fails = (inside, outside) if op in ("eq", "in") else (outside, inside)
        return holds[0], (fails[0] if fails else None)
    number = float(value)  # type: ignore[arg-type]
    low, high = definition.bounds()
    room_up = 1.0 if high is None else min(1.0, (high - number) / 2)
    room_down = 1.0 if low is None else min(1.0, (number - low) / 2)
    whole = definition.type == "integer"

    def fit(x: float) -> FactValue:
        return int(x) if whole or x == int(x) else round(x, 4)

    above, below = fit(number + room_up), fit(number - room_down)
    # Ordered comparisons get a band [below, above]: a fixture must sit beyond it to be
    # clearly true or clearly false.
    table = {"gt": (above, below), "ge": (above, below),
             "lt": (below, above), "le": (below, above),
             "eq": (fit(number), above if room_up else below),
             "ne": (above if room_up else below, fit(number))}
    return table[op]


def render_rule(request: NewRule, definition: FactDefinition) -> str:
    threshold = ""
    if request.op in ORDERED_OPS:
        holds, fails = _example_values(definition, request.op, request.value)
        low, high = sorted((holds, fails))  # type: ignore[type-var]
        threshold = (f"\n  band: [{low}, {high}]          # borderline between these: counts "
                     "only in part\n  threshold: judgement   # or: published, with its source "
                     "under 'sources'")
    value = yaml.safe_dump(request.value, default_flow_style=True).strip().removesuffix("...")
    value = value.strip()
    diagnosis_part = ""
    if request.kind == "diagnosis":
        diagnosis_part = f"""severity: {request.severity}   # low | medium | high | critical
"""
    remedies = ""
    if request.kind == "diagnosis":
        remedies = f"""remedies:                       # most important first
  - id: {request.id}-remedy
    action: "TODO: what to do, in one or two sentences."
    why: "TODO: why it helps, and where that is known from."
    effort: medium                # low | medium | high
    horizon: months               # weeks | months | year_plus
    owner: head_of_service        # who carries it out; 'csdiag schema rule' lists the roles
"""
    return f"""# Editor completion: csdiag schema rule > rule.schema.json, then make this line
# '# yaml-language-server: $schema=rule.schema.json'.
# Written by 'csdiag rules new'. Check it with: csdiag rules lint; csdiag rules test
id: {request.id}
kind: {request.kind}
title: {json.dumps(request.title, ensure_ascii=False)}
description: >
  TODO: say what this {request.kind} means for the organisation, in a consultant's
  voice: the mechanism, and what it leads to.
category: {request.category}
{diagnosis_part}certainty: 0.6                  # 0..1: how strongly the evidence supports it
when:                           # {definition.meaning}
  fact: {request.fact}
  {request.op}: {value}{threshold}
symptoms:                       # printed only when the conditions on these facts hold
  - text: "TODO: what the case shows, in one sentence to the client."
    shown_by: [{request.fact}]
{remedies}sources:
  - citation: {json.dumps(request.citation, ensure_ascii=False)}
"""


def render_fixtures(request: NewRule, definition: FactDefinition) -> str:
    holds, fails = _example_values(definition, request.op, request.value)

    def dump(value: FactValue) -> str:
        return yaml.safe_dump(value, default_flow_style=True).strip().removesuffix("...").strip()

    ruled_out = "" if fails is None else f"""  - name: "TODO: a situation where it does not apply"
    facts: {{{request.fact}: {dump(fails)}}}
    expect: ruled-out
"""
    return f"""# Editor completion: csdiag schema fixture > fixture.schema.json, then make this line
# '# yaml-language-server: $schema=fixture.schema.json'.
# Fixtures for {request.id}: run with 'csdiag rules test'.
rule: {request.id}
fixtures:
  - name: "TODO: a situation where it applies"
    facts: {{{request.fact}: {dump(holds)}}}
    expect: fires
    certainty: 0.6
{ruled_out}  - name: nothing known
    facts: {{}}
    expect: undetermined
"""


def write_new_rule(request: NewRule, folder: Path, vocabulary: Vocabulary) -> list[Path]:
    """Write <folder>/<id>.yaml and its fixtures; never overwrite anything."""
    problems = check_request(request, vocabulary, folder)
    if folder.exists() and not folder.is_dir():
        problems.append(Problem(str(folder), None, None, gettext("this is a file, not a folder"),
                                gettext("give a folder to write the rule into")))
    rule_path = folder / f"{request.id}.yaml"
    fixture_path = folder / f"{request.id}{FIXTURE_SUFFIX}"
    for path in (rule_path, fixture_path):
        if path.exists():
            problems.append(Problem(str(path), None, None, gettext("this file already exists"),
                                    gettext("choose another id, or edit the existing rule")))
    if problems:
        raise UserError(problems)
    definition = vocabulary[request.fact]
    rule_text = render_rule(request, definition)  # both rendered before either is written
    fixture_text = render_fixtures(request, definition)
    folder.mkdir(parents=True, exist_ok=True)
    rule_path.write_text(rule_text, encoding="utf-8")
    fixture_path.write_text(fixture_text, encoding="utf-8")
    written = [rule_path, fixture_path]
    return written
