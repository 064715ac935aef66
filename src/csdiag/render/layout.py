"""Text laid out by display width, so Chinese lines fit the terminal as English ones do.

A Chinese character takes two columns and a line may break between any two of them
(but not before a closing mark such as '，' or after an opening one such as '（');
Latin and Cyrillic words, rule ids and fact names never break inside.
"""

from __future__ import annotations

import re
from functools import lru_cache

from wcwidth import wcswidth

from csdiag.i18n import one_line

WIDTH = 88

# Kinsoku: marks that may not start a line, and marks that may not end one.
_NO_LINE_START = set("，。、；：！？）》」』】〕〉”’»“…—·%％,.;:!?)]}")
_NO_LINE_END = set("（《「『【〔〈“‘«„([{")


def width(text: str) -> int:
    """Columns `text` takes in a terminal (a CJK character takes two)."""
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


def wrap(text: str, indent: str = "", hang: int | None = None, columns: int = WIDTH) -> list[str]:
    """Lines of at most `columns` display columns; a list item ('- ', '12. ') hangs under
    its first word. A piece wider than the line (a long id) stays whole on its own line."""
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
