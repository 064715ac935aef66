"""Hostile and odd input, each reproducer of issue 8 as a regression test: every one
ends with exit 0, 1 or 2, a message and no traceback, within 10 s and 500 MB, in a real
process (the entry point a user runs)."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import MINI, REPO

HEADER = "case: odd\norganisation: Odd Ltd\ndate: 2026-11-01\nassessor: Test\n"
NORTHWIND = str(REPO / "cases" / "northwind-telecom.yaml")


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float


def csdiag(*args: str | Path, stdin: bytes | None = b"", timeout: float = 10,
           stdout_path: str | None = None) -> Run:
    """Run csdiag in a fresh process; its peak memory is read from a wrapper that
    reports its own children's ru_maxrss."""
    code = ("import resource, subprocess, sys\n"
            "done = subprocess.run(sys.argv[1:])\n"
            "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
            "sys.stderr.write(f'\\n@@peak {peak}\\n')\n"
            "sys.exit(done.returncode)")
    command = [sys.executable, "-c", code, sys.executable, "-c",
               "from csdiag.cli import main; main()", *map(str, args)]
    start = time.perf_counter()
    with open(stdout_path or os.devnull, "wb") as sink:
        done = subprocess.run(command, input=stdin if stdin is not None else None,
                              stdin=subprocess.DEVNULL if stdin is None else None,
                              # stdin=None: csdiag starts with standard input closed.
                              preexec_fn=(lambda: os.close(0)) if stdin is None else None,
                              stdout=subprocess.PIPE if stdout_path is None else sink,
                              stderr=subprocess.PIPE, timeout=timeout + 20, cwd=REPO)
    seconds = time.perf_counter() - start
    stderr = done.stderr.decode("utf-8", "replace")
    stderr, _, peak = stderr.rpartition("\n@@peak ")
    out = done.stdout.decode("utf-8", "replace") if done.stdout else ""
    return Run(done.returncode, out, stderr, seconds, int(peak.strip() or 0) / 1024)


def assert_handled(run: Run, codes: tuple[int, ...] = (2,), *phrases: str) -> None:
    assert run.code in codes, (run.code, run.stderr[-2000:])
    assert "Traceback" not in run.stderr + run.stdout, run.stderr[-2000:]
    assert run.seconds < 10 + 2, run.seconds  # the budget, plus process start-up
    assert run.peak_mb < 500, run.peak_mb
    for phrase in phrases:
        assert phrase in run.stderr + run.stdout, run.stderr[-2000:]


