"""`csdiag merge RESPONDENT... -o CASE`: several respondents' answers for one
organisation in one case file, by the rules docs/merging.md states."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from csdiag import Case, KnownFact, MergeReport, Workspace
from csdiag.features.merge import MergeRule, agreement_confidence

from conftest import REPO, assert_user_error, run_cli

LARKFIELD = sorted((REPO / "examples" / "respondents").glob("larkfield-*.yaml"))


def respondent(folder: Path, name: str, facts: dict[str, Any], **fields: Any) -> Path:
    """A respondent's case file for Acme with these facts."""
    document = {"case": "acme", "organisation": "Acme Ltd", "date": "2026-11-02",
                "assessor": "B. Consultant", **fields, "facts": facts}
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


def merged(tmp_path: Path, *paths: Path, extra: tuple[str, ...] = ()) -> tuple[dict[str, Any],
                                                                             str]:
    """Merge the files with the CLI: the merged file as YAML, and what stderr said."""
    output = tmp_path / "merged.yaml"
    result = run_cli("merge", *paths, "-o", output, *extra)
    assert result.exit_code == 0, result.output
    return yaml.safe_load(output.read_text(encoding="utf-8")), result.stderr


def yes(value: bool, source: str = "interview", **more: Any) -> dict[str, Any]:
    return {"value": value, "source": source, **more}


MENTOR = "training.new_hire_mentor"


def test_the_majority_answer_is_taken_and_every_answer_kept_in_the_note(tmp_path) -> None:
    a = respondent(tmp_path, "a", {MENTOR: yes(True)})
    b = respondent(tmp_path, "b", {MENTOR: yes(True, "survey")})
    c = respondent(tmp_path, "c", {MENTOR: yes(False, note="buddies exist on paper only")})
    case, stderr = merged(tmp_path, a, b, c)
    fact = case["facts"][MENTOR]
    assert fact["value"] is True
    assert fact["note"] == ("3 respondents: yes (a.yaml, interview), yes (b.yaml, survey), "
                            "no (c.yaml, interview: “buddies exist on paper only”); the "
                            "majority: yes (2 of 3)")
    assert "source" not in fact  # interview and survey: the note names each
    assert f"- {MENTOR}: the majority: yes (2 of 3)" in stderr


def test_disagreement_lowers_confidence_below_every_answer(tmp_path) -> None:
    answers = [respondent(tmp_path, name, {MENTOR: yes(value, confidence=0.9)})
               for name, value in (("a", True), ("b", True), ("c", False))]
    case, _ = merged(tmp_path, *answers)
    assert case["facts"][MENTOR]["confidence"] == pytest.approx(0.63)  # 2/3 x (0.9 + 0.05)
    assert case["facts"][MENTOR]["confidence"] < 0.9
    unanimous, _ = merged(tmp_path, *answers[:2], extra=("--force",))
    assert unanimous["facts"][MENTOR]["confidence"] == 0.95  # two agreeing corroborate
    assert unanimous["facts"][MENTOR]["note"].startswith("2 respondents: yes (a.yaml")


def test_agreeing_guesses_stay_guesses() -> None:
    assert agreement_confidence([0.4, 0.4], 2) == 0.45
    assert agreement_confidence([0.5] * 10, 10) == 0.5  # never above the estimate line
    assert agreement_confidence([0.9] * 10, 10) is None  # corroborated to certain: 1.0
    assert agreement_confidence([0.8] * 10, 10) == 0.95  # at most 0.15 more
    assert agreement_confidence([None, None], 4) == 0.5  # half agree: an estimate


def test_numbers_that_spread_become_their_whole_range_with_the_median_noted(tmp_path) -> None:
    days = "training.new_hire_days"
    files = [respondent(tmp_path, name, {days: value, "ops.attrition_annual_pct": 40})
             for name, value in (("a", 5), ("b", 8), ("c", 5))]
    case, stderr = merged(tmp_path, *files)
    assert case["facts"][days] == {
        "at_least": 5, "at_most": 8,  # from the lowest answer to the highest
        "note": "3 respondents: 5 (a.yaml), 8 (b.yaml), 5 (c.yaml); median 5; the range "
                "of the answers: between 5 and 8"}
    assert case["facts"]["ops.attrition_annual_pct"]["value"] == 40  # the same from all
    assert "median 5; the range of the answers: between 5 and 8" in stderr


