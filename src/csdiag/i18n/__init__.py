"""csdiag in English, Chinese and Russian: the language in use, interface strings through
gettext, knowledge text in three languages, and numbers and dates per locale."""

from csdiag.i18n.catalogue import N_, gettext, ngettext, pgettext
from csdiag.i18n.formatting import date, fixed, money, number, percent, plural
from csdiag.i18n.languages import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    checked_language,
    current_language,
    language_from_environment,
    language_of,
    set_language,
    use_language,
)
from csdiag.i18n.text import TEXT_JSON_SCHEMA, Text, one_line, parse_text

_ = gettext

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "N_",
    "TEXT_JSON_SCHEMA",
    "Text",
    "_",
    "checked_language",
    "current_language",
    "date",
    "fixed",
    "gettext",
    "language_from_environment",
    "language_of",
    "money",
    "ngettext",
    "number",
    "one_line",
    "parse_text",
    "percent",
    "pgettext",
    "plural",
    "set_language",
    "use_language",
]
