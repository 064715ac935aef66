"""Three shell conventions (issue 13): '-' reads a case from standard input wherever a
case file is read; text reports take a terminal's width, and 88 columns anywhere else;
headings and verdicts are coloured on a terminal only, never with NO_COLOR or --no-color.
And a case's 'date:' that is no date is one problem, not two."""

from __future__ import annotations

import fcntl
import io
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from csdiag import STDIN, UserError, Workspace
from csdiag.cli import cli
from csdiag.render import WIDTH, printable_styled, render_text, use_display

from conftest import MINI, REPO, assert_user_error, run_cli

CASE = REPO / "cases" / "northwind-telecom.yaml"
TEXT = CASE.read_text(encoding="utf-8")
SHORT = CASE.relative_to(REPO)  # in the terminal tests, run from the repository
SPARSE = MINI / "cases" / "sparse.yaml"
PACK = ["--rules", str(MINI / "rules"), "--no-builtin-rules"]
STYLE = re.compile("\x1b\\[[0-9;]*m")


def piped(*args: str | Path, stdin: str | bytes = "") -> object:
    """The CLI in-process, with `stdin` piped in."""
    return CliRunner().invoke(cli, [str(a) for a in args], input=stdin,
                              catch_exceptions=False)


def _with_date(value: str) -> str:
    return re.sub(r"(?m)^date:.*$", f"date: {value}", TEXT, count=1)


# --- '-': a case from standard input ----------------------------------------------------

def test_diagnose_reads_a_case_from_stdin_as_it_reads_the_file() -> None:
    from_file = run_cli("diagnose", CASE)
    from_stdin = piped("diagnose", "-", stdin=TEXT)
    assert from_stdin.exit_code == 0, from_stdin.output
    # The one difference: where the case came from (and the file an interview would use;
    # the words are the same, the lines may break elsewhere).
    assert "<stdin> · assessed" in from_stdin.stdout
    assert " ".join(from_stdin.stdout.replace("<stdin>", str(CASE)).replace(
        "'csdiag interview CASE.yaml", f"'csdiag interview {CASE}").split()) == " ".join(
            from_file.stdout.split())
    as_json = json.loads(piped("diagnose", "-", "--format", "json", stdin=TEXT).stdout)
    assert as_json["cases"][0]["case"].pop("file") == "<stdin>"
    expected = json.loads(run_cli("diagnose", CASE, "--format", "json").stdout)
    expected["cases"][0]["case"].pop("file")
    assert as_json == expected