def test_a_bound_counts_from_the_bound_and_a_confidence_is_averaged(tmp_path) -> None:
    early = "staff.early_leaver_pct"
    a = respondent(tmp_path, "a", {early: {"at_least": 40, "source": "survey"}})
    b = respondent(tmp_path, "b", {early: {"value": 35, "source": "survey",
                                           "confidence": 0.6}})
    case, _ = merged(tmp_path, a, b)
    assert case["facts"][early]["at_least"] == 35 and "at_most" not in case["facts"][early]
    assert case["facts"][early]["confidence"] == 0.8 and case["facts"][early]["source"] \
        == "survey"


def test_a_tie_is_left_unknown_and_said_so(tmp_path) -> None:
    screen = "hiring.service_attitude_screen"
    a = respondent(tmp_path, "a", {screen: yes(True), MENTOR: yes(False)})
    b = respondent(tmp_path, "b", {screen: yes(False), MENTOR: yes(False)})
    c = respondent(tmp_path, "c", {screen: {"unknown": True, "note": "could not say"}})
    case, stderr = merged(tmp_path, a, b, c)
    assert case["facts"][screen]["unknown"] is True and "value" not in case["facts"][screen]
    assert case["facts"][screen]["note"].endswith(
        "unknown (c.yaml: “could not say”); a tie (yes 1, no 1), so the fact is left unknown")
    assert "Left unknown, as the answers are tied (1):" in stderr
    assert f"- {screen}: a tie (yes 1, no 1)" in stderr
    # 'Did not know' is no vote: two who answered agree, and that is unanimous.
    assert case["facts"][MENTOR]["value"] is False and "confidence" not in case["facts"][MENTOR]
    with Workspace() as workspace:
        (loaded,) = workspace.load_cases([tmp_path / "merged.yaml"])
    assert screen not in loaded.facts and screen in loaded.unknown


def test_the_merged_file_is_a_case_that_diagnose_reads(tmp_path) -> None:
    case, stderr = merged(tmp_path, *LARKFIELD)
    assert case["case"] == "larkfield-insurance" and case["date"] == "2026-11-15"  # latest
    assert case["assessor"] == "C. Analyst, B. Consultant"
    assert "Merged 3 respondents into" in stderr
    text = (tmp_path / "merged.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Written by 'csdiag merge' from 3 respondents: "
                           "larkfield-agent-survey.yaml, larkfield-ops-manager.yaml, "
                           "larkfield-team-leader.yaml.\n")
    result = run_cli("diagnose", tmp_path / "merged.yaml")
    assert result.exit_code == 0, result.output
    assert "Larkfield Insurance — case larkfield-insurance" in result.stdout


def test_it_refuses_to_overwrite_without_force(tmp_path) -> None:
    output = tmp_path / "merged.yaml"
    output.write_text("keep me", encoding="utf-8")
    assert_user_error(run_cli("merge", *LARKFIELD, "-o", output), "merged.yaml",
                      "the file exists; nothing was written", "--force")
    assert output.read_text(encoding="utf-8") == "keep me"
    assert run_cli("merge", *LARKFIELD, "-o", output, "--force").exit_code == 0
    assert "larkfield-insurance" in output.read_text(encoding="utf-8")
    # A respondent's own file, never, --force or not.
    copy = tmp_path / "one.yaml"
    copy.write_bytes(LARKFIELD[0].read_bytes())
    assert_user_error(run_cli("merge", copy, LARKFIELD[1], "-o", copy, "--force"), "one.yaml",
                      "one of the case files")


