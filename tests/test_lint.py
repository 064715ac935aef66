"""`csdiag rules lint`: every check, with its exact message and location, in one run."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MINI, TESTS, run_cli

# One line per problem in tests/packs/broken (a rule per check), as lint prints them,
# then the summary line.
EXPECTED = (TESTS / "packs" / "broken.expected").read_text(encoding="utf-8").splitlines()


@pytest.fixture
def in_packs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(TESTS / "packs")


def test_every_check_fires_with_its_message_and_location(in_packs: None) -> None:
    result = run_cli("rules", "lint", "broken", "--no-builtin-rules")
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if not line.startswith("    fix:")]
    assert lines == EXPECTED
    assert lines[-1] == "16 errors, 33 warnings (3 silenced) in 21 rules"


def test_each_problem_comes_with_a_fix(in_packs: None) -> None:
    lines = run_cli("rules", "lint", "broken", "--no-builtin-rules").stdout.splitlines()[:-1]
    assert len(lines) == 2 * (len(EXPECTED) - 1)
    assert all(line.startswith("    fix: ") for line in lines[1::2])


def test_a_clean_pack_passes(tmp_path: Path) -> None:
    result = run_cli("rules", "lint", MINI / "rules", "--no-builtin-rules")
    assert result.exit_code == 0
    assert result.stdout == "0 errors, 0 warnings (0 silenced) in 4 rules\n"


def test_strict_fails_on_warnings(tmp_path: Path, mini_rules: Path) -> None:
    (mini_rules / "spare.yaml").write_text(
        "id: spare\nkind: finding\ntitle: Spare\ndescription: Not used.\ncertainty: 0.5\n"
        "when:\n  fact: hiring.attitude_screen\n  eq: true\nsources:\n  - citation: X\n",
        encoding="utf-8")
    assert run_cli("rules", "lint", mini_rules, "--no-builtin-rules").exit_code == 0
    strict = run_cli("rules", "lint", mini_rules, "--no-builtin-rules", "--strict")
    assert strict.exit_code == 1
    assert "spare.yaml:1:5: warning[unused-finding]" in strict.stdout


def test_silencing_a_warning_needs_a_reason(mini_rules: Path) -> None:
    (mini_rules / "spare.yaml").write_text(
        "id: spare\nkind: finding\ntitle: Spare\ndescription: Not used.\ncertainty: 0.5\n"
        "when:\n  fact: hiring.attitude_screen\n  eq: true\nsources:\n  - citation: X\n"
        "ignore:\n  - check: unused-finding\n", encoding="utf-8")
    result = run_cli("rules", "lint", mini_rules, "--no-builtin-rules")
    assert result.exit_code == 1
    assert "spare.yaml:12:5: error: missing required key 'reason'" in result.stdout


def test_the_scaffolds_todos_are_flagged_until_written(tmp_path: Path) -> None:
    folder = tmp_path / "my-rules"
    created = run_cli("rules", "new", "chronic-under-capacity", "--folder", folder, "--kind",
                      "diagnosis", "--title", "Chronic under-capacity", "--fact",
                      "ops.occupancy_pct", "--op", "gt", "--value", "85")
    assert created.exit_code == 0, created.output
    assert "placeholder-text" not in created.stdout  # the closing hint says it already
    lint = run_cli("rules", "lint", folder, "--strict")
    assert lint.exit_code == 1
    assert "chronic-under-capacity.yaml:7:14: warning[placeholder-text]: 'description' " \
        "still holds the scaffold's TODO text" in lint.stdout
    assert lint.stdout.count("warning[placeholder-text]") == 5
    rule = folder / "chronic-under-capacity.yaml"
    rule.write_text(rule.read_text(encoding="utf-8").replace("TODO", "Done"), encoding="utf-8")
    assert run_cli("rules", "lint", folder, "--strict").exit_code == 0


def test_one_slip_is_one_problem_with_a_did_you_mean(mini_rules: Path) -> None:
    """'judgment' for 'judgement': said once, where it is, with the word meant, and not
    again as 'no rule concludes untrained' in each rule that uses the finding."""
    rule = mini_rules / "untrained.yaml"
    rule.write_text(rule.read_text(encoding="utf-8").replace("threshold: judgement",
                                                             "threshold: judgment"),
                    encoding="utf-8")
    result = run_cli("rules", "lint", mini_rules, "--no-builtin-rules")
    assert result.exit_code == 1
    assert "untrained.yaml:13:18: error: 'judgment' is not a kind of threshold" in result.stdout
    assert "did you mean 'judgement'?" in result.stdout
    assert "no rule concludes it" not in result.stdout
    assert result.stdout.endswith("1 error, 0 warnings (0 silenced) in 4 rules\n")