def test_stdin_goes_with_other_case_files() -> None:
    result = piped("diagnose", SPARSE, "-", "--format", "jsonl", "--no-explanations", *PACK,
                   stdin=(MINI / "cases" / "all-known.yaml").read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    files = [json.loads(line)["case"]["file"] for line in result.stdout.splitlines()]
    assert files == [str(SPARSE), "<stdin>"]


@pytest.mark.parametrize(("stdin", "where", "phrase"), [
    (_with_date("2026-13-45"), "<stdin>:4:7: error:", "is not a real date"),
    ("case: x\n  bad: [\n", "<stdin>:2:", "invalid YAML"),
    (b"case: \xff\n", "<stdin>:1:7: error:", "not UTF-8"),
    ("", "<stdin>: error: standard input is empty", "csdiag diagnose - < case.yaml"),
    (TEXT.replace("org.frontline_role_level:", "org.frontline_rol_level:"),
     "<stdin>:10:3: error: unknown fact", "did you mean"),
])
def test_a_problem_in_stdin_is_located_there(stdin: str | bytes, where: str,
                                              phrase: str) -> None:
    result = piped("diagnose", "-", stdin=stdin)
    assert_user_error(result, where, phrase, "fix: ")
    assert result.stdout == ""


@pytest.mark.parametrize("args", [
    ["diagnose", "-", "-"],
    ["diagnose", "-", str(CASE), "-"],
    ["compare", "-", "-"],
    ["merge", "-", "-", "-o", "merged.yaml"],
])
def test_stdin_given_twice_is_refused_with_a_fix(args: list[str], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = piped(*args, stdin=TEXT)
    assert_user_error(result, "<stdin>: error: standard input ('-') is given more than once",
                      "fix: give '-' once")
    assert not (tmp_path / "merged.yaml").exists()


def test_validate_reads_stdin_as_a_case_file() -> None:
    good = piped("validate", "-", stdin=TEXT)
    assert good.exit_code == 0, good.output
    assert "checked 1 case file: no problems" in good.stdout
    bad = piped("validate", "-", REPO / "cases", stdin=_with_date("hello"))
    assert bad.exit_code == 1
    assert "<stdin>:4:7: error: 'hello' is not a date in the form YYYY-MM-DD" in bad.stdout
    twice = piped("validate", "-", "-", stdin=TEXT)
    assert twice.exit_code == 1 and "given more than once" in twice.stdout


def test_explain_plan_and_compare_read_stdin() -> None:
    explained = piped("explain", "-", "turnover-training-vicious-circle", stdin=TEXT)
    assert explained.exit_code == 0, explained.output
    assert explained.stdout == run_cli("explain", CASE,
                                       "turnover-training-vicious-circle").stdout
    planned = piped("plan", "-", stdin=TEXT)
    assert planned.exit_code == 0, planned.output
    assert planned.stdout.replace("<stdin>", str(CASE)) == run_cli("plan", CASE).stdout
    for args in (["-", CASE], [CASE, "-"]):
        compared = piped("compare", *args, "--format", "json", stdin=TEXT)
        assert compared.exit_code == 0, compared.output
        files = [json.loads(compared.stdout)[side]["file"] for side in ("old", "new")]
        assert files == ["<stdin>" if a == "-" else str(a) for a in args]


def test_merge_takes_one_respondent_from_stdin(tmp_path: Path) -> None:
    first = tmp_path / "a.yaml"
    first.write_text(SPARSE.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "merged.yaml"
    result = piped("merge", first, "-", "-o", out, *PACK,
                   stdin=SPARSE.read_text(encoding="utf-8").replace("20", "30"))
    assert result.exit_code == 0, result.output
    merged = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert "(<stdin>)" in merged["facts"]["training.new_hire_days"]["note"]
    assert "from 2 respondents: a.yaml, <stdin>" in out.read_text(encoding="utf-8")


def test_a_case_from_stdin_is_never_written_back(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    # The interview reads its answers there: the case cannot come from there too.
    result = piped("interview", "-", "-o", "out.yaml", *PACK, stdin=SPARSE.read_text())
    assert_user_error(result, "-: error: the interview reads its answers from standard "
                      "input", "fix: give the case as a file")
    # '-' is never a file to write: not a report, not a merged case, not an interview.
    for args, fix in ((["diagnose", "-", "-o", "-"], "leave out -o"),
                      (["merge", SPARSE, "-", "-o", "-", *PACK], "give the path of a .yaml"),
                      (["interview", "-o", "-", *PACK], "give the path of a .yaml")):
        result = piped(*args, stdin=SPARSE.read_text())
        assert_user_error(result, "-: error: '-' names standard input, not a file to write",
                          fix)
    assert list(tmp_path.iterdir()) == []


def test_the_library_reads_stdin_once_for_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.TextIOWrapper(io.BytesIO(TEXT.encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stream)
    with Workspace() as workspace:
        (case,) = workspace.load_cases([STDIN])
        again = workspace.load_case(STDIN)  # read once: the same case, not an empty input
        assert case.file == again.file == "<stdin>" and case.facts == again.facts
        assert [str(p) for p in workspace.check_cases([STDIN])] == [STDIN]
        with pytest.raises(UserError, match="given more than once"):
            workspace.check_cases([STDIN, STDIN])


def test_a_terminal_on_stdin_is_told_where_the_case_is_awaited() -> None:
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-c", "from csdiag.cli import main; main()", "diagnose", "-",
         "--format", "json", "--no-explanations", *PACK], stdin=slave,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, close_fds=True)
    os.close(slave)
    try:
        os.write(master, SPARSE.read_bytes() + b"\x04")  # the case, then Ctrl-D
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    assert process.returncode == 0, err
    assert b"Reading a case from standard input (Ctrl-D ends it)." in err
    assert json.loads(out)["cases"][0]["case"]["id"] == "sparse"


# --- the width of the text report -----------------------------------------------------

def _read_all(fd: int, process: subprocess.Popen[bytes]) -> str:
    seen = bytearray()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the other end closed (Linux)
                break
            if not chunk:
                break
            seen += chunk
        elif process.poll() is not None:
            break
    return seen.decode("utf-8").replace("\r\n", "\n")


def in_terminal(*args: str | Path, columns: int | None = None,
                env: dict[str, str] | None = None) -> str:
    """What csdiag prints on a terminal (a pty `columns` wide, if given)."""
    master, slave = pty.openpty()
    if columns:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("COLUMNS", "NO_COLOR", "TERM")}
    environment.update(env or {})
    process = subprocess.Popen(
        [sys.executable, "-c", "from csdiag.cli import main; main()",
         *[str(a) for a in args]], stdin=subprocess.DEVNULL, stdout=slave,
        stderr=subprocess.PIPE, env=environment, cwd=REPO, close_fds=True)
    os.close(slave)
    try:
        text = _read_all(master, process)
        assert process.wait(timeout=60) == 0, process.stderr.read() if process.stderr else ""
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
        if process.stderr:
            process.stderr.close()
    return text


def _widest(text: str) -> int:
    """The widest line, its styles left out; a line of one word (a long fact name stays
    whole, wider than a narrow line) is not counted."""
    from csdiag.render.layout import width

    return max(width(STYLE.sub("", line)) for line in text.splitlines()
               if " " in line.strip())


@pytest.mark.parametrize(("columns", "env", "expected"), [
    (None, {"COLUMNS": "70"}, 70),   # $COLUMNS, as terminals set it
    (96, {}, 96),                    # the terminal's own width
    (96, {"COLUMNS": "72"}, 72),     # $COLUMNS first, as shutil and most tools take it
    (None, {"COLUMNS": "300"}, 100),  # prose lines are kept readable on a wide terminal
    (None, {"COLUMNS": "30"}, 60),   # nor too few words on a narrow one
    (None, {}, WIDTH),               # a terminal of unknown width
])
def test_the_report_takes_the_terminals_width(columns: int | None, env: dict[str, str],
                                              expected: int) -> None:
    text = in_terminal("diagnose", SHORT, "--no-color", columns=columns, env=env)
    assert expected - 12 < _widest(text) <= expected, text


def test_piped_output_is_88_columns_whatever_columns_says() -> None:
    environment = {**os.environ, "COLUMNS": "70"}
    environment.pop("NO_COLOR", None)
    result = subprocess.run([sys.executable, "-c", "from csdiag.cli import main; main()",
                             "diagnose", str(CASE)], capture_output=True, text=True,
                            env=environment, check=True)
    assert WIDTH - 12 < _widest(result.stdout) <= WIDTH
    assert "\x1b" not in result.stdout
    assert result.stdout == run_cli("diagnose", CASE).stdout


def test_a_report_written_with_o_is_as_piped_even_from_a_terminal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "report.txt"
    in_terminal("diagnose", SHORT, "-o", out, env={"COLUMNS": "70"})
    monkeypatch.chdir(REPO)
    assert out.read_text(encoding="utf-8") == run_cli("diagnose", SHORT).stdout


def test_the_library_lays_out_as_told_and_88_wide_unless_told() -> None:
    with Workspace() as workspace:
        result = workspace.diagnose(workspace.load_case(CASE))
    plain = render_text([result])
    assert _widest(plain) <= WIDTH
    with use_display(columns=64):
        narrow = render_text([result])
    assert 52 < _widest(narrow) <= 64
    assert render_text([result]) == plain  # nothing leaks past the block


# --- colour -----------------------------------------------------------------------------

def test_a_terminal_gets_restrained_colour_that_changes_no_line() -> None:
    coloured = in_terminal("diagnose", SHORT, env={"COLUMNS": "80"})
    plain = in_terminal("diagnose", SHORT, "--no-color", env={"COLUMNS": "80"})
    assert "\x1b" not in plain
    assert "\x1b[1mDIAGNOSES (5), most severe and certain first\x1b[0m" in coloured
    assert "\x1b[1m1. Vicious circle of turnover and untrained new hires\x1b[0m" in coloured
    assert "\n  \x1b[33m- Complaint handling falls short of ISO 10002" in coloured  # weak
    assert re.search("\n  \x1b\\[2m- .*\\[.*\\] — ", coloured)  # ruled out, dimmed
    assert STYLE.sub("", coloured) == plain  # the same lines, only styled
    assert _widest(coloured) <= 80


@pytest.mark.parametrize(("args", "env"), [
    (["diagnose", SHORT], {"NO_COLOR": "1"}),
    (["--no-color", "diagnose", SHORT], {}),
    (["diagnose", SHORT, "--no-color"], {}),
    (["diagnose", SHORT], {"TERM": "dumb"}),
    (["diagnose", SHORT, "--format", "markdown"], {}),
    (["diagnose", SHORT, "--format", "json"], {}),
])
def test_no_colour_when_asked_or_where_it_does_not_belong(args: list[str | Path],
                                                          env: dict[str, str]) -> None:
    assert "\x1b" not in in_terminal(*args, env=env)


def test_an_empty_no_color_does_not_turn_colour_off() -> None:
    # no-color.org: NO_COLOR set to a non-empty value.
    assert "\x1b[1m" in in_terminal("diagnose", SHORT, env={"NO_COLOR": ""})


def test_colour_keeps_no_control_character_from_a_file() -> None:
    hostile = "\x1b]0;owned\x07 Acme \x1b[2J"
    with use_display(colour=True):
        from csdiag.render.layout import styled

        shown = printable_styled(styled(hostile, "heading"))
    assert shown == "\x1b[1m\ufffd]0;owned\ufffd Acme \ufffd[2J\x1b[0m"


# --- one problem for a date that is none ------------------------------------------------

@pytest.mark.parametrize(("value", "message"), [
    ("hello", "'hello' is not a date in the form YYYY-MM-DD"),
    ("2026-13-45", "'2026-13-45' is not a real date"),
    ('"2026-02-30"', "'2026-02-30' is not a real date: day is out of range for month"),
    ("12", "'date' must be a date (YYYY-MM-DD), not 12"),
    ("[2026, 10, 12]", "'date' must be a date (YYYY-MM-DD), not a list"),
    ("~", "'date' must be a date (YYYY-MM-DD), not nothing"),
    ("true", "'date' must be a date (YYYY-MM-DD), not true"),
    ("2026-10-12T10:00:00", "'date' must be a date (YYYY-MM-DD)"),
])
def test_a_date_that_is_no_date_is_one_problem(tmp_path: Path, value: str,
                                               message: str) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(_with_date(value), encoding="utf-8")
    with Workspace() as workspace, pytest.raises(UserError) as raised:
        workspace.load_case(case)
    problems = raised.value.problems
    assert len(problems) == 1, [str(p) for p in problems]
    assert (problems[0].line, problems[0].column) == (4, 7)
    assert message in problems[0].message and problems[0].hint
    result = run_cli("diagnose", case)
    assert result.exit_code == 2 and result.stderr.count("error:") == 1, result.stderr
