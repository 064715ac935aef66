"""Knowledge text in three languages: a rule's title, a fact's question, a remedy's action.

A rule file gives either plain English (`title: Staff leave`) or the three languages
side by side (`title: {en: ..., zh: ..., ru: ...}`), so a rule writer sees and edits the
translations together with the English they translate.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from csdiag.i18n.catalogue import gettext
from csdiag.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES, current_language

TEXT_JSON_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "minLength": 1, "description": "English only"},
        {"type": "object", "description": "The text in each language it is written in",
         "properties": {lang: {"type": "string", "minLength": 1} for lang in LANGUAGES},
         "minProperties": 1, "additionalProperties": False},
    ]
}


@dataclass(frozen=True)
class Text:
    """One piece of knowledge text in any of the languages; the built-in pack gives all
    three, a writer's own pack may give only the one it is written in."""

    en: str = ""
    zh: str = ""
    ru: str = ""

    def get(self, language: str | None = None) -> str:
        """The text in `language` (the one in use by default); else in English; else in
        the language it is written in."""
        wanted = language or current_language()
        found = getattr(self, wanted) if wanted in LANGUAGES else ""
        # The language asked for, when the text has it (nearly always): without the
        # search below, since reports read hundreds of thousands of texts.
        return found or getattr(self, self.language_of(language))

    def language_of(self, language: str | None = None) -> str:
        """The language `get` answers in."""
        for candidate in (language or current_language(), DEFAULT_LANGUAGE, *LANGUAGES):
            if getattr(self, candidate, ""):
                return candidate
        return DEFAULT_LANGUAGE

    def __str__(self) -> str:
        return self.get()

    def all(self) -> list[str]:
        """The text in every language it is written in, English first."""
        return [getattr(self, lang) for lang in LANGUAGES if getattr(self, lang)]

    def missing(self) -> list[str]:
        """The languages this text has no translation in."""
        return [lang for lang in LANGUAGES if not getattr(self, lang)]

    def as_data(self) -> str | dict[str, str]:
        """The text as a rule file writes it: plain English, or a mapping of languages."""
        if self.en and not self.zh and not self.ru:
            return self.en
        return {lang: getattr(self, lang) for lang in LANGUAGES if getattr(self, lang)}

    def map(self, change: Callable[[str], str]) -> Text:
        """The text with `change` applied in every language (e.g. a stripped full stop)."""
        return Text(*(change(getattr(self, lang)) if getattr(self, lang) else ""
                      for lang in LANGUAGES))


_SPACES = re.compile(r"[ \t\n\r\f\v]+")


def one_line(text: str) -> str:
    """`text` with its runs of white space made one space; a no-break space (Russian
    '45\u00a0%') is not white space here, so it holds."""
    return _SPACES.sub(" ", text).strip()


def parse_text(value: object) -> Text:
    """Read a text field of a rule or vocabulary file; raise ValueError saying what to fix."""
    if isinstance(value, Text):
        return value
    if isinstance(value, str):
        if not value.strip():
            raise ValueError(gettext("the text is empty | fix: write it, or remove the "
                                     "field"))
        return Text(value)
    if not isinstance(value, dict) or not value:
        raise ValueError(gettext("expected text, or a mapping of languages such as {example}"
                                 " | fix: write the text").format(
                                     example="{en: ..., zh: ..., ru: ...}"))
    unknown = [key for key in value if key not in LANGUAGES]
    if unknown:
        raise ValueError(gettext("unknown language '{language}' | fix: use {languages}").format(
            language=unknown[0], languages=", ".join(LANGUAGES)))
    for key, text in value.items():
        if not isinstance(text, str) or not text.strip():
            raise ValueError(gettext("the {language} text is empty or not text | fix: write "
                                     "it as text, or remove the language").format(
                                         language=key))
    return Text(**value)
