"""Interface strings through gettext, read from the `.po` catalogues kept in the package.

The `.po` files are the only copy: they are compiled in memory with Babel the first time
a language is used, so a plain `pip install .` works with no build step, and a
translator's edit takes effect on the next run.
"""

from __future__ import annotations

import gettext as _gettext
import os
from functools import cache
from io import BytesIO
from pathlib import Path

from csdiag.i18n.languages import DEFAULT_LANGUAGE, current_language

LOCALES = Path(__file__).parent / "locales"
DOMAIN = "csdiag"


def catalogue_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> _gettext.NullTranslations:
    """The compiled catalogue of one language (English is the source text itself)."""
    path = catalogue_path(language)
    if language == DEFAULT_LANGUAGE or not path.is_file():
        return _gettext.NullTranslations()
    return _gettext.GNUTranslations(BytesIO(_compiled(path, language)))


def _compiled(po: Path, language: str) -> bytes:
    """The .po compiled to .mo bytes; kept in the user's cache folder, named by the
    catalogue's size and time, as compiling costs more than the rest of a short run."""
    stat = po.stat()
    cached = cache_folder() / f"{DOMAIN}-{language}-{stat.st_size}-{stat.st_mtime_ns}.mo"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    try:  # a read-only home or a full disk only costs the next run the compiling
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(compiled.getvalue())
        os.replace(temporary, cached)
    except OSError:
        pass
    return compiled.getvalue()


def cache_folder() -> Path:
    """Where csdiag keeps what it can make again: $XDG_CACHE_HOME/csdiag, else
    ~/.cache/csdiag (the compiled catalogues, the rule packs)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "csdiag"


def gettext(message: str) -> str:
    """`message` in the language in use."""
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message for `count`, by the plural rules of the language in use
    (Russian has three forms, Chinese one)."""
    return translations(current_language()).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """`message` in the language in use, where the same English means different things."""
    return translations(current_language()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark a string for extraction where it is defined; translate it where it is used."""
    return message
