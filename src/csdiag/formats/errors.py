"""User-facing problems: every mistake in a user's file becomes one of these, with a location."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from csdiag.i18n import gettext


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, said so a user can fix it."""

    file: str
    line: int | None
    column: int | None
    message: str
    hint: str = ""
    severity: str = "error"
    check: str = ""  # the lint check that found it, for warnings a rule may silence

    def location(self) -> str:
        if self.line is None:
            return self.file
        if self.column is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"

    def __str__(self) -> str:
        # The words a tool may grep for ('error', 'warning', 'fix') stay English.
        label = f"{self.severity}[{self.check}]" if self.check else self.severity
        text = f"{self.location()}: {label}: {self.message}"
        if self.hint:
            text += f"\n    fix: {self.hint}"
        return text


@dataclass
class UserError(Exception):
    """Raised when user input (case files, rule files, options) cannot be used."""

    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)  # files written before it was found

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def invalid(message: str, hint: str) -> ValueError:
    """The error a pydantic validator raises: `problems_from_validation` splits it back into
    the problem's message and its hint."""
    return ValueError(f"{message} | fix: {hint}")


def shown_path(path: str) -> str:
    """A path as the user would type it: relative when under the current folder."""
    import os

    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


# Names people bring from elsewhere (a programming language, YAML 1.1's yes and no, a
# country code), by the name csdiag uses: offered only where that name is one of the choices.
_OTHER_NAMES = {"bool": "boolean", "int": "integer", "float": "number", "double": "number",
                "decimal": "number", "percent": "percentage", "yes": "true", "no": "false",
                "on": "true", "off": "false", "cn": "zh", "ch": "zh"}


def nearest(name: str, candidates: Iterable[str]) -> str | None:
    """The closest known name to a misspelt one, for 'did you mean' hints: the same name in
    other capitals, a name other tools use for it, or the nearest spelling."""
    import difflib

    choices = sorted(set(candidates))
    by_lower = {choice.lower(): choice for choice in choices}
    lowered = name.strip().lower()
    if lowered in by_lower:
        return by_lower[lowered]
    if _OTHER_NAMES.get(lowered) in choices:
        return _OTHER_NAMES[lowered]
    matches = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(name: object, candidates: Iterable[str], then: str = "") -> str:
    """The hint for a value refused from a closed set (a key, an operator, an id, an enum
    value...): 'did you mean ...?' when one is near, followed by `then`, the fix."""
    match = nearest(str(name), candidates)
    guess = gettext("did you mean '{name}'?").format(name=match) if match else ""
    return " ".join(part for part in (guess, then) if part)


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text from files or arguments, safe to show on a terminal: control characters (an
    escape sequence that retitles the window or clears the screen, say) become U+FFFD;
    tabs and line ends stay."""
    return _CONTROL.sub("\ufffd", text)
