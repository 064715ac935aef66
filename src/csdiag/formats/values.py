"""Values typed by a person: an interview answer, a `--set FACT=VALUE`, a `--value`.

Nothing typed is ever parsed as a YAML document: a parser here can only return a value
or a message saying what it would accept. Answers are read forgivingly for their fact
(yes/no, a unit after a number, a decimal comma, an enum value in any case or by a
unique beginning) and then checked against the vocabulary like case facts.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata

from csdiag.formats.errors import Problem, UserError, did_you_mean
from csdiag.formats.vocabulary import FactDefinition, FactValue, Vocabulary
from csdiag.i18n import gettext

# English words are always understood, whatever language csdiag speaks.
TRUE_WORDS = frozenset({"true", "yes", "y", "t", "on", "是", "是的", "对", "有", "да", "есть"})
FALSE_WORDS = frozenset({"false", "no", "n", "f", "off", "否", "不是", "不", "没有", "无",
                         "нет", "не"})
_PERCENT_WORDS = ("%", "％", "percent", "per cent", "процентов", "процента", "процент")
_END_MARKS = ".。!！"
SPELT_BOOLEANS = frozenset({"true", "false", "yes", "no", "on", "off"})  # not y/n/t/f
MAX_ANSWER = 200  # characters; a longer answer is a paste gone wrong
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def unreadable(text: str, title: bool = False) -> str | None:
    """Why typed text cannot be an answer (or, with `title`, a rule's title) at all, or
    None."""
    if "\ufffd" in text:
        return (gettext("the title holds bytes that are not text (not UTF-8)") if title
                else gettext("the answer holds bytes that are not text (not UTF-8)"))
    if any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs") for c in text):
        return (gettext("the title holds control characters (an arrow or function key?)")
                if title else
                gettext("the answer holds control characters (an arrow or function key?)"))
    if len(text) > MAX_ANSWER:
        return (gettext("the title is longer than {count} characters") if title
                else gettext("the answer is longer than {count} characters")
                ).format(count=MAX_ANSWER)
    return None


_GROUPED = re.compile(r"^[+-]?[1-9]\d{0,2}([ ,\u00a0_]\d{3})+(\.\d+)?$")  # 1,000 / 1 000
_AMBIGUOUS = re.compile(r"^[+-]?[1-9]\d{0,2},\d{3}$")  # 1,500: 1500, or 1.5?
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")  # 12,5 / 0,125


def _number(text: str) -> int | float | None:
    """A number as people type it: '40', '40%', '12,5', '1 000', '1,000,000'; else None.
    '1,500' could be either 1500 or 1.5, so it is refused rather than guessed."""
    cleaned = text.strip().removesuffix("%").strip()
    if _AMBIGUOUS.match(cleaned):
        return None
    if _GROUPED.match(cleaned):
        cleaned = re.sub(r"[ ,\u00a0_]", "", cleaned)
    elif _DECIMAL_COMMA.match(cleaned):
        cleaned = cleaned.replace(",", ".")
    if not _NUMBER.match(cleaned):
        return None
    if re.match(r"^[+-]?\d+$", cleaned):
        return int(cleaned)  # exact: no detour through a float
    value = float(cleaned)
    return value if math.isfinite(value) else None


def _label_words(definition: FactDefinition, value: str) -> list[str]:
    """An enum value as people say it, in every language its label is written in."""
    label = definition.labels.get(value)
    return [text.lower() for text in label.all()] if label else []


def _without_unit(text: str, definition: FactDefinition) -> str:
    """A number with its unit taken off: '8 days', '8 天', '8 дней', '38 %', '5 п. п.'
    -> the number. Any form of the fact's unit in any language is understood, or its
    beginning ('5 percentage points' for 'percentage points below target')."""
    forms = [*_PERCENT_WORDS] if definition.type == "percentage" else []
    for written in definition.unit.all() if definition.unit else []:
        forms += [form.strip().lower() for form in written.split("|")]
    for cut in range(len(text) - 1, 0, -1):  # the longest number first
        rest = text[cut:].strip().lower()
        if rest and _number(text[:cut]) is not None and any(
                form == rest or (form.startswith(rest) and (len(rest) > 1 or rest > "\u2e80"))
                or (rest.startswith("%") and form.startswith("%")) for form in forms):
            return text[:cut].strip()
    return text


def parse_answer(text: str, definition: FactDefinition, forgiving: bool = True
                 ) -> tuple[FactValue | None, str | None]:
    """The value an answer gives the fact, or (None, what would be accepted). Forgiving
    (the interview): an enum value may be given by a unique beginning; a script's --set
    must name it in full."""
    text = unicodedata.normalize("NFC", text).strip()
    why = unreadable(text)
    if why:
        return None, why
    word = text.lower().rstrip(_END_MARKS).strip()  # 'Да.', '是。'
    value: FactValue | None = None
    if definition.type == "boolean":
        value = True if word in TRUE_WORDS else False if word in FALSE_WORDS else None
    elif definition.type == "enum":
        options = definition.values or []
        wanted = re.sub(r"[\s-]+", "_", word)
        labels = {v: _label_words(definition, v) for v in options}
        exact = [v for v in options if wanted == v.lower() or word in labels[v]]
        # A unique beginning of the value, of its label (three characters or more), or
        # of a word in its label (four or more: 'начального' for 'должность начального
        # уровня', never a short word such as 'и', 'по' or 'to').
        # Chinese has no spaces between words and two characters already make one:
        # '零售' for '零售门店', '入门' for '入门级岗位'.
        chinese = len(word) > 1 and all("\u4e00" <= c <= "\u9fff" for c in word)
        begun = ([v for v in options if v.lower().startswith(wanted) or any(
                     (len(word) > 2 and label.startswith(word)) or (len(word) > 3 and any(
                         part.startswith(word) for part in label.split()))
                     or (chinese and word in label)
                     for label in labels[v])]
                 if wanted and forgiving else [])
        value = exact[0] if exact else begun[0] if len(begun) == 1 else None
    else:
        text = _without_unit(text, definition)
        number = _number(text)
        if number is not None and definition.type == "integer":
            value = number if isinstance(number, int) else (
                int(number) if number.is_integer() else None)
            if value is None:
                return None, gettext("{value} is not a valid value for {fact} ({type}); it "
                                     "takes {allowed}").format(value=text, fact=definition.name,
                                                         type="integer",
                                                         allowed=definition.allowed())
        elif number is not None:
            value = number
    if value is None and _AMBIGUOUS.match(text.removesuffix("%").strip()):
        return None, gettext("{value} could be a thousand-odd or a decimal: write it without "
                             "the comma, or with a point (e.g. 1500 or 1.5)").format(value=text)
    if value is None:
        plain = _number(text) is not None or word in TRUE_WORDS | FALSE_WORDS
        return None, gettext("{value} is not a valid value for {fact} ({type}); it "
                             "takes {allowed}").format(value=text if plain else repr(text),
                                                 fact=definition.name,
                                                 type=definition.type,
                                                 allowed=definition.allowed())
    why = definition.check_value(value)
    return (None, why) if why else (value, None)


# Bounds and ranges in each language csdiag speaks: 'at least 20', 'не менее 20', '至少20',
# 'between 15 and 25', 'от 15 до 25', '15到25', '15-25'.
_LOWER = re.compile(r"^(?:at least|over|more than|above|не менее|не меньше|более|больше|"
                    r"свыше|至少|不少于|超过|多于|大于|>=|>|≥)\s*(.+)$", re.IGNORECASE)
_UPPER = re.compile(r"^(?:at most|under|less than|below|не более|не больше|менее|меньше|"
                    r"至多|最多|不超过|少于|小于|<=|<|≤)\s*(.+)$", re.IGNORECASE)
_PLUS = re.compile(r"^(.+?)\s*\+$")  # 20+
_RANGE = re.compile(r"^(?:between\s+|от\s+|在)?(.+?)\s*(?:\s(?:and|to|до)\s|到|至|\u2013|"
                    r"(?<=\d)-(?=\s*\d))\s*(.+?)(?:\s*之间)?$", re.IGNORECASE)

Bound = tuple[float | None, float | None]  # (at least, at most)


def parse_bound(text: str, definition: FactDefinition) -> tuple[Bound | None, str | None]:
    """A bound or a range typed for a number fact: 'at least 20', 'over 20', '20+',
    'at most 5', 'between 15 and 25', '15-25%'. (None, None) when the text is not one."""
    if not definition.is_numeric:
        return None, None
    text = unicodedata.normalize("NFC", text).strip()
    sides: tuple[str | None, str | None]
    if match := _LOWER.match(text):
        sides = (match.group(1), None)
    elif match := _UPPER.match(text):
        sides = (None, match.group(1))
    elif match := _PLUS.match(text):
        sides = (match.group(1), None)
    elif match := _RANGE.match(text):
        sides = (match.group(1), match.group(2))
    else:
        return None, None
    bound: list[float | None] = []
    for side in sides:
        if side is None:
            bound.append(None)
            continue
        value, why = parse_answer(side, definition)
        if why or value is None or isinstance(value, (bool, str)):
            return None, why or gettext("{value} is not a number").format(value=repr(side))
        bound.append(value)
    low, high = bound
    if low is not None and high is not None and low > high:
        return None, gettext("{range}: the range runs from the lower to the higher number"
                             ).format(range=text)
    return (low, high), None


def _scalar(text: str) -> FactValue:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    if text.lower() in SPELT_BOOLEANS:
        return text.lower() in TRUE_WORDS
    number = _number(text) if not text.endswith("%") else None
    return number if number is not None else text


def parse_value(text: str) -> FactValue | list[FactValue]:
    """A value typed on the command line without knowing its fact: true/false, a number,
    a list '[a, b]', or else the text itself."""
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        # Split on commas outside quotes: '["a, b", c]' is two values.
        parts = next(csv.reader([text[1:-1]], skipinitialspace=True), [])
        return [_scalar(part) for part in parts if part.strip()]
    return _scalar(text)


def parse_settings(settings: list[str], vocabulary: Vocabulary) -> dict[str, FactValue]:
    """`--set fact=value` options, read like interview answers and checked like facts."""
    changes: dict[str, FactValue] = {}
    problems = []
    seen: set[str] = set()
    for setting in settings:
        fact, sep, text = setting.partition("=")
        fact = fact.strip()
        if sep and fact in seen:
            problems.append(Problem(f"--set {fact}=", None, None,
                                    gettext("'{fact}' set twice").format(fact=fact),
                                    gettext("give each fact one --set")))
            continue
        seen.add(fact)
        where = f"--set {setting}" if not unreadable(setting) else "--set"
        if not sep:
            problems.append(Problem(where, None, None, gettext("expected FACT=VALUE"),
                                    gettext("write e.g. --set training.new_hire_days=20")))
        elif fact not in vocabulary:
            hint = did_you_mean(fact, vocabulary.names())
            problems.append(Problem(where, None, None,
                                    gettext("unknown fact '{fact}'").format(fact=fact),
                                    (hint + " " if hint else "")
                                    + gettext("'csdiag facts' lists them")))
        else:
            value, why = parse_answer(text, vocabulary[fact], forgiving=False)
            if why or value is None:
                problems.append(Problem(where, None, None, why or gettext("no value"),
                                        gettext("give a value the fact can take")))
            else:
                changes[fact] = value
    if problems:
        raise UserError(problems)
    return changes
