"""Turn pydantic validation errors into located, plain-language `Problem`s."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, PlainSerializer, PlainValidator, ValidationError, WithJsonSchema

from csdiag.formats.errors import Problem, UserError, did_you_mean
from csdiag.formats.located_yaml import YamlDocument, YamlPath, read_yaml
from csdiag.i18n import N_, TEXT_JSON_SCHEMA, Text, gettext, parse_text, pgettext

Model = TypeVar("Model", bound=BaseModel)

# What a field must be, by pydantic's error type (translated where shown).
_KINDS = {
    "string_type": N_("text"),
    "int_type": N_("a whole number"),
    "float_type": N_("a number"),
    "list_type": N_("a list"),
    "dict_type": N_("a mapping (key: value lines)"),
    "model_type": N_("a mapping (key: value lines)"),
    "date_type": N_("a date (YYYY-MM-DD)"),
}


def _wanted(kind: str) -> str:
    """What a field must be, in words, for one of pydantic's error types."""
    if kind == "bool_type":
        # YAML's own words, which a file must use in any language (unlike an answer).
        return pgettext("YAML value", "true or false")
    if kind in _KINDS:
        return gettext(_KINDS[kind])
    return kind.replace("_parsing", "").replace("_", " ")


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return gettext("a mapping")
    if isinstance(value, list):
        return gettext("a list")
    if value is None:
        return gettext("nothing")
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
            problems.append(doc.problem(path[:-1], gettext(
                "missing required key '{key}'").format(key=field),
                gettext("add '{key}:' here").format(key=field)))
        elif kind == "extra_forbidden":
            allowed = _fields(model, loc[:-1])
            hint = did_you_mean(field, allowed) or ""
            if allowed:
                hint = (hint + " " if hint else "") + gettext("allowed keys: {keys}").format(
                    keys=", ".join(allowed))
            problems.append(doc.problem(path, gettext("unknown key '{key}'").format(key=field),
                                        hint, at_key=True))
        elif kind in ("literal_error", "enum"):
            # pydantic's list of the expected values ("'a', 'b' or 'c'") stays as it says it.
            expected = item.get("ctx", {}).get("expected", "")
            problems.append(doc.problem(path, gettext("'{key}' cannot be {value}").format(
                key=field, value=_shown(value)), gettext("use one of: {values}").format(
                values=expected)))
        elif kind in _KINDS or kind == "bool_type" or kind.endswith("_parsing"):
            wanted = _wanted(kind)
            problems.append(doc.problem(path, gettext(
                "'{key}' must be {kind}, not {value}").format(
                    key=field, kind=wanted, value=_shown(value)),
                gettext("write '{key}' as {kind}").format(key=field, kind=wanted)))
        elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            # pydantic's own words ('input should be ...') stay as it says them.
            problems.append(doc.problem(path, gettext("'{key}' is {value}: {reason}").format(
                key=field, value=_shown(value), reason=item["msg"].lower()),
                gettext("give a value within the allowed range")))
        elif kind in ("too_short", "string_too_short"):
            problems.append(doc.problem(path, gettext("'{key}' is empty").format(key=field),
                                        gettext("give at least one entry or some text for "
                                                "'{key}'").format(key=field)))
        elif kind == "string_pattern_mismatch":
            problems.append(doc.problem(
                path, gettext("'{key}' is {value}, which is not a valid {key}").format(
                    key=field, value=_shown(value)),
                gettext("use lower-case letters, digits and dashes, e.g. 'poor-hiring'")))
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
        raise UserError([doc.problem((), gettext("this file must be a mapping ({keys})").format(
            keys=shape), hint)])
    try:
        return doc, model.model_validate(doc.data)
    except ValidationError as error:
        raise UserError(problems_from_validation(error, doc, (), model)) from None


# A knowledge-text field: plain English, or {en, zh, ru} side by side in the file.
LocalText = Annotated[Text, PlainValidator(parse_text),
                      PlainSerializer(lambda text: text.as_data()),
                      WithJsonSchema(TEXT_JSON_SCHEMA)]
