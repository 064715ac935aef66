"""`csdiag interview`: most useful question first, answers checked on the spot, nothing lost
on stop, end of input or Ctrl-C, in a real terminal and with piped answers."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import subprocess
import sys
import termios
import time
from pathlib import Path

import yaml
from click.testing import CliRunner

from csdiag.cli import cli

from conftest import MINI, run_cli

PACK = ["--rules", str(MINI / "rules"), "--no-builtin-rules"]
# A terminal 88 columns wide, whatever $COLUMNS the tests run with: questions and help
# are wrapped to the terminal's width.
TERMINAL_ENV = {**os.environ, "COLUMNS": "88"}


def interview(output: Path, answers: str, *extra: str):
    return CliRunner().invoke(cli, ["interview", "-o", str(output), "--organisation", "Mini",
                                    *PACK, *extra], input=answers, catch_exceptions=False)


def test_most_useful_question_first_and_bad_answers_are_asked_again(tmp_path: Path) -> None:
    out = tmp_path / "mini.yaml"
    result = interview(out, "why\n68\nmaybe\nfalse\n2\nbudget_cap\n")
    assert result.exit_code == 0, result.output
    text = result.stdout
    # Attrition decides all three diagnoses, so it comes first.
    assert text.index("[staff.attrition_pct]") < text.index("[hiring.attitude_screen]")
    assert "  could settle: Staffing planned by cost [cost-staffing]" in text
    assert "    if the answer is above 45% per year (through: Staff turnover is high)" in text
    assert ("  not accepted: 'maybe' is not a valid value for hiring.attitude_screen (boolean); "
            "it takes true or false") in text.replace("\n    ", " ")  # wrapped, hanging
    assert "→ now diagnosed: New hires are not trained [untrained], certainty 0.80" in text
    assert "Nothing left to ask could change the result." in text
    assert "asked 3 questions (the vocabulary has 4 facts)" in text
    saved = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert saved["facts"]["staff.attrition_pct"] == {"value": 68, "source": "interview"}
    again = run_cli("diagnose", out, *PACK)  # the saved file is a valid case
    assert again.exit_code == 0 and "[vicious-circle]" in again.stdout


def test_unknown_skip_and_stop(tmp_path: Path) -> None:
    out = tmp_path / "mini.yaml"
    result = interview(out, "skip\nunknown\nstop\n")
    assert result.exit_code == 0
    assert "Stopped." in result.stdout
    # 'unknown' is saved as asked-and-unknown, so a resumed interview asks it last.
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["facts"] == {
        "hiring.attitude_screen": {"unknown": True, "source": "interview",
                                   "note": "asked in the interview; nobody knew"}}


def test_end_of_input_keeps_the_answers_given(tmp_path: Path) -> None:
    out = tmp_path / "mini.yaml"
    result = interview(out, "68\n")
    assert result.exit_code == 0 and "Stopped." in result.stdout
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["facts"] == {
        "staff.attrition_pct": {"value": 68, "source": "interview"}}


def test_an_existing_file_is_replaced_only_with_force(tmp_path: Path) -> None:
    out = tmp_path / "mine.yaml"
    out.write_text("keep me\n", encoding="utf-8")
    result = interview(out, "68\n")  # standard input is for answers only: nothing eaten
    assert result.exit_code == 2 and "the file exists; nothing was written" in result.stderr
    assert "add --force to replace it" in result.stderr and result.stdout == ""
    assert out.read_text(encoding="utf-8") == "keep me\n"
    assert interview(out, "68\nstop\n", "--force").exit_code == 0
    assert "case: mine" in out.read_text(encoding="utf-8")


def test_an_interview_with_no_answer_writes_nothing(tmp_path: Path) -> None:
    # Run without a terminal, input ends at the first question: no case of 0 facts is
    # left behind, so running the same command again does not stop at "the file exists".
    out = tmp_path / "acme.yaml"
    for _ in range(2):
        result = interview(out, "")
        assert result.exit_code == 0, result.output
        assert "No answer was given, so" in result.stdout and not out.exists()
    out.write_text("keep me\n", encoding="utf-8")
    assert interview(out, "stop\n", "--force").exit_code == 0
    assert out.read_text(encoding="utf-8") == "keep me\n"


def test_starting_from_a_case_asks_only_what_it_lacks(tmp_path: Path) -> None:
    out = tmp_path / "sparse-2.yaml"
    result = CliRunner().invoke(cli, ["interview", str(MINI / "cases" / "sparse.yaml"), "-o",
                                      str(out), *PACK], input="20\n")
    assert "[staff.attrition_pct]" in result.stdout
    assert "[training.new_hire_days]" not in result.stdout
    assert "Nothing left to ask could change the result." in result.stdout
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["organisation"] == "Mini Two"


def _read_until(fd: int, text: str, seen: bytearray, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while text.encode() not in seen:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise AssertionError(f"no {text!r} in {seen.decode(errors='replace')!r}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    return seen.decode(errors="replace")


def _read_after(fd: int, anchor: str, text: str, seen: bytearray, timeout: float = 30) -> None:
    """Wait until `text` appears after the last `anchor` (not just anywhere in `seen`)."""
    deadline = time.monotonic() + timeout
    while text.encode() not in seen[seen.rfind(anchor.encode()):]:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise AssertionError(f"no {text!r} after {anchor!r} in {bytes(seen)!r}")
        seen += os.read(fd, 4096)


def test_in_a_real_terminal_ctrl_c_saves_what_was_answered(tmp_path: Path) -> None:
    out = tmp_path / "tty.yaml"
    master, slave = pty.openpty()

    def controlling_terminal() -> None:  # so Ctrl-C reaches the process as SIGINT
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    process = subprocess.Popen(
        [sys.executable, "-c", "from csdiag.cli import main; main()", "interview", "-o",
         str(out), *PACK], stdin=slave, stdout=slave, stderr=slave, env=TERMINAL_ENV,
        preexec_fn=controlling_terminal, close_fds=True)
    os.close(slave)
    seen = bytearray()
    try:
        _read_until(master, "> ", seen)
        os.write(master, b"68\n")
        _read_until(master, "[hiring.attitude_screen]", seen)
        _read_after(master, "[hiring.attitude_screen]", "> ", seen)  # the second prompt
        time.sleep(0.3)  # let the prompt start reading before the interrupt
        os.write(master, b"\x03")  # Ctrl-C typed at the prompt
        text = _read_until(master, "Saved ", seen)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    assert "Stopped." in text
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["facts"] == {
        "staff.attrition_pct": {"value": 68, "source": "interview"}}


def test_help_back_notes_and_estimates_piped(tmp_path: Path) -> None:
    """'?' shows the commands (it used to mean 'unknown'); 'back' takes the last answer
    back and asks it again; 'note: …' and '~0.6' are kept with the answer."""
    out = tmp_path / "mini.yaml"
    result = interview(out, "?\n70\nback\n68% note: HR report, March ~0.8\nskip\nyes\n")
    text = result.stdout
    assert result.exit_code == 0, text
    assert "Or type: unknown (nobody knows), skip (ask later), back" in " ".join(text.split())
    assert "back to [staff.attrition_pct]" in text
    assert text.count("[staff.attrition_pct] What share of staff left") == 2  # asked again
    assert "Question 1 of about 4" in text and "— Staff and morale —" in text
    saved = yaml.safe_load(out.read_text(encoding="utf-8"))["facts"]
    assert saved["staff.attrition_pct"] == {"value": 68, "source": "interview",
                                            "note": "HR report, March", "confidence": 0.8}


def test_an_enum_matched_by_a_word_says_what_it_was_taken_as(tmp_path: Path) -> None:
    out = tmp_path / "mini.yaml"
    result = interview(out, "skip\nskip\nskip\nbudget\nstop\n")
    assert "taken as: budget_cap" in result.stdout, result.stdout
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["facts"][
        "ops.staffing_basis"]["value"] == "budget_cap"


def test_what_nobody_knew_is_asked_last_on_resume(tmp_path: Path) -> None:
    out = tmp_path / "mini.yaml"
    interview(out, "unknown\nstop\n")  # attrition, the most useful question, not known
    resumed = CliRunner().invoke(cli, ["interview", str(out), "-o", str(out), "--force",
                                       *PACK], input="stop\n", catch_exceptions=False)
    first = resumed.stdout.split("\n[", 1)[1].split("]", 1)[0]
    assert first != "staff.attrition_pct", resumed.stdout


def test_group_by_respondent_heads_each_group(tmp_path: Path) -> None:
    result = interview(tmp_path / "mini.yaml", "stop\n", "--group-by", "respondent")
    assert "— Front line —" in result.stdout or "— HR —" in result.stdout, result.stdout


def test_help_back_and_a_note_in_a_real_terminal(tmp_path: Path) -> None:
    out = tmp_path / "tty.yaml"
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-c", "from csdiag.cli import main; main()", "interview", "-o",
         str(out), *PACK], stdin=slave, stdout=slave, stderr=slave, env=TERMINAL_ENV,
        close_fds=True)
    os.close(slave)
    seen = bytearray()
    try:
        _read_until(master, "> ", seen)
        os.write(master, b"?\n")
        _read_until(master, "help or ? (this list)", seen)
        os.write(master, b"70\n")
        _read_until(master, "[hiring.attitude_screen]", seen)
        os.write(master, b"back\n")
        _read_until(master, "back to [staff.attrition_pct]", seen)
        os.write(master, b"68% note: exit data ~0.9\n")
        _read_after(master, "back to [staff.attrition_pct]", "[hiring.attitude_screen]", seen)
        os.write(master, b"stop\n")
        _read_until(master, "Saved ", seen)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["facts"] == {
        "staff.attrition_pct": {"value": 68, "source": "interview", "note": "exit data",
                                "confidence": 0.9}}


def test_a_case_resumed_in_place_keeps_what_was_written(tmp_path: Path) -> None:
    case = tmp_path / "sparse.yaml"
    original = (MINI / "cases" / "sparse.yaml").read_text(encoding="utf-8") + "# our note\n"
    case.write_text(original, encoding="utf-8")

    def resume(answers: str):
        return CliRunner().invoke(cli, ["interview", str(case), "-o", str(case), "--force",
                                        *PACK], input=answers, catch_exceptions=False)

    assert resume("stop\n").exit_code == 0
    assert case.read_text(encoding="utf-8") == original  # nothing answered: untouched
    result = resume("note: from the rota\n20\nstop\n")
    assert "put it on the same line as the answer" in result.stdout  # a note alone
    assert (tmp_path / "sparse.yaml.bak").read_text(encoding="utf-8") == original
    assert "(the file as it was is kept as" in result.stdout


def test_a_new_case_without_an_assessor_says_so_in_the_interviews_language(
        tmp_path: Path) -> None:
    # No --assessor and no $USER (a container, a CI job): the case file says so in the
    # language it is written in, not with an English 'unknown' in a Chinese case.
    words = {"zh": "未注明", "ru": "не указан", "en": "an unnamed assessor"}
    for language, word in words.items():
        out = tmp_path / f"{language}.yaml"
        result = CliRunner().invoke(cli, ["interview", "-o", str(out), *PACK, "--lang",
                                          language], input="unknown\nstop\n",
                                    env={"USER": None},
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
        case = yaml.safe_load(out.read_text(encoding="utf-8"))
        assert case["assessor"] == word, language
        assert run_cli("validate", out, *PACK).exit_code == 0  # still a valid case file
    # What the user gave is kept as given.
    out = tmp_path / "given.yaml"
    result = CliRunner().invoke(cli, ["interview", "-o", str(out), *PACK, "--lang", "zh",
                                      "--assessor", "王顾问"], input="unknown\nstop\n",
                                env={"USER": "wang"}, catch_exceptions=False)
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["assessor"] == "王顾问"
    out = tmp_path / "login.yaml"
    CliRunner().invoke(cli, ["interview", "-o", str(out), *PACK, "--lang", "ru"],
                       input="unknown\nstop\n", env={"USER": "ivanov"}, catch_exceptions=False)
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["assessor"] == "ivanov"
