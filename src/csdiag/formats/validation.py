"""Turn pydantic validation errors into located, plain-language `Problem`s."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Annotated, Any, TypeVar, get_args, get_origin

from pydantic import (
    BaseModel,
    PlainSerializer,
    PlainValidator,
    Tag,
    ValidationError,
    WithJsonSchema,
)
from pydantic.fields import FieldInfo

from csdiag.formats.errors import Problem, UserError, did_you_mean, invalid, nearest
from csdiag.formats.located_yaml import YamlDocument, YamlPath, read_yaml
from csdiag.i18n import (
    LANGUAGES,
    N_,
    TEXT_JSON_SCHEMA,
    Text,
    gettext,
    language_of,
    ngettext,
    parse_text,
    pgettext,
)

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


def _held(annotation: Any) -> tuple[list[type[BaseModel]], dict[str, type[BaseModel]], bool]:
    """The models a field's value holds (through lists, unions and Annotated), the tags of a
    tagged union's choices, and whether the value is a mapping (its keys come next in a
    `loc`, not fields)."""
    models: list[type[BaseModel]] = []
    tags: dict[str, type[BaseModel]] = {}
    if get_origin(annotation) is Annotated:
        inner, *metadata = get_args(annotation)
        models, tags, mapping = _held(inner)
        tag = next((m.tag for m in metadata if isinstance(m, Tag)), None)
        return models, ({**tags, tag: models[0]} if tag and len(models) == 1 else tags), mapping
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation], {}, False
    mapping = get_origin(annotation) is dict
    for arg in get_args(annotation)[1 if mapping else 0:]:
        found, found_tags, _ = _held(arg)
        models += found
        tags.update(found_tags)
    return models, tags, mapping


def _walk(model: type[BaseModel], loc: tuple[Any, ...]
          ) -> tuple[YamlPath, list[type[BaseModel]], FieldInfo | None]:
    """Follow pydantic's `loc` through `model`: the place in the file (without a tagged
    union's tags, which the file does not write), the models that can stand there, and
    the field of its last key (None for a list item, a mapping's key, or an unknown key)."""
    path: list[str | int] = []
    models: list[type[BaseModel]] = [model]
    tags: dict[str, type[BaseModel]] = {}
    keyed = False
    info: FieldInfo | None = None
    for part in loc:
        if part in tags and not keyed:  # a tagged union's choice: not written in the file
            models, tags = [tags[part]], {}
            continue
        path.append(part)
        if isinstance(part, int) or keyed:
            keyed, info = False, None
            continue
        info = next((m.model_fields[part] for m in models if part in m.model_fields), None)
        models, tags, keyed = _held(info.annotation) if info else ([], {}, False)
    return tuple(path), models, info


def _fields(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names allowed at `loc`, for 'did you mean' on unknown keys."""
    names = [name for found in _walk(model, loc)[1] for name, f in found.model_fields.items()
             if not f.exclude]
    return list(dict.fromkeys(names))


def _expected(item: Any) -> list[str]:
    """The values a literal field takes, from pydantic's words for them ("'a', 'b' or 'c'")."""
    return re.findall(r"'([^']*)'", str(item.get("ctx", {}).get("expected", "")))


def _loc(item: Any) -> tuple[Any, ...]:
    """An error's `loc` without the validator names pydantic adds to it."""
    return tuple(part for part in item["loc"] if not isinstance(part, str)
                 or not part.startswith(("function-", "tagged-union")))


def problems_from_validation(error: ValidationError, doc: YamlDocument, base: YamlPath,
                             model: type[BaseModel]) -> list[Problem]:
    problems = []
    items = error.errors(include_url=False)
    # A misspelt required key is one mistake: 'unknown key' with the name meant, not also
    # 'missing required key'.
    meant: set[tuple[YamlPath, str | None]] = set()
    for item in items:
        if item["type"] == "extra_forbidden":
            parent = _loc(item)[:-1]
            meant.add((_walk(model, parent)[0], nearest(str(_loc(item)[-1]),
                                                        _fields(model, parent))))
    for item in items:
        loc = _loc(item)
        place, _, _ = _walk(model, loc)
        path = (*base, *place)
        kind = item["type"]
        field = str(loc[-1]) if loc else "file"
        value = item.get("input")
        if kind == "missing" and (place[:-1], field) in meant:
            continue
        if kind == "missing":
            problems.append(doc.problem(path[:-1], gettext(
                "missing required key '{key}'").format(key=field),
                gettext("add '{key}:' here").format(key=field)))
        elif kind == "extra_forbidden":
            allowed = _fields(model, loc[:-1])
            hint = did_you_mean(field, allowed, gettext("allowed keys: {keys}").format(
                keys=", ".join(allowed)) if allowed else "")
            problems.append(doc.problem(path, gettext("unknown key '{key}'").format(key=field),
                                        hint, at_key=True))
        elif kind in ("literal_error", "enum"):
            # pydantic's list of the expected values ("'a', 'b' or 'c'") stays as it says it.
            expected = item.get("ctx", {}).get("expected", "")
            problems.append(doc.problem(path, gettext("'{key}' cannot be {value}").format(
                key=field, value=_shown(value)), did_you_mean(
                    value, _expected(item), gettext("use one of: {values}").format(
                        values=expected))))
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
    return validated(read_yaml(path), model, shape, hint)


def validated(doc: YamlDocument, model: type[Model], shape: str,
              hint: str) -> tuple[YamlDocument, Model]:
    """A YAML document whose top level is one pydantic model, checked as read_validated
    checks a file's."""
    if not isinstance(doc.data, dict):
        raise UserError([doc.problem((), gettext("this file must be a mapping ({keys})").format(
            keys=shape), hint)])
    try:
        return doc, model.model_validate(doc.data)
    except ValidationError as error:
        raise UserError(problems_from_validation(error, doc, (), model)) from None


def readable_part(data: dict[str, Any], error: ValidationError, model: type[BaseModel],
                  needed: frozenset[str] = frozenset()
                  ) -> tuple[dict[str, Any], set[YamlPath]] | None:
    """`data` without the keys `error` found wrong where the model can do without them (an
    unknown key, an optional key, a mapping's entry), so that the checks that follow still
    read the rest; and the places of the keys left out (with, for a misspelt key, the key
    it was meant to be, which is no more missing than it is). A list item is never left out
    (the places of the items after it would shift): its list is. None when a key the
    model (or `needed`) requires is wrong. Errors of the whole model are left to the
    caller, who validates the part with its completeness checks off."""
    kept = copy.deepcopy(data)
    lost: set[YamlPath] = set()
    for item in error.errors(include_url=False):
        loc = _loc(item)
        if item["type"] == "extra_forbidden":
            cut = len(loc)
        else:
            cut = next((n for n in range(len(loc), 0, -1) if _can_go(model, loc[:n], needed)),
                       0)
            if cut == 0 and loc:
                return None
        if cut:
            place = _walk(model, loc[:cut])[0]
            container: Any = kept
            for part in place[:-1]:
                # Gone already when an earlier error left out a key above this one.
                if isinstance(container, dict):
                    container = container.get(part)
                elif (isinstance(container, list) and isinstance(part, int)
                      and -len(container) <= part < len(container)):
                    container = container[part]
                else:
                    container = None
            if isinstance(container, dict):
                container.pop(place[-1], None)
            lost.add(place)
            if item["type"] == "extra_forbidden":
                meant = nearest(str(loc[-1]), _fields(model, loc[:-1]))
                lost |= {(*place[:-1], meant)} if meant else set()
    return kept, lost


def _can_go(model: type[BaseModel], loc: tuple[Any, ...], needed: frozenset[str]) -> bool:
    """Whether the key at `loc` may be left out: an optional field, or a mapping's entry."""
    if isinstance(loc[-1], int):
        return False
    place, _, info = _walk(model, loc)
    if len(place) == 1 and place[0] in needed:
        return False
    if info is None:  # a mapping's entry (a fact of a vocabulary file)
        return not isinstance(place[-1], int)
    return not info.is_required()


def _text(value: object) -> Text:
    """A knowledge text as `parse_text` reads it; a misspelt language key ('eng', 'zh-CN')
    is answered with the language meant."""
    unknown = [str(key) for key in value if key not in LANGUAGES] if isinstance(
        value, dict) else []
    if unknown:
        guesses = [did_you_mean(language_of(key) or key, LANGUAGES) for key in unknown]
        raise invalid(ngettext("unknown language {languages}", "unknown languages {languages}",
                               len(unknown)).format(
                                   languages=", ".join(f"'{key}'" for key in unknown)),
                      " ".join([*filter(None, guesses), gettext("use one of: {values}").format(
                          values=", ".join(LANGUAGES))]))
    return parse_text(value)


# A knowledge-text field: plain English, or {en, zh, ru} side by side in the file.
LocalText = Annotated[Text, PlainValidator(_text),
                      PlainSerializer(lambda text: text.as_data()),
                      WithJsonSchema(TEXT_JSON_SCHEMA)]
