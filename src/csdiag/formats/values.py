"""Values typed by a person (on the command line, or as an interview answer), read the
way YAML reads a scalar, safely, and checked against the fact vocabulary."""

from __future__ import annotations

import yaml

from csdiag.formats.errors import Problem, UserError, did_you_mean
from csdiag.formats.vocabulary import FactValue, Vocabulary


def parse_value(text: str) -> FactValue | list[FactValue]:
    """A value typed on the command line, read as YAML scalars are (safely); text that is
    not a YAML scalar or list (a stray bracket, a tag, an impossible date) stays text, for
    the vocabulary check to refuse with its usual message."""
    try:
        value = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError, OverflowError, RecursionError):
        return text
    if isinstance(value, list):
        return value
    if isinstance(value, (bool, int, float, str)):
        return value
    return text


def parse_settings(settings: list[str], vocabulary: Vocabulary) -> dict[str, FactValue]:
    """`--set fact=value` options, checked like case facts."""
    changes: dict[str, FactValue] = {}
    problems = []
    for setting in settings:
        fact, sep, text = setting.partition("=")
        fact = fact.strip()
        if not sep:
            problems.append(Problem(f"--set {setting}", None, None, "expected FACT=VALUE",
                                    "write e.g. --set training.new_hire_days=20"))
        elif fact not in vocabulary:
            hint = did_you_mean(fact, vocabulary.names())
            problems.append(Problem(f"--set {setting}", None, None, f"unknown fact '{fact}'",
                                    (hint + " " if hint else "") + "'csdiag facts' lists them"))
        else:
            value = parse_value(text.strip())
            why = vocabulary[fact].check_value(value)
            if why:
                problems.append(Problem(f"--set {setting}", None, None, why,
                                        "give a value the fact can take"))
            else:
                changes[fact] = value  # type: ignore[assignment]
    if problems:
        raise UserError(problems)
    return changes
