"""JSON as csdiag writes it: indented by two spaces, UTF-8 text as it is.

orjson writes what json.dumps(indent=2, ensure_ascii=False) writes, about ten times
faster (with an indent, the standard library falls back to its pure-Python encoder,
which was a third of `diagnose --format json`'s time on a batch of cases). The one
difference: an exponent has no padding zero or plus sign (1e-7, 1e16, where json.dumps
writes 1e-07, 1e+16); both read as the same number.
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def indented(value: Any) -> str:
    """`value` as indented JSON text (no final newline)."""
    return indented_at(value, 0)


def indented_at(value: Any, depth: int) -> str:
    """`value` as the indented JSON of a whole document writes it `depth` levels down
    (its inner lines indented 2 × depth more): a streamed report's case, written
    without a second pass over its text to indent it."""
    wrapped = value
    for _ in range(depth):
        wrapped = [wrapped]
    try:
        text = orjson.dumps(wrapped, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
                            ).decode("utf-8")
    except (orjson.JSONEncodeError, TypeError):  # e.g. a whole number past 64 bits
        return json.dumps(value, indent=2, ensure_ascii=False).replace("\n",
                                                                       "\n" + "  " * depth)
    # '[\n  [\n    ' before the value and '\n  ]\n]' after it, for depth 2.
    before = sum(2 + 2 * (level + 1) for level in range(depth))
    after = sum(2 + 2 * level for level in range(depth))
    return text[before:len(text) - after]