def test_the_merged_case_is_dated_with_the_latest_answer(tmp_path) -> None:
    files = [respondent(tmp_path, name, {MENTOR: yes(True)}, date=date, assessor=who)
             for name, date, who in (("a", "2026-11-02", "B. Consultant"),
                                     ("b", "2026-12-01", "C. Analyst"),
                                     ("c", "2026-10-01", "B. Consultant"))]
    case, _ = merged(tmp_path, *files)
    assert case["date"] == "2026-12-01" and case["assessor"] == "B. Consultant, C. Analyst"
    assert case["description"] == ("Merged by 'csdiag merge' from 3 respondents' case "
                                   "files: a.yaml, b.yaml, c.yaml.")


def test_ids_and_organisations_must_agree_or_be_given(tmp_path) -> None:
    a = respondent(tmp_path, "a", {MENTOR: yes(True)})
    b = respondent(tmp_path, "b", {MENTOR: yes(True)}, case="acme-ltd")
    assert_user_error(run_cli("merge", a, b, "-o", tmp_path / "m.yaml"), "--case-id",
                      "different cases (a.yaml: acme, b.yaml: acme-ltd)")
    assert not (tmp_path / "m.yaml").exists()
    case, _ = merged(tmp_path, a, b, extra=("--case-id", "acme"))
    assert case["case"] == "acme"
    c = respondent(tmp_path, "c", {MENTOR: yes(True)}, organisation="ACME Limited")
    assert_user_error(run_cli("merge", a, c, "-o", tmp_path / "m.yaml"), "--organisation",
                      "different organisations")


def test_user_errors_are_one_located_message(tmp_path) -> None:
    a = respondent(tmp_path, "a", {MENTOR: yes(True)})
    assert_user_error(run_cli("merge", a, "-o", tmp_path / "m.yaml"), "merge",
                      "at least two")
    assert_user_error(run_cli("merge", a, a, "-o", tmp_path / "m.yaml"), "a.yaml",
                      "given twice")
    bad = respondent(tmp_path, "bad", {"training.new_hire_dayz": 3})
    assert_user_error(run_cli("merge", a, bad, "-o", tmp_path / "m.yaml"), "bad.yaml:",
                      "unknown fact 'training.new_hire_dayz'")
    assert_user_error(run_cli("merge", a, tmp_path / "none.yaml", "-o", tmp_path / "m.yaml"),
                      "none.yaml", "no such file")
    assert not (tmp_path / "m.yaml").exists()


def test_the_workspace_calls_return_the_case_and_the_report() -> None:
    with Workspace() as workspace:
        respondents = workspace.load_cases(LARKFIELD)
        case = workspace.merge(respondents)
        report = workspace.merge_report(respondents)
    assert isinstance(case, Case) and isinstance(report, MergeReport)
    assert case.facts[MENTOR] == KnownFact(False, None, report.case.facts[MENTOR].note, 0.67)
    assert [f.fact for f in report.ties] == ["hiring.service_attitude_screen",
                                             "training.managers_say_training_wasted"]
    rules = {f.fact: f.rule for f in report.facts}
    assert rules["org.frontline_role_level"] is MergeRule.UNANIMOUS
    assert rules["ops.attrition_annual_pct"] is MergeRule.RANGE
    assert rules[MENTOR] is MergeRule.MAJORITY


def test_two_answers_either_side_of_a_line_leave_the_cause_open(tmp_path) -> None:
    """9 days and 30 days of induction: new-hires-untrained (10 days or fewer) is neither
    diagnosed nor ruled out, as the respondents disagree on that very point."""
    days = "training.new_hire_days"
    files = [respondent(tmp_path, name, {days: value, "org.frontline_role_level": "entry_level",
                                         "ops.attrition_annual_pct": 60})
             for name, value in (("a", 9), ("b", 30))]
    case, _ = merged(tmp_path, *files)
    assert (case["facts"][days]["at_least"], case["facts"][days]["at_most"]) == (9, 30)
    from csdiag import Workspace

    with Workspace() as workspace:
        result = workspace.diagnose(workspace.load_case(tmp_path / "merged.yaml"))
    assert "new-hires-untrained" in {u.rule.id for u in result.undetermined}