def case_file(tmp_path: Path, body: str | bytes, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    if isinstance(body, bytes):
        path.write_bytes(HEADER.encode() + body)
    else:
        path.write_text(HEADER + body, encoding="utf-8")
    return path


# --- the interview and --set: typed input is never YAML -----------------------------

@pytest.mark.parametrize("answer", ['"', "'", "[", "{", "@", "`", "*", "%", "\x1b[A",
                                    "\x00", "!!python/object/apply:os.system ['echo x']"])
def test_an_odd_interview_answer_is_refused_and_asked_again(tmp_path, answer) -> None:
    run = csdiag("interview", "-o", tmp_path / "out.yaml", "--rules", MINI / "rules",
                 "--no-builtin-rules", stdin=(answer + "\nstop\n").encode())
    assert_handled(run, (0,), "not accepted", "No answer was given")


def test_an_answer_that_is_not_utf8_is_refused(tmp_path) -> None:
    run = csdiag("interview", "-o", tmp_path / "out.yaml", stdin=b"\xff\xfe\x80\nstop\n")
    assert_handled(run, (0,), "not UTF-8", "No answer was given")


def test_endless_garbage_on_stdin_ends_the_interview(tmp_path) -> None:
    run = csdiag("interview", "-o", tmp_path / "out.yaml", stdin=b"garbage\n" * 5000)
    assert_handled(run, (0,), "set aside", "Nothing left to ask")


def test_an_interview_with_stdin_closed_says_so(tmp_path) -> None:
    assert_handled(csdiag("interview", "-o", tmp_path / "out.yaml", stdin=None), (2,),
                   "no input")


@pytest.mark.parametrize("setting", ["[", "!!python/object/apply:os.system ['echo x']",
                                     "2026-13-45", ".inf", ".nan", "1" + "0" * 400, "\x1b"])
def test_an_odd_set_value_is_a_user_error(setting) -> None:
    assert_handled(csdiag("diagnose", NORTHWIND, "--set", f"training.new_hire_days={setting}"),
                   (2,), "--set", "error:")


def test_threshold_nan_is_refused() -> None:
    assert_handled(csdiag("diagnose", NORTHWIND, "--threshold", "nan"), (2,), "--threshold")


# --- legal values durable_rules used to refuse ----------------------------------------

@pytest.mark.parametrize("facts", [
    "  ops.attrition_annual_pct: 0.00001\n",
    "  training.new_hire_days: 10000000000000000\n",
    "  training.new_hire_days: 1.0e+16\n",
    "  ops.attrition_annual_pct:\n    value: 40\n    confidence: 0.00001\n",
    "  training.new_hire_days: 0.000000001\n",
    "  training.new_hire_days: 1.0e+300\n",  # past the 28 digits Babel rounds in by default
])
def test_legal_extreme_values_are_diagnosed(tmp_path, facts) -> None:
    run = csdiag("diagnose", case_file(tmp_path, "facts:\n" + facts), "--format", "json")
    assert_handled(run, (0,))


@pytest.mark.parametrize("setting", ["ops.attrition_annual_pct=0.00001",
                                     "cx.fcr_shortfall_pts=1e+300",  # a number
                                     "complaints.volume_change_pct=1e+300"])  # a percentage
def test_a_tiny_or_huge_what_if_value_is_diagnosed(setting) -> None:
    assert_handled(csdiag("diagnose", NORTHWIND, "--set", setting), (0,))


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "1" + "0" * 400])
def test_a_number_that_can_never_be_a_fact_is_refused_in_a_case(tmp_path, value) -> None:
    run = csdiag("diagnose", case_file(tmp_path, f"facts:\n  training.new_hire_days: {value}\n"))
    assert_handled(run, (2,), "case.yaml:6:27", "not a valid value")


