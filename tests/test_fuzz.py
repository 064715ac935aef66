"""Property-based tests: generated case files, rule files and command-line settings,
valid, at the edges and malformed, never crash csdiag, hang it or show a traceback.
The generators are bench/fuzz.py's; its longer run's figures are in the README."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))

from fuzz import SPECIALS, fuzz_case, fuzz_rule, fuzz_settings, run_cli

PROPERTY = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def _holds(fuzzer, rng: random.Random, folder: Path) -> None:
    verdict, output, _ = fuzzer(rng, folder)
    assert verdict == "ok", output[-3000:]


@PROPERTY
@given(strategies.randoms(use_true_random=False))
def test_any_case_file_is_diagnosed_or_refused_with_a_message(tmp_path_factory, rng) -> None:
    _holds(fuzz_case, rng, tmp_path_factory.mktemp("case"))


@PROPERTY
@given(strategies.randoms(use_true_random=False))
def test_any_rule_file_is_linted_tested_and_used_or_refused(tmp_path_factory, rng) -> None:
    _holds(fuzz_rule, rng, tmp_path_factory.mktemp("rule"))


@PROPERTY
@given(strategies.randoms(use_true_random=False))
def test_any_command_line_setting_is_used_or_refused(tmp_path_factory, rng) -> None:
    _holds(fuzz_settings, rng, tmp_path_factory.mktemp("settings"))


@pytest.mark.parametrize("text", SPECIALS)
def test_each_special_case_file_is_refused_with_a_message(tmp_path, text) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    verdict, output = run_cli(["diagnose", str(path)])
    assert verdict == "ok", output[-3000:]
