"""`csdiag validate`: case, rule, fixture and vocabulary files checked as they are read,
each told apart by its keys, without running anything."""

from __future__ import annotations

from pathlib import Path

from conftest import MINI, REPO, run_cli

PACK = ["--rules", str(MINI / "rules"), "--no-builtin-rules"]


def test_good_files_of_every_kind_pass_with_a_count() -> None:
    result = run_cli("validate", MINI / "cases", MINI / "rules", *PACK)
    assert result.exit_code == 0, result.output
    assert result.stdout == ("checked 2 case files, 4 rule files, 4 fixture files, "
                             "1 vocabulary file: no problems\n")


def test_the_builtin_cases_and_rules_pass() -> None:
    result = run_cli("validate", REPO / "rules", REPO / "cases" / "northwind-telecom.yaml")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(": no problems\n")


def test_every_problem_of_every_file_is_listed_with_its_place(tmp_path: Path) -> None:
    (tmp_path / "case.yaml").write_text(
        "case: x\norganisation: X\ndate: 12/10/2026\nassessor: A\nfacts: {}\n",
        encoding="utf-8")
    (tmp_path / "other.yaml").write_text(
        "case: y\norganisation: Y\ndate: 2026-10-12\nassessor: A\n"
        "facts:\n  staff.attrition_pct: 130\n", encoding="utf-8")
    (tmp_path / "odd.yaml").write_text("colour: blue\n", encoding="utf-8")
    (tmp_path / "cost-staffing.test.yaml").write_text(
        "rule: cost-staffing\nfixtures:\n  - name: x\n    facts: {staff.atrition_pct: 1}\n"
        "    expect: fires\n", encoding="utf-8")
    result = run_cli("validate", tmp_path, *PACK)
    assert result.exit_code == 1
    out = result.stdout
    assert f"{tmp_path / 'case.yaml'}:3:7: error: '12/10/2026' is not a date" in out
    assert f"{tmp_path / 'other.yaml'}:6:24: error:" in out  # 130 is not a percentage
    assert f"{tmp_path / 'odd.yaml'}: error: not a csdiag file" in out
    assert f"{tmp_path / 'cost-staffing.test.yaml'}:4:13: error: unknown fact " \
           "'staff.atrition_pct'" in out
    assert out.endswith("checked 2 case files, 1 fixture file: 4 problems\n"), out


def test_a_rule_file_is_checked_with_its_own_folders_vocabulary(tmp_path: Path) -> None:
    for name in ("vocabulary.yaml", "cost-staffing.yaml"):
        (tmp_path / name).write_text((MINI / "rules" / name).read_text(encoding="utf-8")
                                     .replace("staffing_basis\n", "staffing_basis\n"),
                                     encoding="utf-8")
    broken = (MINI / "rules" / "untrained.yaml").read_text(encoding="utf-8")
    (tmp_path / "untrained.yaml").write_text(broken.replace("training.new_hire_days",
                                                            "training.new_hire_dayz", 1),
                                             encoding="utf-8")
    result = run_cli("validate", tmp_path / "untrained.yaml", "--no-builtin-rules",
                     "--rules", MINI / "rules")
    assert result.exit_code == 1
    assert "unknown fact 'training.new_hire_dayz'" in result.stdout
    assert "did you mean 'training.new_hire_days'?" in result.stdout


def test_a_missing_path_is_named() -> None:
    result = run_cli("validate", "no-such-folder", *PACK)
    assert result.exit_code == 1
    assert "no-such-folder: error: no such file or folder" in result.stdout


def test_completion_prints_a_script_for_each_shell() -> None:
    for shell, marker in (("bash", "complete -o nosort -F"), ("zsh", "compdef"),
                          ("fish", "complete --no-files --command csdiag")):
        result = run_cli("completion", shell)
        assert result.exit_code == 0 and marker in result.stdout, (shell, result.stdout)


def test_an_impossible_date_and_a_device_are_located_errors_not_crashes(tmp_path: Path) -> None:
    case = tmp_path / "feb30.yaml"
    case.write_text("case: x\norganisation: X\ndate: 2026-02-30\nassessor: A\nfacts: {}\n",
                    encoding="utf-8")
    result = run_cli("validate", case, "/dev/null", *PACK)
    assert result.exit_code == 1, result.output
    assert f"{case}:3:7: error: '2026-02-30' is not a real date" in result.stdout
    assert "/dev/null: error: not a regular file" in result.stdout


def test_a_huge_file_is_refused_by_the_limit_not_read_whole(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("case: x\norganisation: X\ndate: 2026-01-01\nassessor: A\nfacts:\n"
                   + "".join(f"  # {'x' * 90}\n" for _ in range(70_000)), encoding="utf-8")
    result = run_cli("validate", big, *PACK)
    assert result.exit_code == 1 and "limit on file size" in result.stdout, result.stdout[-500:]
