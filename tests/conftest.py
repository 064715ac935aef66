"""Shared helpers: run the real CLI in-process and copy the small test rule pack."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from csdiag.cli import cli

TESTS = Path(__file__).parent
REPO = TESTS.parent
MINI = TESTS / "packs" / "mini"


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
