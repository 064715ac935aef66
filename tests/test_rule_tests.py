"""`csdiag rules test`: fixtures run through the real engine, with condition coverage."""

from __future__ import annotations

from pathlib import Path

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
