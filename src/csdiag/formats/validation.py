"""Turn pydantic validation errors into located, plain-language `Problem`s."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, PlainSerializer, PlainValidator, ValidationError, WithJsonSchema

from csdiag.formats.errors import Problem, UserError, did_you_mean
from csdiag.formats.located_yaml import YamlDocument, YamlPath, read_yaml
from csdiag.i18n import TEXT_JSON_SCHEMA, Text, parse_text

Model = TypeVar("Model", bound=BaseModel)

_KINDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping (key: value lines)",
    "model_type": "a mapping (key: value lines)",
    "date_type": "a date (YYYY-MM-DD)",
}


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value) if isinstance(value, str) else str(value).lower()


def _fields(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names allowed at `loc`, for 'did you mean' on unknown keys."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        annotation = info.annotation
        for arg in (*getattr(annotation, "__args__", ()), annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                current = arg
                break
            inner = getattr(arg, "__args__", ())
            found = next((a for a in inner if isinstance(a, type) and issubclass(a, BaseModel)),
                         None)
            if found:
                current = found
                break
    return [name for name, f in getattr(current, "model_fields", {}).items()
            if not f.exclude]


def problems_from_validation(error: ValidationError, doc: YamlDocument, base: YamlPath,
                             model: type[BaseModel]) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(part for part in item["loc"] if not isinstance(part, str)
                    or not part.startswith(("function-", "tagged-union")))
        path = (*base, *loc)
        kind = item["type"]
        field = str(loc[-1]) if loc else "file"
        value = item.get("input")
        if kind == "missing":
            problems.append(doc.problem(path[:-1], f"missing required key '{field}'",
                                        f"add '{field}:' here"))
        elif kind == "extra_forbidden":
            allowed = _fields(model, loc[:-1])
            hint = did_you_mean(field, allowed) or ""
            if allowed:
                hint = (hint + " " if hint else "") + "allowed keys: " + ", ".join(allowed)
            problems.append(doc.problem(path, f"unknown key '{field}'", hint, at_key=True))
        elif kind in ("literal_error", "enum"):
            expected = item.get("ctx", {}).get("expected", "")
            problems.append(doc.problem(path, f"'{field}' cannot be {_shown(value)}",
                                        f"use one of: {expected}"))
        elif kind in _KINDS or kind.endswith("_parsing"):
            wanted = _KINDS.get(kind, kind.replace("_parsing", "").replace("_", " "))
            problems.append(doc.problem(path, f"'{field}' must be {wanted}, not {_shown(value)}",
                                        f"write '{field}' as {wanted}"))
        elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            problems.append(doc.problem(path,
                                        f"'{field}' is {_shown(value)}: {item['msg'].lower()}",
                                        "give a value within the allowed range"))
        elif kind in ("too_short", "string_too_short"):
            problems.append(doc.problem(path, f"'{field}' is empty",
                                        f"give at least one entry or some text for '{field}'"))
        elif kind == "string_pattern_mismatch":
            problems.append(doc.problem(
                path, f"'{field}' is {_shown(value)}, which is not a valid {field}",
                "use lower-case letters, digits and dashes, e.g. 'poor-hiring'"))
        elif kind == "value_error":
            message = item["msg"].removeprefix("Value error, ")
            message, _, hint = message.partition(" | fix: ")
            problems.append(doc.problem(path, message, hint))
        else:
            problems.append(doc.problem(path, f"'{field}': {item['msg']}", ""))
    return problems


def read_validated(path: Path, model: type[Model], shape: str,
                   hint: str) -> tuple[YamlDocument, Model]:
    """Read a YAML file whose top level is one pydantic model; UserError if it is not."""
    doc = read_yaml(path)
    if not isinstance(doc.data, dict):
        raise UserError([doc.problem((), f"this file must be a mapping ({shape})", hint)])
    try:
        return doc, model.model_validate(doc.data)
    except ValidationError as error:
        raise UserError(problems_from_validation(error, doc, (), model)) from None


def _text_for_pydantic(value: Any) -> Text:
    return parse_text(value)


# A knowledge-text field: plain English, or {en, zh, ru} side by side in the file.
LocalText = Annotated[Text, PlainValidator(_text_for_pydantic),
                      PlainSerializer(lambda text: text.as_data()),
                      WithJsonSchema(TEXT_JSON_SCHEMA)]
