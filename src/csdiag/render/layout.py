"""Text laid out by display width, so Chinese lines fit the terminal as English ones do.

A Chinese character takes two columns and a line may break between any two of them
(but not before a closing mark such as '，' or after an opening one such as '（');
Latin and Cyrillic words, rule ids and fact names never break inside.

How a report is displayed is chosen by whoever prints it, as the audience is: the width
of its lines (WIDTH unless told otherwise) and whether its headings and verdicts are
coloured (never unless told). The library's output is the same wherever it runs; the
command line asks for the terminal's width and colour when it prints to one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from functools import lru_cache

from csdiag.formats.errors import printable
from csdiag.i18n import one_line

WIDTH = 88  # the width of every report not shown on a terminal: files, pipes, tests
# A terminal's width is used within these bounds. Below 60 columns the indented lines of
# evidence and remedies (5 to 7 columns in) would hold a few words each, and the rule ids
# and fact names, which never break (the built-in ones run to 40 and 55 columns), would
# stand out past the text around them; above 100, lines of prose grow past what the eye
# follows easily back to the next line's start (the report is mostly sentences:
# descriptions, evidence, remedies), so a wide terminal shows 100-column lines with room
# to spare rather than 200-column ones.
MIN_WIDTH, MAX_WIDTH = 60, 100


@dataclass(frozen=True)
class Display:
    """How text is laid out: `columns` per line, and whether headings and verdicts are
    coloured (ANSI styles, only for a terminal that shows them)."""

    columns: int = WIDTH
    colour: bool = False


PLAIN = Display()  # frozen: one value shared by every context that sets none
_display: ContextVar[Display] = ContextVar("csdiag_display", default=PLAIN)


@contextmanager
def use_display(columns: int | None = None, colour: bool | None = None) -> Iterator[None]:
    """Lay text out `columns` wide and (`colour`) styled inside the block; what is not
    given stays as it is."""
    current = _display.get()
    token = _display.set(replace(
        current, columns=current.columns if columns is None else max(1, columns),
        colour=current.colour if colour is None else colour))
    try:
        yield
    finally:
        _display.reset(token)


def display() -> Display:
    """How text is being laid out (Display() unless someone chose otherwise)."""
    return _display.get()


def terminal_columns(columns: int) -> int:
    """The width to lay a report out in on a terminal `columns` wide."""
    return min(MAX_WIDTH, max(MIN_WIDTH, columns))


# Restrained styles, readable on dark and on light backgrounds: bold and dim change no
# colour at all, and yellow is the terminal's own (not the bright one, which a light
# background washes out; git shows commit ids in it on both).
STYLES = {"heading": "1", "diagnosis": "1", "weak": "33", "ruled-out": "2"}
_RESET = "\x1b[0m"
_OWN_STYLES = re.compile("(\x1b\\[(?:0|" + "|".join(sorted(set(STYLES.values()))) + ")m)")


def styled(text: str, style: str) -> str:
    """`text` in one of STYLES, when colour is on; as it is otherwise. Indentation stays
    outside the style, and the display width of the line does not change."""
    if not _display.get().colour or not text.strip():
        return text
    body = text.lstrip(" ")
    return f"{text[:len(text) - len(body)]}\x1b[{STYLES[style]}m{body}{_RESET}"


def printable_styled(text: str) -> str:
    """printable() for text `styled` may have coloured: its own styles are kept, every
    other control character (one from a file, say) is made harmless."""
    parts = _OWN_STYLES.split(text)
    return "".join(part if index % 2 else printable(part) for index, part in enumerate(parts))


def unstyled(text: str) -> str:
    """`text` without the styles `styled` added."""
    return _OWN_STYLES.sub("", text) if "\x1b" in text else text


# Kinsoku: marks that may not start a line, and marks that may not end one.
_NO_LINE_START = set("，。、；：！？）》」』】〕〉”’»“…—·%％,.;:!?)]}")
_NO_LINE_END = set("（《「『【〔〈“‘«„([{")


def wcswidth(text: str) -> int:
    """wcwidth's measure, imported on first use: English text never needs it, and the
    import was a twentieth of a short run's time."""
    from wcwidth import wcswidth as measure

    return int(measure(text))


def width(text: str) -> int:
    """Columns `text` takes in a terminal (a CJK character takes two; a style, none)."""
    text = unstyled(text)
    if text.isascii():
        return len(text)  # the common case, without measuring each character
    measured = wcswidth(text)
    return measured if measured >= 0 else len(text)


def pad(text: str, columns: int) -> str:
    """`text` padded with spaces to `columns` display columns (a table cell)."""
    return text + " " * max(0, columns - width(text))


@lru_cache(maxsize=8192)
def _is_wide(char: str) -> bool:
    return not char.isascii() and wcswidth(char) == 2


def _units(text: str) -> list[tuple[str, bool]]:
    """The unbreakable pieces of `text` (already one line, see one_line: a no-break space
    joins), each with whether a space comes before it."""
    units: list[tuple[str, bool]] = []
    for word in text.split(" "):
        if not word:
            continue
        if max(word) < "\u1100":  # no wide character can be in it: one piece
            units.append((word, True))
            continue
        pieces: list[str] = []
        for char in word:
            glued = pieces and ((not _is_wide(char) and not _is_wide(pieces[-1][-1]))
                                or char in _NO_LINE_START or pieces[-1][-1] in _NO_LINE_END)
            if glued:
                pieces[-1] += char
            else:
                pieces.append(char)
        units += [(piece, i == 0) for i, piece in enumerate(pieces)]
    return units


def wrap(text: str, indent: str = "", hang: int | None = None,
         columns: int | None = None) -> list[str]:
    """Lines of at most `columns` display columns (default: the display's); a list item
    ('- ', '12. ') hangs under its first word. A piece wider than the line (a long id)
    stays whole on its own line."""
    if columns is None:
        columns = _display.get().columns
    text = one_line(text)
    if hang is None:
        bullet = re.match(r"- |\d+\. ", text)
        hang = bullet.end() if bullet else 0
    lines: list[str] = []
    current, used = indent, width(indent)
    empty = True
    for piece, spaced in _units(text):
        gap = " " if spaced and not empty else ""
        needed = width(gap) + width(piece)
        if not empty and used + needed > columns:
            lines.append(current)
            current = indent + " " * hang
            used, gap, empty = width(current), "", True
            needed = width(piece)
        current += gap + piece
        used += needed
        empty = False
    lines.append(current)
    return lines
