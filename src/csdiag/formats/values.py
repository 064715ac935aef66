"""Values typed by a person: an interview answer, a `--set FACT=VALUE`, a `--value`.

Nothing typed is ever parsed as a YAML document: a parser here can only return a value
or a message saying what it would accept. Answers are read forgivingly for their fact
(yes/no, a unit after a number, a decimal comma, an enum value in any case or by a
unique beginning) and then checked against the vocabulary like case facts.
"""

from __future__ import annotations

import math
import re
import unicodedata

from csdiag.formats.errors import Problem, UserError, did_you_mean
from csdiag.formats.vocabulary import FactDefinition, FactValue, Vocabulary

TRUE_WORDS = frozenset({"true", "yes", "y", "t", "on"})
FALSE_WORDS = frozenset({"false", "no", "n", "f", "off"})
MAX_ANSWER = 200  # characters; a longer answer is a paste gone wrong
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def unreadable(text: str) -> str | None:
    """Why typed text cannot be an answer at all, or None."""
    if "\ufffd" in text:
        return "the answer holds bytes that are not text (not UTF-8)"
    if any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs") for c in text):
        return "the answer holds control characters (an arrow or function key?)"
    if len(text) > MAX_ANSWER:
        return f"the answer is longer than {MAX_ANSWER} characters"
    return None


def _number(text: str) -> float | None:
    """A number as people type it: '40', '40%', '12,5', '1 000', '2_000'; else None."""
    cleaned = text.replace("_", "").replace(" ", "").replace("\u00a0", "").rstrip("%")
    if cleaned.count(",") == 1 and "." not in cleaned:
        head, tail = cleaned.split(",")
        thousands = len(tail) == 3 and head.lstrip("+-") not in ("", "0")
        cleaned = head + ("" if thousands else ".") + tail
    cleaned = cleaned.replace(",", "")
    if not _NUMBER.match(cleaned):
        return None
    value = float(cleaned)
    return value if math.isfinite(value) else None


def parse_answer(text: str, definition: FactDefinition) -> tuple[FactValue | None, str | None]:
    """The value an answer gives the fact, or (None, what would be accepted)."""
    text = unicodedata.normalize("NFC", text).strip()
    why = unreadable(text)
    if why:
        return None, why
    word = text.lower()
    value: FactValue | None = None
    if definition.type == "boolean":
        value = True if word in TRUE_WORDS else False if word in FALSE_WORDS else None
    elif definition.type == "enum":
        options = definition.values or []
        wanted = re.sub(r"[\s-]+", "_", word)
        exact = [v for v in options if v.lower() == wanted]
        begun = [v for v in options if v.lower().startswith(wanted)] if wanted else []
        value = exact[0] if exact else begun[0] if len(begun) == 1 else None
    else:
        number = _number(text)
        if number is not None and definition.type == "integer":
            value = int(number) if number.is_integer() else None
            if value is None:
                return None, (f"{text} is not a valid value for {definition.name} "
                              f"(integer); it takes {definition.allowed()}")
        elif number is not None:
            value = int(number) if number.is_integer() and abs(number) < 2**53 else number
    if value is None:
        plain = _number(text) is not None or word in TRUE_WORDS | FALSE_WORDS
        return None, (f"{text if plain else repr(text)} is not a valid value for "
                      f"{definition.name} ({definition.type}); it takes {definition.allowed()}")
    why = definition.check_value(value)
    return (None, why) if why else (value, None)


def _scalar(text: str) -> FactValue:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    number = _number(text) if not text.endswith("%") else None
    if number is not None:
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    return text


def parse_value(text: str) -> FactValue | list[FactValue]:
    """A value typed on the command line without knowing its fact: true/false, a number,
    a list '[a, b]', or else the text itself."""
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        return [_scalar(part) for part in text[1:-1].split(",") if part.strip()]
    return _scalar(text)


def parse_settings(settings: list[str], vocabulary: Vocabulary) -> dict[str, FactValue]:
    """`--set fact=value` options, read like interview answers and checked like facts."""
    changes: dict[str, FactValue] = {}
    problems = []
    for setting in settings:
        fact, sep, text = setting.partition("=")
        fact = fact.strip()
        where = f"--set {setting}" if not unreadable(setting) else "--set"
        if not sep:
            problems.append(Problem(where, None, None, "expected FACT=VALUE",
                                    "write e.g. --set training.new_hire_days=20"))
        elif fact in changes or any(p.message.endswith(f"'{fact}' set twice")
                                    for p in problems):
            problems.append(Problem(where, None, None, f"'{fact}' set twice",
                                    "give each fact one --set"))
        elif fact not in vocabulary:
            hint = did_you_mean(fact, vocabulary.names())
            problems.append(Problem(where, None, None, f"unknown fact '{fact}'",
                                    (hint + " " if hint else "") + "'csdiag facts' lists them"))
        else:
            value, why = parse_answer(text, vocabulary[fact])
            if why or value is None:
                problems.append(Problem(where, None, None, why or "no value",
                                        "give a value the fact can take"))
            else:
                changes[fact] = value
    if problems:
        raise UserError(problems)
    return changes
