"""Knowledge text in three languages: a rule's title, a fact's question, a remedy's action.

A rule file gives either plain English (`title: Staff leave`) or the three languages
side by side (`title: {en: ..., zh: ..., ru: ...}`), so a rule writer sees and edits the
translations together with the English they translate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from csdiag.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES, current_language

TEXT_JSON_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "minLength": 1, "description": "English only"},
        {"type": "object", "description": "The text in each language, English required",
         "properties": {lang: {"type": "string", "minLength": 1} for lang in LANGUAGES},
         "required": [DEFAULT_LANGUAGE], "additionalProperties": False},
    ]
}


@dataclass(frozen=True)
class Text:
    """One piece of knowledge text; `en` is always there, the others may be missing."""

    en: str
    zh: str = ""
    ru: str = ""

    def get(self, language: str | None = None) -> str:
        """The text in `language` (the one in use by default), English when it has none."""
        return getattr(self, self.language_of(language))

    def language_of(self, language: str | None = None) -> str:
        """The language `get` answers in: `language` if the text has it, else English."""
        wanted = language or current_language()
        return wanted if getattr(self, wanted, "") else DEFAULT_LANGUAGE

    def __str__(self) -> str:
        return self.get()

    def missing(self) -> list[str]:
        """The languages this text has no translation in."""
        return [lang for lang in LANGUAGES if not getattr(self, lang)]

    def as_data(self) -> str | dict[str, str]:
        """The text as a rule file writes it: plain English, or a mapping of languages."""
        if not self.zh and not self.ru:
            return self.en
        return {lang: getattr(self, lang) for lang in LANGUAGES if getattr(self, lang)}

    def map(self, change: Callable[[str], str]) -> Text:
        """The text with `change` applied in every language (e.g. a stripped full stop)."""
        return Text(*(change(getattr(self, lang)) if getattr(self, lang) else ""
                      for lang in LANGUAGES))


def parse_text(value: object) -> Text:
    """Read a text field of a rule or vocabulary file; raise ValueError saying what to fix."""
    if isinstance(value, Text):
        return value
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("the text is empty | fix: write it, or remove the field")
        return Text(value)
    if not isinstance(value, dict):
        raise ValueError("expected text, or a mapping of languages such as "
                         "{en: ..., zh: ..., ru: ...} | fix: write the text")
    unknown = [key for key in value if key not in LANGUAGES]
    if unknown:
        raise ValueError(f"unknown language {unknown[0]!r} | fix: use "
                         f"{', '.join(LANGUAGES)}")
    for key, text in value.items():
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"the {key} text is empty or not text | fix: write it as text, "
                             "or remove the language")
    if DEFAULT_LANGUAGE not in value:
        raise ValueError("the English text ('en') is missing | fix: add en: with the text "
                         "in English, which the other languages translate")
    return Text(**value)
