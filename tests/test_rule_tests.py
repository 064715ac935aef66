"""`csdiag rules test`: fixtures run through the real engine, with condition coverage."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MINI, run_cli


def test_the_mini_pack_passes_with_full_coverage() -> None:
    result = run_cli("rules", "test", MINI / "rules", "--no-builtin-rules", "--coverage",
                     "--min-coverage", "100")
    assert result.exit_code == 0, result.output
    assert "total condition coverage: 8/8 (100.0%)" in result.stdout
    assert result.stdout.rstrip().endswith("13 passed, 0 failed")


def test_a_failing_fixture_names_rule_fixture_and_difference(mini_rules: Path) -> None:
    path = mini_rules / "untrained.test.yaml"
    path.write_text(path.read_text(encoding="utf-8")
                    .replace("certainty: 0.72", "certainty: 0.9")
                    .replace("facts: {training.new_hire_days: 2}\n    expect: undetermined",
                             "facts: {training.new_hire_days: 2}\n    expect: fires"),
                    encoding="utf-8")
    result = run_cli("rules", "test", mini_rules, "--no-builtin-rules")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"FAIL {path}:7 untrained / two days of training, screened, but high turnover: "
        "expected certainty 0.9 ± 0.01, got 0.72",
        f"FAIL {path}:17 untrained / short training, nothing else known: expected fires, got "
        "undetermined (unknown: hiring.attitude_screen, staff.attrition_pct)",
        "11 passed, 2 failed"]


def test_coverage_names_conditions_never_made_true_or_false(mini_rules: Path) -> None:
    (mini_rules / "cost-staffing.test.yaml").unlink()
    result = run_cli("rules", "test", mini_rules, "--no-builtin-rules", "--min-coverage", "100")
    assert result.exit_code == 1
    out = result.stdout
    # Its finding condition is still seen both ways, by the other rules' fixtures.
    assert "  cost-staffing                              1/2 conditions (50%)" in out
    assert (f"{mini_rules / 'cost-staffing.yaml'}:11:11 ops.staffing_basis in "
            "[budget_cap, cost_per_contact]: never true and false") in out
    assert "rules with no fixtures: cost-staffing" in out
    assert "total condition coverage: 7/8 (87.5%)" in out
    assert out.rstrip().endswith("10 passed, 0 failed")


def test_a_bad_fixture_file_is_a_located_user_error(mini_rules: Path) -> None:
    path = mini_rules / "untrained.test.yaml"
    path.write_text("rule: untrained\nfixtures:\n  - name: typo\n    facts: "
                    "{training.new_hire_dayz: 2}\n    expect: fires\n", encoding="utf-8")
    result = run_cli("rules", "test", mini_rules, "--no-builtin-rules")
    assert result.exit_code == 2
    assert f"{path}:4:13: error: unknown fact 'training.new_hire_dayz'" in result.stderr


def test_a_fixture_for_a_rule_that_does_not_exist(mini_rules: Path) -> None:
    (mini_rules / "ghost.test.yaml").write_text(
        "rule: untraned\nfixtures:\n  - name: x\n    expect: fires\n", encoding="utf-8")
    result = run_cli("rules", "test", mini_rules, "--no-builtin-rules")
    assert result.exit_code == 2
    assert "no rule 'untraned' to test" in result.stderr and "did you mean 'untrained'" \
        in result.stderr


def test_rules_new_scaffolds_a_valid_rule_and_never_overwrites(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    args = ("rules", "new", "short-induction", "--folder", folder, "--kind", "diagnosis",
            "--title", 'Induction "too" short', "--fact", "training.new_hire_days", "--op",
            "lt", "--value", "5", "--no-builtin-rules")
    folder.mkdir()
    (folder / "vocabulary.yaml").write_text(
        (MINI / "rules" / "vocabulary.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    created = run_cli(*args)
    assert created.exit_code == 0, created.output
    assert "lint: 0 errors; tests: 3 passed, 0 failed" in created.stdout
    # The rule, its fixtures and nothing else: no JSON Schemas dropped among the rules.
    assert sorted(p.name for p in folder.iterdir()) == [
        "short-induction.test.yaml", "short-induction.yaml", "vocabulary.yaml"]
    assert 'title: "Induction \\"too\\" short"' in (folder / "short-induction.yaml").read_text(
        encoding="utf-8")
    before = (folder / "short-induction.yaml").read_text(encoding="utf-8")
    again = run_cli(*args)
    assert again.exit_code == 2
    assert "short-induction.yaml: error: this file already exists" in again.stderr
    assert (folder / "short-induction.yaml").read_text(encoding="utf-8") == before


def test_rules_new_checks_the_fact_and_operator(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "vocabulary.yaml").write_text(
        (MINI / "rules" / "vocabulary.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("rules", "new", "x-rule", "--folder", folder, "--kind", "finding",
                     "--title", "X", "--fact", "ops.staffing_basis", "--op", "gt", "--value",
                     "budget_cap", "--no-builtin-rules")
    assert result.exit_code == 2
    assert "operator 'gt' does not apply to a enum fact" in result.stderr
    assert not (folder / "x-rule.yaml").exists()


GRADED_VOCABULARY = """facts:
  wfm.occupancy_pct:
    type: percentage
    unit: "% of logged-in time"
    meaning: Agent occupancy.
    question: What was agent occupancy?
