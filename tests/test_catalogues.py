"""The interface in Chinese and Russian: the catalogues hold every string the code marks
for translation, each translated, with the same placeholders and every plural form."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from csdiag.i18n import LANGUAGES, gettext, ngettext, use_language
from csdiag.i18n.catalogue import LOCALES, catalogue_path

ROOT = Path(__file__).parent.parent
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def _catalogue(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _ids(catalog: Catalog) -> set[object]:
    return {message.id for message in catalog if message.id}


def test_the_template_holds_every_marked_string(tmp_path: Path) -> None:
    fresh = tmp_path / "csdiag.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract",
                    "--no-location", "--sort-output", "-o", str(fresh),
                    str(ROOT / "src" / "csdiag")], check=True)
    kept = _ids(_catalogue(LOCALES / "csdiag.pot"))
    extracted = _ids(_catalogue(fresh))
    assert extracted == kept, (
        "src/csdiag/i18n/locales/csdiag.pot is out of date: run the commands in "
        "docs/translating.md", sorted(map(str, extracted ^ kept))[:10])


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_is_translated_with_its_placeholders(language: str) -> None:
    template = _ids(_catalogue(LOCALES / "csdiag.pot"))
    catalog = _catalogue(catalogue_path(language), language)
    assert _ids(catalog) == template, f"{language}: run 'pybabel update' (docs/translating.md)"
    forms = catalog.num_plurals
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings) or (isinstance(message.id, tuple)
                                                 and len(strings) != forms):
            wrong.append(f"untranslated or fuzzy: {ids[0]!r}")
            continue
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            found = set(PLACEHOLDER.findall(string))
            # A plural form may leave out what its count makes plain ('an argument').
            if found != wanted and not (isinstance(message.id, tuple) and found <= wanted):
                wrong.append(f"placeholders differ: {ids[0]!r} -> {string!r}")
    assert not wrong, "\n".join(wrong[:20])


def test_russian_takes_three_plural_forms_and_chinese_one() -> None:
    message = ("{count} fact known", "{count} facts known")
    with use_language("ru"):
        forms = {ngettext(*message, n).format(count=n) for n in (1, 3, 5)}
    assert len(forms) == 3, forms
    with use_language("zh"):
        assert ngettext(*message, 1).replace("1", "N") == ngettext(*message, 5).replace("5", "N")
    with use_language("en"):
        assert ngettext(*message, 1) == "{count} fact known"
        assert gettext("Evidence:") == "Evidence:"


def test_a_compiled_catalogue_is_kept_and_a_cache_that_cannot_be_written_is_no_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from csdiag.i18n.catalogue import translations

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    translations.cache_clear()
    with use_language("ru"):
        assert gettext("Evidence:") != "Evidence:"
    assert list((tmp_path / "csdiag").glob("csdiag-ru-*.mo"))
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    translations.cache_clear()
    with use_language("zh"):
        assert gettext("Evidence:") != "Evidence:"
    translations.cache_clear()
