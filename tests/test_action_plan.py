"""Remedies for an action plan: every report says how much each takes, when it shows and
who carries it out, in the reader's language; a rule that leaves them out is warned of."""

from __future__ import annotations

import json

import pytest

from conftest import MINI, run_cli

PACK = ["--rules", str(MINI / "rules"), "--no-builtin-rules"]
CASE = MINI / "cases" / "all-known.yaml"
PLAN = "low effort · shows within weeks · owner: learning and development"


@pytest.mark.parametrize("output_format", ["text", "markdown", "html"])
def test_each_report_gives_effort_horizon_and_owner(output_format: str) -> None:
    result = run_cli("diagnose", CASE, *PACK, "--format", output_format)
    assert result.exit_code == 0, result.output
    assert " ".join(result.stdout.split()).count(PLAN) >= 2  # with its diagnosis, and ranked


def test_json_gives_them_as_codes() -> None:
    report = json.loads(run_cli("diagnose", CASE, *PACK, "--format", "json").stdout)
    (case,) = report["cases"]
    ranked = {r["id"]: r for r in case["remedies"]}
    assert {k: ranked["induction"][k] for k in ("effort", "horizon", "owner")} == {
        "effort": "low", "horizon": "weeks", "owner": "training"}


def test_the_plan_command_gives_them_too() -> None:
    result = run_cli("plan", CASE, *PACK)
    assert PLAN in " ".join(result.stdout.split())


def test_they_are_said_in_the_readers_language() -> None:
    result = run_cli("diagnose", CASE, *PACK, "--lang", "ru")
    assert "малые затраты · результат через несколько недель · исполнитель: " \
           "обучение и развитие персонала" in " ".join(result.stdout.split())


def test_a_remedy_without_them_is_a_warning_with_its_place(mini_rules) -> None:
    rule = mini_rules / "untrained.yaml"
    rule.write_text(rule.read_text(encoding="utf-8").replace("    owner: training\n",
                                                             ""), encoding="utf-8")
    result = run_cli("rules", "lint", mini_rules, "--no-builtin-rules")
    assert "untrained.yaml:24:9: warning[remedy-without-plan]: remedy " \
           "'induction' has no owner" in result.stdout
    assert run_cli("rules", "lint", mini_rules, "--no-builtin-rules",
                   "--strict").exit_code == 1


def test_an_owner_the_schema_does_not_know_is_an_error_with_its_place(mini_rules) -> None:
    rule = mini_rules / "untrained.yaml"
    rule.write_text(rule.read_text(encoding="utf-8").replace(
        "owner: training", "owner: ceo"), encoding="utf-8")
    result = run_cli("rules", "lint", mini_rules, "--no-builtin-rules")
    assert result.exit_code == 1
    assert "untrained.yaml:29:12: error: 'owner' cannot be 'ceo'" in result.stdout, result.stdout
