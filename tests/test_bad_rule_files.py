"""Every mistake in a rule file gets a located message and exit 2, before durable_rules
(whose own errors are bare numeric codes) ever sees the rule."""

from __future__ import annotations

from pathlib import Path

from conftest import assert_user_error, run_cli

RULE = """id: {id}
kind: diagnosis
title: Test rule
description: A rule written for a test.
category: testing
severity: medium
certainty: 0.7
when:
{when}
remedies:
  - id: fix-it
    action: Fix it.
    why: Because.
sources:
  - citation: "Test (2026)"
"""


def add_rule(folder: Path, rule_id: str, when: str, name: str | None = None) -> Path:
    path = folder / f"{name or rule_id}.yaml"
    path.write_text(RULE.format(id=rule_id, when=when), encoding="utf-8")
    return path


def load(folder: Path):
    return run_cli("rules", "list", "--rules", folder, "--no-builtin-rules")


def test_unknown_operator_suggests_the_right_one(mini_rules: Path) -> None:
    path = add_rule(mini_rules, "bad-op", "  fact: staff.attrition_pct\n  greater: 40\n")
    assert_user_error(load(mini_rules), f"{path}:10:3", "unknown operator 'greater'",
                      "operators: eq, ne, gt")


def test_undeclared_fact_suggests_the_nearest(mini_rules: Path) -> None:
    path = add_rule(mini_rules, "bad-fact", "  fact: training.new_hire_day\n  lt: 5\n"
                    "  threshold: judgement\n")
    assert_user_error(load(mini_rules), f"{path}:9:9", "unknown fact 'training.new_hire_day'",
                      "did you mean 'training.new_hire_days'?")


def test_duplicate_rule_ids_name_both_files(mini_rules: Path) -> None:
    (mini_rules / "copies").mkdir()
    copy = add_rule(mini_rules / "copies", "untrained", "  finding: high-turnover\n")
    # Files load in path order, so the copy comes first and the original is the duplicate.
    assert_user_error(load(mini_rules), f"{mini_rules / 'untrained.yaml'}:1:5",
                      "duplicate rule id 'untrained'", f"also defined in {copy}")


def test_finding_used_but_never_concluded(mini_rules: Path) -> None:
    path = add_rule(mini_rules, "orphan", "  finding: high-turnvoer\n")
    assert_user_error(load(mini_rules), f"{path}:9:12",
                      "finding 'high-turnvoer' is used here but no rule concludes it",
                      "did you mean 'high-turnover'?")


def test_findings_that_loop(mini_rules: Path) -> None:
    add_rule(mini_rules, "loop-a", "  finding: loop-b\n")
    add_rule(mini_rules, "loop-b", "  finding: loop-a\n")
    assert_user_error(load(mini_rules), "loop-a.yaml:9:3",
                      "findings form a loop: loop-a -> loop-b -> loop-a")


def test_rule_resting_only_on_unknown_facts(mini_rules: Path) -> None:
    path = add_rule(mini_rules, "ignorance", "  all:\n    - fact: staff.attrition_pct\n"
                    "      known: false\n    - fact: hiring.attitude_screen\n      known: false\n")
    assert_user_error(load(mini_rules), f"{path}:9:3", "can fire on unknown facts alone")


def test_threshold_not_marked_published_or_judgement(mini_rules: Path) -> None:
    path = add_rule(mini_rules, "unmarked", "  fact: staff.attrition_pct\n  gt: 40\n")
    assert_user_error(load(mini_rules), f"{path}:9:3", "is not marked as published or judgement",
                      "threshold: judgement")


def test_comparison_value_of_the_wrong_type(mini_rules: Path) -> None:
    path = add_rule(mini_rules, "wrong-type", "  fact: hiring.attitude_screen\n  eq: 0\n")
    assert_user_error(load(mini_rules), f"{path}:10:7",
                      "0 is not a valid value for hiring.attitude_screen (boolean)")


def test_operator_that_does_not_fit_the_fact(mini_rules: Path) -> None:
    path = add_rule(mini_rules, "enum-gt", "  fact: ops.staffing_basis\n  gt: budget_cap\n"
                    "  threshold: judgement\n")
    assert_user_error(load(mini_rules), f"{path}:10:3", "operator 'gt' does not apply to "
                      "ops.staffing_basis, a enum fact")


def test_unknown_condition_word(mini_rules: Path) -> None:
    path = add_rule(mini_rules, "bad-word", "  every:\n    - finding: high-turnover\n")
    assert_user_error(load(mini_rules), f"{path}:9:3", "unknown condition 'every'")


def test_missing_remedies_and_bad_certainty(mini_rules: Path) -> None:
    path = mini_rules / "thin.yaml"
    path.write_text("id: thin\nkind: diagnosis\ntitle: T\ndescription: D\nseverity: high\n"
                    "certainty: 1.5\nwhen:\n  finding: high-turnover\nsources:\n"
                    "  - citation: X\n", encoding="utf-8")
    result = load(mini_rules)
    assert_user_error(result, f"{path}:6:12", "'certainty' is 1.5")


def test_id_must_match_file_name(mini_rules: Path) -> None:
    path = add_rule(mini_rules, "one-name", "  finding: high-turnover\n", name="other-name")
    assert_user_error(load(mini_rules), f"{path}:1:5", "does not match the file name")


def test_every_problem_in_a_pack_is_reported_in_one_run(mini_rules: Path) -> None:
    add_rule(mini_rules, "bad-op", "  fact: staff.attrition_pct\n  greater: 40\n")
    add_rule(mini_rules, "bad-fact", "  fact: nope.nothing\n  eq: 1\n")
    result = load(mini_rules)
    assert_user_error(result, "bad-op.yaml:10:3", "bad-fact.yaml:9:9", "2 problems")
