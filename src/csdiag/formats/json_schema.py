"""JSON Schemas for rule, case and fixture files, for editors (completion and errors as
the author types). Generated from the pydantic models the loader validates with, the
condition grammar the parser accepts, and the fact vocabulary."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from csdiag.formats.case import CaseFile, FactEntry
from csdiag.formats.fixture import FixtureFile
from csdiag.formats.rule import COMPARISON_OPS, GRADED_OPS, RuleFile
from csdiag.formats.vocabulary import (
    FACT_NAME,
    OPS_BY_TYPE,
    ORDERED_OPS,
    FactDefinition,
    Vocabulary,
    VocabularyFile,
)
from csdiag.i18n import gettext

KINDS = ("rule", "case", "fixture", "vocabulary")
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def value_schema(definition: FactDefinition) -> dict[str, Any]:
    """The JSON Schema of one fact's values."""
    if definition.type == "boolean":
        return {"type": "boolean"}
    if definition.type == "enum":
        return {"enum": list(definition.values or [])}
    schema: dict[str, Any] = {"type": "integer" if definition.type == "integer" else "number"}
    low, high = definition.bounds()
    if low is not None:
        schema["minimum"] = low
    if high is not None:
        schema["maximum"] = high
    return schema


def _facts_schema(vocabulary: Vocabulary) -> dict[str, Any]:
    long_form = FactEntry.model_json_schema()
    properties = {}
    for name in vocabulary.names():
        definition = vocabulary[name]
        values = value_schema(definition)
        bound = values if definition.is_numeric else {"not": {}}  # numbers only
        entry = {**long_form, "properties": {**long_form["properties"], "value": values,
                                             "at_least": bound, "at_most": bound}}
        entry.pop("title", None)
        described = gettext("{meaning} Ask: {question}").format(
            meaning=definition.meaning, question=definition.question)
        properties[name] = {"description": described, "anyOf": [values, entry]}
    return {"type": "object", "properties": properties, "additionalProperties": False}


def _condition_schema(vocabulary: Vocabulary) -> dict[str, Any]:
    ref = {"$ref": "#/$defs/condition"}
    operator_props: dict[str, Any] = {op: {} for op in COMPARISON_OPS}
    operator_props["known"] = {"type": "boolean"}
    for op in GRADED_OPS:
        operator_props[op] = {"type": "object", "required": ["from", "to"],
                              "properties": {"from": {"type": "number"},
                                             "to": {"type": "number"}},
                              "additionalProperties": False,
                              "description": "no weight at 'from', full weight at 'to'"}
    by_fact = []
    for name in vocabulary.names():
        definition = vocabulary[name]
        values = value_schema(definition)
        graded = GRADED_OPS if any(op in OPS_BY_TYPE[definition.type] for op in ORDERED_OPS) \
            else ()
        allowed = (*OPS_BY_TYPE[definition.type], *graded, "known")
        band = ("band", "by_sector") if graded else ()
        then: dict[str, Any] = {"properties": {}, "propertyNames": {
            "enum": ["fact", "threshold", "note", *band, *allowed]}}
        for op in allowed:
            if op in ("in", "not_in"):
                then["properties"][op] = {"type": "array", "items": values, "minItems": 1}
            elif op not in ("known", *GRADED_OPS):
                then["properties"][op] = values
        by_fact.append({"if": {"properties": {"fact": {"const": name}}, "required": ["fact"]},
                        "then": then})
    comparison = {
        "type": "object", "required": ["fact"],
        "properties": {"fact": {"enum": vocabulary.names(), "description": "A declared fact"},
                       "threshold": {"enum": ["published", "judgement"]},
                       "note": {"type": "string"},
                       "band": {"type": "array", "items": {"type": "number"}, "minItems": 2,
                                "maxItems": 2, "description": "[LOW, HIGH] around a gt/ge/lt/"
                                "le threshold: borderline values inside count only in part"},
                       "by_sector": {"type": "object", "description": "The threshold per "
                                     "sector profile (org.sector): a number, or a mapping "
                                     "with its own operator, band, threshold and note",
                                     "additionalProperties": {"anyOf": [
                                         {"type": "number"}, {"type": "object"}]}},
                       **operator_props},
        "additionalProperties": False, "minProperties": 2, "maxProperties": 6,
        "allOf": [*by_fact, {
            "if": {"anyOf": [{"required": [op]} for op in (*ORDERED_OPS, *GRADED_OPS)]},
            "then": {"required": ["threshold"]}}],
    }
    group = {"type": "array", "items": ref, "minItems": 1}
    return {"oneOf": [
        {"type": "object", "properties": {"all": group}, "required": ["all"],
         "additionalProperties": False},
        {"type": "object", "properties": {"any": group}, "required": ["any"],
         "additionalProperties": False},
        {"type": "object", "properties": {"not": ref}, "required": ["not"],
         "additionalProperties": False},
        {"type": "object", "properties": {"finding": {"type": "string"}},
         "required": ["finding"], "additionalProperties": False},
        comparison,
    ]}


def _from_model(model: type[BaseModel], title: str) -> dict[str, Any]:
    schema = model.model_json_schema()
    schema["$schema"] = DIALECT
    schema["title"] = title
    return schema


def json_schema(kind: str, vocabulary: Vocabulary) -> dict[str, Any]:
    """The schema of one kind of file: 'rule', 'case', 'fixture' or 'vocabulary'."""
    if kind == "rule":
        schema = _from_model(RuleFile, "csdiag rule file")
        schema.setdefault("$defs", {})["condition"] = _condition_schema(vocabulary)
        schema["properties"]["when"] = {"$ref": "#/$defs/condition"}
        # What RuleFile's model validator checks, said so an editor can check it too.
        schema["allOf"] = [{"if": {"properties": {"kind": {"const": "diagnosis"}},
                                   "not": {"required": ["concludes"]}},
                            "then": {"required": ["severity", "remedies"],
                                     "properties": {"remedies": {"minItems": 1}}}}]
        return schema
    if kind == "case":
        schema = _from_model(CaseFile, "csdiag case file")
        schema["properties"]["facts"] = _facts_schema(vocabulary)
        schema["properties"]["date"] = {"type": "string", "format": "date"}
        return schema
    if kind == "fixture":
        schema = _from_model(FixtureFile, "csdiag rule test (fixtures) file")
        schema["$defs"]["Fixture"]["properties"]["facts"] = _facts_schema(vocabulary)
        return schema
    if kind == "vocabulary":
        schema = _from_model(VocabularyFile, "csdiag vocabulary file (the facts rules test)")
        # Fact names: dotted lower-case words, as the loader checks them.
        schema["properties"]["facts"]["propertyNames"] = {"pattern": FACT_NAME.pattern}
        return schema
    raise ValueError(kind)
