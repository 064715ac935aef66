"""Every mistake a user can make in a case file gets one clear, located message and exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MINI, assert_user_error, run_cli

HEADER = "case: broken\norganisation: Broken Ltd\ndate: 2026-11-01\nassessor: Test\n"


def diagnose(path: Path):
    return run_cli("diagnose", path, "--rules", MINI / "rules", "--no-builtin-rules")


def write(tmp_path: Path, text: str | bytes, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_malformed_yaml_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "facts:\n  staff.attrition_pct: [68\n")
    assert_user_error(diagnose(path), f"{path}:7:1", "invalid YAML", "indentation")


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "facts:\n  staff.attrition_pct: 68\n"
                 "  staff.attrition_pct: 40\n")
    assert_user_error(diagnose(path), f"{path}:7:3", "duplicate key 'staff.attrition_pct'",
                      "first given on line 6")


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "# nothing yet\n\n")
    assert_user_error(diagnose(path), str(path), "the file is empty")


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, (HEADER + "facts:\n  ops.staffing_basis: caf\xe9\n").encode("latin-1"))
    assert_user_error(diagnose(path), f"{path}:6:26", "not UTF-8", "byte 0xe9", "UTF-8")


def test_missing_path(tmp_path: Path) -> None:
    assert_user_error(diagnose(tmp_path / "nowhere.yaml"), "nowhere.yaml",
                      "no such file or folder")


def test_unknown_fact_suggests_the_nearest_declared_name(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "facts:\n  staff.atrition_pct: 68\n")
    assert_user_error(diagnose(path), f"{path}:6:3", "unknown fact 'staff.atrition_pct'",
                      "did you mean 'staff.attrition_pct'?")


def test_value_of_the_wrong_type(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "facts:\n  hiring.attitude_screen: \"no\"\n")
    assert_user_error(diagnose(path), f"{path}:6:27", "'no' is not a valid value for "
                      "hiring.attitude_screen (boolean)", "true or false")


def test_value_out_of_range(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "facts:\n  staff.attrition_pct:\n    value: 120\n"
                 "    source: data\n")
    assert_user_error(diagnose(path), f"{path}:7:12", "120 is not a valid value",
                      "a number from 0 to 100")


def test_enum_value_not_allowed(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "facts:\n  ops.staffing_basis: gut_feel\n")
    assert_user_error(diagnose(path), f"{path}:6:23", "'gut_feel' is not a valid value",
                      "one of: demand_forecast, budget_cap, cost_per_contact")


def test_missing_required_key(tmp_path: Path) -> None:
    path = write(tmp_path, "case: broken\norganisation: Broken Ltd\ndate: 2026-11-01\nfacts: {}\n")
    assert_user_error(diagnose(path), f"{path}:1:1", "missing required key 'assessor'")


def test_unknown_key_in_case(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "organization: typo\nfacts: {}\n")
    assert_user_error(diagnose(path), f"{path}:5:1", "unknown key 'organization'",
                      "did you mean 'organisation'?")


def test_unknown_evidence_source(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "facts:\n  staff.attrition_pct:\n    value: 50\n"
                 "    source: rumour\n")
    assert_user_error(diagnose(path), f"{path}:8:13", "'source' cannot be 'rumour'",
                      "interview")


def test_executable_yaml_tag_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "facts: !!python/object/apply:os.system [\"echo hi\"]\n")
    assert_user_error(diagnose(path), f"{path}:5:8", "not allowed")


def test_every_bad_file_is_reported_and_nothing_is_diagnosed(tmp_path: Path) -> None:
    write(tmp_path, HEADER + "facts:\n  staff.atrition_pct: 68\n", "a.yaml")
    write(tmp_path, HEADER + "facts:\n  ops.staffing_basis: gut_feel\n", "b.yaml")
    result = diagnose(tmp_path)
    assert_user_error(result, "a.yaml:6:3", "b.yaml:6:23", "2 problems; nothing was run or written")
    assert result.stdout == ""


def test_a_bad_case_file_given_to_the_interview_as_input_and_output_is_left_untouched(
        tmp_path: Path) -> None:
    # The one command that writes case files: the bad file must be neither replaced by an
    # empty case nor truncated before its problem is reported.
    text = HEADER + "facts:\n  staff.atrition_pct: 68\n"
    path = write(tmp_path, text)
    result = run_cli("interview", path, "-o", path, "--force", "--rules", MINI / "rules",
                     "--no-builtin-rules")
    assert_user_error(result, f"{path}:6:3", "unknown fact 'staff.atrition_pct'")
    assert path.read_text(encoding="utf-8") == text
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


@pytest.mark.parametrize(("date", "message", "fix"), [
    ("2026-13-45", "'2026-13-45' is not a real date: month must be in 1..12",
     "write a date as YYYY-MM-DD"),
    ("12/10/2026", "'12/10/2026' is not a date in the form YYYY-MM-DD", "year-month-day"),
    ("'2026-1-5'", "'2026-1-5' is not a date in the form YYYY-MM-DD", "year-month-day"),
])
def test_a_date_is_year_month_day_or_a_located_error(tmp_path: Path, date: str, message: str,
                                                     fix: str) -> None:
    path = write(tmp_path, HEADER.replace("2026-11-01", date) + "facts: {}\n")
    assert_user_error(diagnose(path), f"{path}:3:7", message, fix)


def test_a_quoted_no_for_a_yes_no_fact_says_to_drop_the_quotes(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + 'facts:\n  hiring.attitude_screen: "no"\n')
    assert_user_error(diagnose(path), f"{path}:6:27",
                      "'no' is not a valid value for hiring.attitude_screen",
                      "write false without quotes")
