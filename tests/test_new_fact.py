"""A rule writer's new fact: 'csdiag facts new' declares it in the pack's vocabulary.yaml,
appended so the writer's own text stays, and never leaves a file that does not load; an
unknown fact in 'rules new' says where to declare it, and a broken vocabulary is named."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli

ARGS = ("--type", "boolean", "--meaning", "First-contact resolution is measured.",
        "--question", "Is first-contact resolution measured?")


def test_from_a_new_fact_to_a_rule_that_passes_its_tests(tmp_path: Path) -> None:
    folder = tmp_path / "my-rules"
    folder.mkdir()
    (folder / "vocabulary.yaml").write_text("# our own facts\nfacts:\n  measure.csat_tracked:\n"
                                            "    type: boolean\n    meaning: CSAT is measured.\n"
                                            "    question: Is CSAT measured?\n",
                                            encoding="utf-8")
    result = run_cli("facts", "new", "measure.fcr_tracked", "--folder", folder, *ARGS)
    assert result.exit_code == 0, result.output
    text = (folder / "vocabulary.yaml").read_text(encoding="utf-8")
    assert text.startswith("# our own facts\nfacts:\n  measure.csat_tracked:")  # kept as it was
    assert '  measure.fcr_tracked:\n    type: boolean\n' in text
    created = run_cli("rules", "new", "fcr-not-tracked", "--folder", folder, "--kind",
                      "diagnosis", "--title", "FCR is not tracked", "--fact",
                      "measure.fcr_tracked", "--op", "eq", "--value", "false")
    assert created.exit_code == 0, created.output
    assert "lint: 0 errors; tests: 3 passed, 0 failed" in created.stdout


def test_a_fact_that_would_not_load_is_not_written(tmp_path: Path) -> None:
    folder = tmp_path / "my-rules"
    first = run_cli("facts", "new", "measure.fcr_tracked", "--folder", folder, *ARGS)
    assert first.exit_code == 0
    before = (folder / "vocabulary.yaml").read_text(encoding="utf-8")
    again = run_cli("facts", "new", "measure.fcr_tracked", "--folder", folder, *ARGS)
    assert again.exit_code == 2 and "is already declared in" in again.stderr
    no_unit = run_cli("facts", "new", "wfm.abandon_pct", "--folder", folder, "--type",
                      "percentage", "--meaning", "Abandoned calls.", "--question", "How many?")
    assert no_unit.exit_code == 2
    assert "a percentage fact needs a 'unit'" in no_unit.stderr and "% of" in no_unit.stderr
    assert (folder / "vocabulary.yaml").read_text(encoding="utf-8") == before


def test_an_unknown_fact_in_rules_new_names_the_file_and_the_command(tmp_path: Path) -> None:
    folder = tmp_path / "my-rules"
    result = run_cli("rules", "new", "fcr-not-tracked", "--folder", folder, "--kind",
                     "diagnosis", "--title", "FCR", "--fact", "measure.fcr_tracked", "--op",
                     "eq", "--value", "false")
    assert result.exit_code == 2
    assert f"declare it in {folder / 'vocabulary.yaml'}" in result.stderr
    assert "csdiag facts new measure.fcr_tracked" in result.stderr


def test_a_broken_vocabulary_is_named_before_the_unknown_fact(tmp_path: Path) -> None:
    folder = tmp_path / "my-rules"
    folder.mkdir()
    (folder / "vocabulary.yaml").write_text(
        "facts:\n  measure.fcr_tracked:\n    type: bool\n    meaning: x\n    question: y\n",
        encoding="utf-8")
    result = run_cli("rules", "new", "fcr-not-tracked", "--folder", folder, "--kind",
                     "diagnosis", "--title", "FCR", "--fact", "measure.fcr_tracked", "--op",
                     "eq", "--value", "false")
    assert result.exit_code == 2
    assert result.stderr.index("vocabulary.yaml:3:11: error: 'type' cannot be 'bool'") < \
        result.stderr.index("unknown fact 'measure.fcr_tracked'")
    assert not (folder / "fcr-not-tracked.yaml").exists()
