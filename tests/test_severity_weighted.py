"""Severity-weighted certainty is one figure: the portfolio ranks cases by it, `plan` says
how much of it each remedy removes, `compare` follows it from one assessment to the
next, and each of them prints the same number for the same case. It counts every cause
the report lists with a certainty (diagnoses and weak signals, partial ones included),
so it can be added up from the report and does not move with --threshold."""

from __future__ import annotations

import json
import re

from conftest import REPO, run_cli

MAPLE = REPO / "cases" / "maple-stores.yaml"  # diagnoses, a weak signal and partial ones
PARKSIDE = REPO / "cases" / "parkside-dental.yaml"  # no diagnosis; weak signals only
WEIGHT = {"low": 1, "medium": 2, "high": 3, "critical": 4}


def _added_up(case: dict) -> float:
    """The figure as a reader adds it up from the JSON report."""
    listed = [*case["diagnoses"], *case["weak_signals"],
              *(u for u in case["undetermined"] if u["certainty"] > 0)]
    return round(sum(WEIGHT[c["severity"]] * c["certainty"] for c in listed), 4)


def _report(*args: object) -> dict:
    result = run_cli("diagnose", *args, "--format", "json", "--no-explanations")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _ranked_score(text: str, case_id: str) -> str:
    ranking = text[text.index("Cases by severity-weighted certainty"):]
    return re.search(rf"\d+\. {case_id} \([^)]*\): (\d+\.\d\d)\n", ranking).group(1)


def test_portfolio_plan_and_compare_print_one_figure_for_a_case() -> None:
    report = _report(MAPLE, PARKSIDE)
    maple = next(c for c in report["cases"] if c["case"]["id"] == "maple-stores")
    assert maple["weak_signals"] and maple["diagnoses"]  # both kinds are counted
    expected = _added_up(maple)
    ranking = {r["case"]: r["score"] for r in report["portfolio"]["ranking"]}
    assert ranking["maple-stores"] == expected
    text = run_cli("diagnose", MAPLE, PARKSIDE).stdout
    assert _ranked_score(text, "maple-stores") == f"{expected:.2f}"

    plan = run_cli("plan", MAPLE)
    assert f"severity-weighted certainty {expected:.2f} " in " ".join(plan.stdout.split())
    assert json.loads(run_cli("plan", MAPLE, "--format", "json").stdout)["burden"] == expected

    compared = json.loads(run_cli("compare", MAPLE, MAPLE, "--format", "json").stdout)
    assert compared["old"]["burden"] == compared["new"]["burden"] == expected
    words = " ".join(run_cli("compare", MAPLE, MAPLE).stdout.split())
    assert f"weak signals: {expected:.2f} → {expected:.2f}." in words


def test_a_case_with_weak_signals_only_is_not_scored_as_sound() -> None:
    report = _report(MAPLE, PARKSIDE)
    parkside = next(r for r in report["portfolio"]["ranking"] if r["case"] == "parkside-dental")
    assert parkside["top_diagnosis"] is None and parkside["score"] > 0


def test_the_figure_does_not_move_with_the_threshold() -> None:
    default = _report(MAPLE, PARKSIDE)["portfolio"]["ranking"]
    stricter = _report(MAPLE, PARKSIDE, "--threshold", "0.75")["portfolio"]["ranking"]
    assert [r["diagnoses"] for r in stricter] != [r["diagnoses"] for r in default]
    assert {r["case"]: r["score"] for r in stricter} == \
        {r["case"]: r["score"] for r in default}