def test_an_infinite_or_nan_threshold_is_a_rule_error(tmp_path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(MINI / "rules", pack)
    rule = pack / "untrained.yaml"
    text = rule.read_text(encoding="utf-8")
    for bad in (".inf", ".nan", "1" + "0" * 400):
        rule.write_text(text.replace("lt: 10", f"lt: {bad}"), encoding="utf-8")
        assert "lt: 10" in text
        assert_handled(csdiag("rules", "lint", pack, "--no-builtin-rules"), (1,),
                       "untrained.yaml")
        assert_handled(csdiag("diagnose", NORTHWIND, "--rules", pack, "--no-builtin-rules"),
                       (2,), "untrained.yaml")


# --- files that are too big, too deep, recursive, or not files ----------------------

BOMB = "".join(f"  {name}: &{name} [{', '.join(['*' + prev] * 9)}]\n"
               for prev, name in zip("abcdefghi", "bcdefghij", strict=True))


def test_a_billion_laughs_case_file_is_refused(tmp_path) -> None:
    body = "facts:\n  a: &a [x, x, x, x, x, x, x, x, x]\n" + BOMB
    assert_handled(csdiag("diagnose", case_file(tmp_path, body)), (2,), "limit")


def test_a_billion_laughs_inside_one_fact_is_refused(tmp_path) -> None:
    body = "facts:\n  ops.attrition_annual_pct:\n    value: &a [x, x, x, x, x, x, x, x]\n" \
        + "".join(f"    {n}: &{n} [{', '.join(['*' + p] * 9)}]\n"
                  for p, n in zip("abcdefghi", "bcdefghij", strict=True))
    assert_handled(csdiag("diagnose", case_file(tmp_path, body)), (2,))


@pytest.mark.parametrize("body, phrase", [
    ("facts: &a\n  x: *a\n", "refers to a value that contains it"),
    ("facts: " + "[" * 5000 + "]" * 5000 + "\n", "nest"),
    ("facts:\n  x: " + "[" * 80 + "]" * 80 + "\n", "limit"),
])
def test_recursive_and_deep_yaml_is_refused(tmp_path, body, phrase) -> None:
    assert_handled(csdiag("diagnose", case_file(tmp_path, body)), (2,), phrase)


@pytest.mark.parametrize("value", ["2026-13-45", "2026-02-30"])
def test_an_impossible_date_is_a_located_error(tmp_path, value) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(HEADER.replace("2026-11-01", value) + "facts: {}\n", encoding="utf-8")
    assert_handled(csdiag("diagnose", path), (2,), "case.yaml:3:7")


def test_a_float_tag_on_text_is_a_located_error(tmp_path) -> None:
    path = case_file(tmp_path, "facts:\n  ops.attrition_annual_pct: !!float x\n")
    assert_handled(csdiag("diagnose", path), (2,), "case.yaml:6:29")


def test_a_named_pipe_is_refused_without_reading_it(tmp_path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert_handled(csdiag("diagnose", fifo), (2,), "not a regular file")
    assert_handled(csdiag("diagnose", tmp_path), (2,), "not a regular file")


def test_a_device_is_refused() -> None:
    assert_handled(csdiag("diagnose", "/dev/zero"), (2,), "not a regular file")


def test_twenty_thousand_unknown_facts_are_refused_quickly(tmp_path) -> None:
    body = "facts:\n" + "".join(f"  x.fact_{i}: 1\n" for i in range(20_000))
    assert_handled(csdiag("diagnose", case_file(tmp_path, body)), (2,), "facts in one case (5,000)")


def test_three_thousand_unknown_facts_print_twenty_then_a_count(tmp_path) -> None:
    body = "facts:\n" + "".join(f"  x.fact_{i}: 1\n" for i in range(3_000))
    run = csdiag("diagnose", case_file(tmp_path, body))
    assert_handled(run, (2,), "and 2,980 more problems in this file")
    assert run.stderr.count("unknown fact") == 20


def test_a_fifty_megabyte_file_is_refused_by_its_size(tmp_path) -> None:
    path = tmp_path / "case.yaml"
    with path.open("w", encoding="utf-8") as stream:
        stream.write(HEADER + "facts:\n")
        stream.write("# padding\n" * 5_000_000)
    assert_handled(csdiag("diagnose", path), (2,), "CSDIAG_MAX_FILE_BYTES")


def chain_pack(folder: Path, depth: int, top: bool = False, second_path: bool = False
               ) -> Path:
    """A pack of findings f0 <- f1 <- ... each built on the one before (with
    `second_path`, a second rule per level, g<i>, adds to f<i> from f<i-1> too), and with
    `top`, a diagnosis on the last."""
    folder.mkdir()
    (folder / "vocabulary.yaml").write_text(
        "facts:\n  x.flag:\n    type: boolean\n    meaning: m\n    question: q?\n")
    source = "sources:\n  - citation: test\n"
    (folder / "f0.yaml").write_text("id: f0\nkind: finding\ntitle: F0\ndescription: d\n"
                                    f"certainty: 0.9\nwhen:\n  fact: x.flag\n  eq: true\n{source}")
    for i in range(1, depth):
        (folder / f"f{i}.yaml").write_text(
            f"id: f{i}\nkind: finding\ntitle: F{i}\ndescription: d\ncertainty: 0.9\n"
            f"when:\n  finding: f{i - 1}\n{source}")
        if second_path:
            (folder / f"g{i}.yaml").write_text(
                f"id: g{i}\nkind: finding\ntitle: G{i}\ndescription: d\ncertainty: 0.5\n"
                f"concludes: f{i}\nwhen:\n  any:\n    - finding: f{i - 1}\n"
                f"    - fact: x.flag\n      eq: false\n{source}")
    if top:
        (folder / "top.yaml").write_text(
            "id: top\nkind: diagnosis\ntitle: Top\ndescription: d\ncertainty: 0.9\n"
            f"severity: high\nwhen:\n  finding: f{depth - 1}\nremedies:\n  - id: r\n"
            f"    action: a\n    why: w\n{source}")
    return folder


def test_findings_chained_three_thousand_deep_are_refused(tmp_path) -> None:
    pack = chain_pack(tmp_path / "chain", 3000)
    assert_handled(csdiag("rules", "lint", pack, "--no-builtin-rules"), (1,),
                   "CSDIAG_MAX_CHAIN_DEPTH")
    assert_handled(csdiag("rules", "list", "--rules", pack, "--no-builtin-rules"), (2,),
                   "CSDIAG_MAX_CHAIN_DEPTH")


# --- commands given the wrong kind of path, and output that cannot be written ---------

@pytest.mark.parametrize("command", [["plan"], ["explain", "{}", "poor-hiring"],
                                     ["interview", "{}", "-o", "/tmp/x.yaml"]])
def test_a_folder_where_one_case_file_is_needed(command) -> None:
    args = [a.replace("{}", str(REPO / "cases")) for a in command]
    if command == ["plan"]:
        args.append(str(REPO / "cases"))
    assert_handled(csdiag(*args), (2,), "directory")


def test_interview_output_in_a_missing_folder_is_refused_before_the_first_question(
        tmp_path) -> None:
    run = csdiag("interview", "-o", tmp_path / "nowhere" / "x.yaml", stdin=b"no\n")
    assert_handled(run, (2,), "folder does not exist")
    assert "[" not in run.stdout  # no question was asked


def test_a_full_disk_is_a_message() -> None:
    run = csdiag("diagnose", NORTHWIND, stdout_path="/dev/full")
    assert_handled(run, (2,), "No space left on device")


def test_a_closed_pipe_ends_quietly() -> None:
    reader = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read(10)"],
                              stdin=subprocess.PIPE)
    assert reader.stdin is not None
    writer = subprocess.run([sys.executable, "-c", "from csdiag.cli import main; main()",
                             "diagnose", str(REPO / "cases"), "--format", "json"],
                            stdout=reader.stdin, stderr=subprocess.PIPE, timeout=30, cwd=REPO)
    reader.stdin.close()
    reader.wait(timeout=10)
    assert writer.returncode == 0 and b"Traceback" not in writer.stderr, writer.stderr


# --- broken packs are not run ---------------------------------------------------------

def test_a_pack_with_lint_errors_is_refused_by_diagnose(tmp_path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    for name in ("vocabulary.yaml", "contradictory.yaml"):
        shutil.copy(REPO / "tests" / "packs" / "broken" / name, pack / name)
    assert_handled(csdiag("rules", "lint", pack), (1,), "contradiction")
    assert_handled(csdiag("diagnose", NORTHWIND, "--rules", pack), (2,),
                   "contradictory.yaml:20:11", "not used")
    assert_handled(csdiag("rules", "test", pack), (2,), "not used")


def test_rules_test_on_a_pack_with_no_fixtures_fails(tmp_path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(MINI / "rules", pack)
    for fixture in pack.glob("*.test.yaml"):
        fixture.unlink()
    assert_handled(csdiag("rules", "test", pack, "--no-builtin-rules"), (1,), "no fixtures")


def test_the_memory_measure_reads_the_csdiag_process() -> None:
    # The 500 MB bound above is a check only if the measure is csdiag's own memory.
    run = csdiag("diagnose", NORTHWIND)
    assert 20 < run.peak_mb < 500
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > 0


# --- found by an adversarial review ---------------------------------------------------

@pytest.mark.parametrize("target", ["/dev/null", "/dev/full"])
def test_interview_never_replaces_a_device_with_a_file(target) -> None:
    run = csdiag("interview", "-o", target, stdin=b"y\nstop\n")
    assert_handled(run, (2,), "not a regular file")
    assert not Path(target).is_file()


def test_interview_writes_through_a_symlink_and_keeps_it(tmp_path) -> None:
    (tmp_path / "link.yaml").symlink_to(tmp_path / "target.yaml")
    assert_handled(csdiag("interview", "-o", tmp_path / "link.yaml",
                          stdin=b"unknown\nstop\n"), (0,))
    assert (tmp_path / "link.yaml").is_symlink() and (tmp_path / "target.yaml").is_file()


def test_a_closed_stdout_is_not_an_error() -> None:
    done = subprocess.run(f"'{sys.executable}' -c 'from csdiag.cli import main; main()' "
                          "facts >&-", shell=True, capture_output=True, cwd=REPO, timeout=30)
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr


def test_an_output_encoding_that_lacks_characters_is_not_an_error() -> None:
    done = subprocess.run([sys.executable, "-c", "from csdiag.cli import main; main()",
                           "diagnose", NORTHWIND], capture_output=True, cwd=REPO, timeout=30,
                          env={**os.environ, "PYTHONIOENCODING": "latin-1"})
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr


def test_raising_a_limit_as_the_hint_says_never_ends_in_a_crash(tmp_path) -> None:
    pack = chain_pack(tmp_path / "chain", 400, top=True)
    empty = case_file(tmp_path, "facts: {}\n")
    os.environ["CSDIAG_MAX_CHAIN_DEPTH"] = "99999"  # past the ceiling: held to it
    try:
        for command in (["diagnose", empty, "--format", "json"],
                        ["explain", empty, "top", "--format", "json"]):
            assert_handled(csdiag(*command, "--rules", pack, "--no-builtin-rules",
                                  stdout_path=str(tmp_path / "out.json")), (0,))
    finally:
        del os.environ["CSDIAG_MAX_CHAIN_DEPTH"]


def test_a_finding_used_twice_is_explained_once(tmp_path) -> None:
    # Two rules per level, each on the level below: every path through 30 levels is a
    # different way down (2**30), but each finding is explained once.
    pack = chain_pack(tmp_path / "diamond", 31, top=True, second_path=True)
    empty = case_file(tmp_path, "facts: {}\n")
    assert_handled(csdiag("explain", empty, "top", "--format", "json", "--rules", pack,
                          "--no-builtin-rules"), (0,))


@pytest.mark.parametrize("line", [b"why\n", b"\n"])
def test_endless_why_or_blank_lines_end_the_interview(tmp_path, line) -> None:
    run = csdiag("interview", "-o", tmp_path / "out.yaml", stdin=line * 5000)
    assert_handled(run, (0,), "left the question open", "Nothing left to ask")


def test_a_forty_megabyte_answer_line_is_skipped_not_held(tmp_path) -> None:
    run = csdiag("interview", "-o", tmp_path / "out.yaml",
                 stdin=b"1" * 40_000_000 + b"\nstop\n")
    assert_handled(run, (0,), "longer than 200 characters", "No answer was given")
    assert run.peak_mb < 100


def test_an_in_list_durable_rules_cannot_register_is_refused(tmp_path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(MINI / "rules", pack)
    values = ", ".join(f"v{i}" for i in range(700))
    vocabulary = pack / "vocabulary.yaml"
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8").replace(
        "cost_per_contact]", f"cost_per_contact, {values}]"), encoding="utf-8")
    rule = pack / "cost-staffing.yaml"
    rule.write_text(rule.read_text(encoding="utf-8").replace(
        "in: [budget_cap, cost_per_contact]", f"in: [budget_cap, {values}]"), encoding="utf-8")
    assert_handled(csdiag("rules", "lint", pack, "--no-builtin-rules"), (1,),
                   "too-many-values")
    assert_handled(csdiag("diagnose", MINI / "cases" / "all-known.yaml", "--rules", pack,
                          "--no-builtin-rules"), (2,), "not used")


def test_a_graded_range_wider_than_numbers_go_is_a_rule_error(tmp_path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(MINI / "rules", pack)
    with (pack / "vocabulary.yaml").open("a", encoding="utf-8") as vocabulary:
        vocabulary.write("  x.level:\n    type: number\n    unit: points\n"
                         "    meaning: m\n    question: q?\n")
    rule = pack / "untrained.yaml"
    rule.write_text(rule.read_text(encoding="utf-8").replace(
        "fact: training.new_hire_days\n      lt: 10\n      band: [5, 12]",
        "fact: x.level\n      falls: {from: 1.7e+308, to: -1.7e+308}"), encoding="utf-8")
    assert "x.level" in rule.read_text(encoding="utf-8")
    assert_handled(csdiag("rules", "lint", pack, "--no-builtin-rules"), (1, 2), "too wide")


def test_terminal_escape_sequences_in_a_case_never_reach_the_terminal(tmp_path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(HEADER.replace("Odd Ltd", '"\\e]0;retitled\\a Odd \\e[2J Ltd"')
                    + "facts: {}\n", encoding="utf-8")
    run = csdiag("diagnose", path)
    assert_handled(run, (0,), "retitled")
    assert "\x1b" not in run.stdout and "\x07" not in run.stdout
    explain = csdiag("explain", path, "\x1b[31mred")
    assert_handled(explain, (2,), "red")
    assert "\x1b" not in explain.stderr


def test_a_lone_surrogate_in_a_note_is_a_located_error(tmp_path) -> None:
    path = case_file(tmp_path, 'facts:\n  training.new_hire_days:\n    value: 30\n'
                     '    note: "\\ud83d"\n')
    # libyaml refuses the escape itself; the pure-Python parser reads it, and csdiag
    # refuses the value: either way a located message.
    assert_handled(csdiag("diagnose", path), (2,), "case.yaml:8:")


@pytest.mark.parametrize("options, phrase", [
    (["--op", "in", "--value", "[]"], "one or more values"),
    (["--op", "eq", "--value", "[entry_level]"], "not a list"),
    (["--op", "eq", "--value", "entry_level", "--category", "a\nb: ["], "lower-case word"),
])
def test_rules_new_refuses_a_bad_request_before_writing(tmp_path, options, phrase) -> None:
    run = csdiag("rules", "new", "x", "--folder", tmp_path / "mine", "--kind", "diagnosis",
                 "--title", "T", "--fact", "org.frontline_role_level", *options)
    assert_handled(run, (2,), phrase)
    assert not (tmp_path / "mine").exists()


def test_numbers_reach_durable_exactly_as_python_compares_them() -> None:
    import json as json_module

    from csdiag.engine.host import exact_json

    for value in (0, -0.0, 1.0, 1e-5, 1e16, 1.5e19, 1e21, 0.1, True, False, 12, 2**62, "x"):
        text = exact_json(value)
        assert "e" not in text.lower().replace("true", "").replace("false", ""), text
        back = json_module.loads(text)
        assert back == value and type(back) is type(value), (value, text)


@pytest.mark.parametrize("case_value, expected", [("1.5e+19", "fires"), ("9.0e+18", "ruled-out"),
                                                  ("1.0e+21", "fires"), ("0.00002", "fires"),
                                                  ("0.000005", "ruled-out")])
def test_the_engine_compares_very_large_and_small_numbers_right(tmp_path, case_value,
                                                                expected) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "vocabulary.yaml").write_text(
        "facts:\n  x.level:\n    type: number\n    unit: points\n    meaning: m\n"
        "    question: q?\n")
    threshold = "1.0e+19" if "e+" in case_value else "0.00001"
    (pack / "big.yaml").write_text(
        "id: big\nkind: diagnosis\ntitle: Big\ndescription: d\ncertainty: 0.9\n"
        f"severity: high\nwhen:\n  fact: x.level\n  gt: {threshold}\n  threshold: judgement\n"
        "remedies:\n  - id: r\n    action: a\n    why: w\nsources:\n  - citation: test\n")
    (pack / "big.test.yaml").write_text(
        f"rule: big\nfixtures:\n  - name: n\n    facts: {{x.level: {case_value}}}\n"
        f"    expect: {expected}\n")
    run = csdiag("rules", "test", pack, "--no-builtin-rules")
    assert_handled(run, (0,), "1 passed, 0 failed")


def test_the_console_entry_and_python_dash_m_run_csdiag() -> None:
    for command in ([sys.executable, "-m", "csdiag", "rules", "list"],
                    [sys.executable, "-c", "from csdiag.entry import main; main()", "facts"]):
        done = subprocess.run(command, capture_output=True, cwd=REPO, timeout=30)
        assert done.returncode == 0 and done.stdout, done.stderr


def test_a_value_typed_without_its_fact_reads_only_spelt_out_booleans() -> None:
    from csdiag import parse_value

    assert [parse_value(word) for word in ("yes", "No", "on", "off", "true")] == \
        [True, False, True, False, True]
    assert [parse_value(letter) for letter in ("y", "n", "t", "f")] == ["y", "n", "t", "f"]
    assert parse_value('["a, b", c, 12,5]') == ["a, b", "c", 12, 5]
