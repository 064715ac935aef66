"""Shared helpers: run the real CLI in-process and copy the small test rule pack."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from csdiag.cli import cli
from csdiag.i18n import use_language

TESTS = Path(__file__).parent
REPO = TESTS.parent
MINI = TESTS / "packs" / "mini"


@pytest.fixture(autouse=True, scope="session")
def own_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The tests keep compiled catalogues and rule packs in a cache folder of their own,
    never in the user's ~/.cache; commands the tests start inherit it."""
    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if saved is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = saved


@pytest.fixture(autouse=True)
def english_unless_asked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts in English whatever the machine's locale, and a language one
    test chose (in-process, a context variable) does not leak into the next."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    with use_language("en"):
        yield


def run_cli(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def mini_rules(tmp_path: Path) -> Path:
    """A writable copy of the mini rule pack, to add broken rules to."""
    folder = tmp_path / "rules"
    shutil.copytree(MINI / "rules", folder)
    return folder


def assert_user_error(result: Result, where: str, *phrases: str) -> None:
    """Exit code 2, no traceback, and a message naming the place and the problem."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert where in result.stderr, result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr
