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
DEFAULT_LANGUAGE = "en"
# The locale of messages is the first of these that is set, as setlocale reads them.
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")

_active: ContextVar[str] = ContextVar("csdiag_language", default=DEFAULT_LANGUAGE)


def language_of(tag: str) -> str | None:
    """The csdiag language a locale tag names ('zh_CN.UTF-8' -> 'zh'), or None."""
    base = tag.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return base if base in LANGUAGES else None


def language_from_environment(environ: Mapping[str, str] | None = None) -> str | None:
    """The language the usual locale variables ask for, or None when they name none of ours.

    As GNU gettext does: the locale is the first set of LC_ALL, LC_MESSAGES, LANG; unless
    it is 'C' (or 'POSIX'), LANGUAGE may list preferred languages before it ('ru:en')."""
    environ = os.environ if environ is None else environ
    locale = next((environ[v] for v in LOCALE_VARIABLES if environ.get(v)), "")
    if not locale or locale in ("C", "POSIX") or locale.startswith("C."):
        return None
    for tag in [*environ.get("LANGUAGE", "").split(":"), locale]:
        found = language_of(tag) if tag else None
        if found:
            return found
    return None


def checked_language(language: str) -> str:
    """`language` as one of ours ('zh_CN' -> 'zh'); ValueError naming those there are."""
    found = language_of(language)
    if found is None:
        raise ValueError(f"unknown language '{language}': csdiag speaks "
                         + ", ".join(LANGUAGES))
    return found


def current_language() -> str:
    """The language csdiag is speaking now."""
    return _active.get()


@contextmanager
def use_language(language: str | None) -> Iterator[str]:
    """Speak `language` inside the block (None keeps the current one)."""
    if language is None:
        yield _active.get()
        return
    token = _active.set(checked_language(language))
    try:
        yield language
    finally:
        _active.reset(token)


def set_language(language: str) -> None:
    """Speak `language` from now on in this context (the command line sets it once)."""
    _active.set(checked_language(language))