"""
GRADED_RULE = """id: busy
kind: diagnosis
title: Agents are too busy
description: Agents are busy nearly all the time.
severity: medium
certainty: 0.8
when:
  fact: wfm.occupancy_pct
  {condition}
  threshold: judgement
symptoms:
  - text: Agents are busy.
    shown_by: [wfm.occupancy_pct]
remedies:
  - id: hire
    action: Hire.
    why: Because.
    effort: medium
    horizon: months
    owner: operations
sources:
  - citation: X
"""


@pytest.mark.parametrize(("condition", "true_at", "false_at"), [
    ("rises: {from: 85, to: 95}", [95, 96, 100], [80]),      # full weight from 95
    ("rises: {from: 85, to: 95}", [90], ["{at_most: 85}"]),   # a band; a bound
    ("falls: {from: 30, to: 10}", [10, 5], [40]),
    ("gt: 90\n  band: [85, 95]", [96], [80]),
    ("gt: 90\n  band: [85, 95]", ["{at_least: 96}"], ["{at_most: 84}"]),
])
def test_coverage_counts_every_condition_kind_as_the_fixtures_make_it(
        tmp_path: Path, condition: str, true_at: list, false_at: list) -> None:
    (tmp_path / "vocabulary.yaml").write_text(GRADED_VOCABULARY, encoding="utf-8")
    (tmp_path / "busy.yaml").write_text(GRADED_RULE.format(condition=condition),
                                        encoding="utf-8")
    fixtures = [f"  - name: 'true at {v}'\n    facts: {{wfm.occupancy_pct: {v}}}\n"
                "    expect: fires\n" for v in true_at]
    fixtures += [f"  - name: 'false at {v}'\n    facts: {{wfm.occupancy_pct: {v}}}\n"
                 "    expect: ruled-out\n" for v in false_at]
    (tmp_path / "busy.test.yaml").write_text("rule: busy\nfixtures:\n" + "".join(fixtures),
                                             encoding="utf-8")
    result = run_cli("rules", "test", tmp_path, "--no-builtin-rules", "--min-coverage", "100")
    assert result.exit_code == 0, result.output
    assert "total condition coverage: 1/1 (100.0%)" in result.stdout
    # Without its false fixtures the same condition is reported never false, and fails.
    (tmp_path / "busy.test.yaml").write_text("rule: busy\nfixtures:\n"
                                             + "".join(fixtures[:len(true_at)]),
                                             encoding="utf-8")
    result = run_cli("rules", "test", tmp_path, "--no-builtin-rules", "--min-coverage", "100")
    assert result.exit_code == 1 and ": never false" in result.stdout, result.stdout


def test_rules_test_on_a_folder_of_case_files_says_so_once() -> None:
    result = run_cli("rules", "test", MINI / "cases")
    assert result.exit_code == 2
    assert f"{MINI / 'cases'}: error: this folder holds case files, not rules" in result.stderr
    assert result.stderr.count("error:") == 1
