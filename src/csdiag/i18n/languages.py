"""Which language csdiag speaks: the choice, where it comes from, and the one in use.

The language in use is held in a context variable, as Django and Sphinx hold theirs,
so renderers, the interview and error messages all read it without passing it down
every call; `use_language` sets it for a block of code.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

LANGUAGES = ("en", "zh", "ru")
LANGUAGE_NAMES = {"en": "English", "zh": "中文", "ru": "Русский"}
DEFAULT_LANGUAGE = "en"
# Read in this order, as gettext reads them; the first that names a language decides.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_active: ContextVar[str] = ContextVar("csdiag_language", default=DEFAULT_LANGUAGE)


def language_of(tag: str) -> str | None:
    """The csdiag language a locale tag names ('zh_CN.UTF-8' -> 'zh'), or None."""
    base = tag.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return base if base in LANGUAGES else None


def language_from_environment(environ: Mapping[str, str] | None = None) -> str | None:
    """The language the usual locale variables ask for, or None when they name none of ours.

    `LANGUAGE` may list several ('ru:en'); 'C' and 'POSIX' mean no preference."""
    environ = os.environ if environ is None else environ
    for variable in LOCALE_VARIABLES:
        value = environ.get(variable, "")
        for tag in value.split(":"):
            if tag and tag not in ("C", "POSIX") and not tag.startswith("C."):
                found = language_of(tag)
                if found:
                    return found
        if value and variable != "LANGUAGE":
            return None  # the first set variable decides, as in setlocale
    return None


def current_language() -> str:
    """The language csdiag is speaking now."""
    return _active.get()


@contextmanager
def use_language(language: str | None) -> Iterator[str]:
    """Speak `language` inside the block (None keeps the current one)."""
    if language is None:
        yield _active.get()
        return
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; csdiag speaks {', '.join(LANGUAGES)}")
    token = _active.set(language)
    try:
        yield language
    finally:
        _active.reset(token)


def set_language(language: str) -> None:
    """Speak `language` from now on in this context (the command line sets it once)."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; csdiag speaks {', '.join(LANGUAGES)}")
    _active.set(language)
