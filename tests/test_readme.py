"""The README shows real output: each sample block is what the command prints today
(lines cut with '…' aside), and each example command in it runs."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from csdiag.cli import cli

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
SAMPLE = re.compile(r"<!-- sample-output: (.+?) -->\n```text\n(.*?)\n```\n<!-- /sample-output -->",
                    re.S)
SAMPLES = SAMPLE.findall(README)


def run_in(folder: Path, command: str, answers: list[str] | None = None) -> str:
    """Run a README command line from a folder that holds the example cases."""
    args = shlex.split(command)
    assert args[0] == "csdiag", command
    stdin = "".join(f"{a}\n" for a in answers) if answers is not None else None
    result = CliRunner().invoke(cli, args[1:], input=stdin, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def in_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for folder in ("cases", "examples"):
        (tmp_path / folder).symlink_to(REPO / folder, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_readme_has_its_samples() -> None:
    commands = [command.split()[1] for command, _ in SAMPLES]
    assert commands == ["diagnose", "diagnose", "explain", "explain", "plan", "interview",
                        "diagnose", "diagnose"]
    assert SAMPLES[1][0].count(".yaml") > 1  # the portfolio of several cases
    assert "--lang zh" in SAMPLES[6][0] and "--lang ru" in SAMPLES[7][0]


@pytest.mark.parametrize(("command", "sample"), SAMPLES, ids=[c for c, _ in SAMPLES])
def test_each_sample_is_what_the_command_prints(in_workspace: Path, command: str,
                                               sample: str) -> None:
    command, _, answers = command.partition(" | answers: ")
    output = run_in(in_workspace, command, answers.split(", ") if answers else None)
    printed = [line.rstrip() for line in output.splitlines()]
    position = 0
    for line in (line.rstrip() for line in sample.splitlines()):
        if line.strip() == "…":
            continue  # a cut: the sample skips lines here
        assert line in printed[position:], f"README sample of '{command}' is stale at: {line!r}"
        position = printed.index(line, position) + 1


def _example_commands() -> list[str]:
    """Every csdiag command line of the README's sh blocks, as a newcomer would type it
    after the set-up command (pipes, redirections and the interview included)."""
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", README, re.S):
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith(("csdiag ", "git ", "cat ")) and "csdiag" in line:
                lines.append(line)
    return lines


def test_the_example_commands_run(in_workspace: Path) -> None:
    commands = _example_commands()
    assert any("rules new" in c for c in commands) and any("explain" in c for c in commands)
    assert any("|" in c for c in commands) and any("interview" in c for c in commands)
    # Run by a shell as written, in order ('rules new' writes the folder 'rules lint'
    # reads), with 'csdiag' the installed command; pipefail, so a failure before a pipe
    # is not hidden by the command after it. Nobody types: standard input is empty.
    environment = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    for command in commands:
        done = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=in_workspace,
                              env=environment, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}{done.stderr}"


def test_ci_runs_exactly_the_readmes_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    command = ci[-1]
    assert command.startswith("python3 -m venv .venv && ") and "pytest" in command
    assert f"```sh\n{command}\n```" in README


def test_no_document_points_outside_the_repository() -> None:
    """A clone holds only the repository: '../shared/…' and the like are dead links there."""
    documents = [REPO / "README.md", REPO / "rules" / "README.md", REPO / "bench" / "README.md",
                 *sorted((REPO / "docs").rglob("*.md"))]
    outside = [f"{doc.relative_to(REPO)}: {target}" for doc in documents
               for target in re.findall(r"\]\((\.\./[^)#\s]+)", doc.read_text(encoding="utf-8"))
               if not (doc.parent / target).resolve().is_relative_to(REPO)]
    outside += [f"{doc.relative_to(REPO)}: ../shared" for doc in documents
                if "../shared" in doc.read_text(encoding="utf-8")]
    assert outside == []
