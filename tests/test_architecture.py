"""The shape the code promises: durable_rules stays behind the engine boundary, the CLI
uses only what the library exports, and one exit-code policy holds for every failure."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import csdiag
import csdiag.i18n
import csdiag.render
from csdiag.reason.diagnosis import Diagnoser

from conftest import REPO, run_cli

PACKAGE = REPO / "src" / "csdiag"


def _modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def test_only_the_engine_package_imports_durable_rules() -> None:
    outside = {str(path.relative_to(PACKAGE)): sorted(
        name for name in _imports(path) if name.split(".")[0] in ("durable",
                                                                   "durable_rules_engine"))
        for path in PACKAGE.rglob("*.py") if path.relative_to(PACKAGE).parts[0] != "engine"}
    assert {file: names for file, names in outside.items() if names} == {}


def _fresh_python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=REPO).stdout.strip()


def test_importing_everything_outside_the_engine_does_not_load_durable() -> None:
    modules = [m for m in _modules()
               if not m.startswith("csdiag.engine") and m != "csdiag.__main__"]  # it runs
    assert "csdiag.api" in modules and "csdiag.cli" in modules
    loaded = _fresh_python(
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('durable', 'durable_rules_engine')))")
    assert loaded == "[]"


@pytest.mark.parametrize("command", [["facts"], ["rules", "list"], ["schema", "case"],
                                     ["rules", "lint"], ["diagnose", "--help"]])
def test_commands_that_run_no_case_do_not_load_durable(command: list[str]) -> None:
    loaded = _fresh_python(
        "import sys\nfrom csdiag.cli import cli\n"
        f"try: cli.main({command!r}, prog_name='csdiag')\n"
        "except SystemExit as end: code = end.code\n"
        "print(code, sorted(m for m in sys.modules if m.split('.')[0] in "
        "('durable', 'durable_rules_engine')))")
    assert loaded.splitlines()[-1] == "0 []"


def test_the_cli_uses_only_what_the_library_exports() -> None:
    # Outside its own modules, the CLI imports only names that csdiag, csdiag.render or
    # csdiag.i18n declare in __all__: whatever a command needs, an embedder can have too.
    public = {"csdiag": set(csdiag.__all__), "csdiag.render": set(csdiag.render.__all__),
              "csdiag.i18n": set(csdiag.i18n.__all__)}
    for path in (PACKAGE / "cli").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                assert not [a.name for a in node.names if a.name.startswith("csdiag")], path
            if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith(
                    "csdiag") or (node.module or "").startswith(("csdiag.cli", "csdiag.entry")):
                continue
            assert node.module in public, f"cli/{path.name} imports from {node.module}"
            hidden = {a.name for a in node.names} - public[node.module] - {"__version__"}
            assert not hidden, f"cli/{path.name} imports {sorted(hidden)} from {node.module}"


# Each stage may import only its own package and those of earlier layers.
LAYERS = [{"i18n", "collector"}, {"formats", "model"}, {"engine"}, {"reason"},
          {"features", "authoring"},
          {"render"}, {"api", "workers", "__init__"}, {"cli", "entry", "__main__"}]


def test_each_stage_imports_only_the_stages_before_it() -> None:
    rank = {name: i for i, layer in enumerate(LAYERS) for name in layer}
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        stage = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        if stage not in rank:
            continue
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] != "csdiag" or len(parts) < 2 or parts[1] not in rank:
                continue
            if rank[parts[1]] > rank[stage]:
                wrong.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert wrong == []
    assert {p.name.removesuffix(".py") for p in PACKAGE.iterdir()
            if p.suffix == ".py" or (p.is_dir() and not p.name.startswith("_"))} \
        <= set(rank), "a new stage: place it in LAYERS"


def test_the_public_api_is_declared() -> None:
    assert (PACKAGE / "py.typed").exists()
    for name in csdiag.__all__:
        assert getattr(csdiag, name) is not None, name
    assert "Workspace" in csdiag.__all__ and "Status" in csdiag.__all__


def test_an_unexpected_exception_is_an_internal_error_in_one_line(monkeypatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("injected\nsecond line")

    monkeypatch.setattr(Diagnoser, "outcomes", broken)
    result = run_cli("diagnose", REPO / "cases" / "northwind-telecom.yaml", "--no-explanations")
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert result.stderr.count("\n") == 1, result.stderr
    assert "internal error (RuntimeError: injected)" in result.stderr
    assert "--debug" in result.stderr and "CSDIAG_DEBUG=1" in result.stderr


def test_debug_shows_the_traceback_of_an_internal_error_and_still_exits_3(monkeypatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("injected")

    monkeypatch.setattr(Diagnoser, "outcomes", broken)
    case = REPO / "cases" / "northwind-telecom.yaml"
    for args, env in ((("--debug",), None), ((), "1")):
        if env:
            monkeypatch.setenv("CSDIAG_DEBUG", env)
        result = run_cli(*args, "diagnose", case, "--no-explanations")
        assert result.exit_code == 3, result.output
        assert "Traceback" in result.stderr and "RuntimeError: injected" in result.stderr


def test_a_crash_in_a_real_process_prints_no_traceback(tmp_path: Path) -> None:
    # Outside click's test runner: the installed entry point, with the failure injected
    # below the CLI (an engine that cannot run).
    code = ("import csdiag.api as api\n"
            "def broken(*args): raise MemoryError('injected')\n"
            "api._new_runner = broken\n"
            "from csdiag.cli import main\n"
            "import sys; sys.argv = ['csdiag', 'diagnose', 'cases/northwind-telecom.yaml']\n"
            "main()")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO)
    assert result.returncode == 3
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert result.stderr.startswith("internal error (MemoryError: injected)")


def test_help_lists_the_exit_codes() -> None:
    text = run_cli("--help").output
    for line in ("0  the run worked", "1  a check you asked for failed", "2  a user error",
                 "3  an internal error", "130  stopped by Ctrl-C"):
        assert line in text


def test_a_copy_of_the_builtin_pack_is_checked_as_the_pack_it_is(tmp_path: Path) -> None:
    # What a rule writer meets first when copying the pack to edit it, and what
    # 'csdiag rules lint rules/' is on a regular (not editable) install: the folder is
    # not the installed pack, yet holds the same rules.
    copy = tmp_path / "my-pack"
    shutil.copytree(REPO / "rules", copy)
    lint = run_cli("rules", "lint", copy, "--strict")
    assert lint.exit_code == 0, lint.output
    assert "0 errors, 0 warnings" in lint.output and "duplicate" not in lint.output
    tests = run_cli("rules", "test", copy)
    assert tests.exit_code == 0, tests.output
    assert tests.output.splitlines()[-1].endswith(" passed, 0 failed")
    # Part of the pack (one area folder, or the pack less a rule) is checked on top of
    # the rest of it: its rules are the built-in ones, not duplicates of them.
    for part in (REPO / "rules" / "people", copy / "training"):
        assert run_cli("rules", "lint", part, "--strict").exit_code == 0, part
        assert run_cli("rules", "test", part).output.endswith(" passed, 0 failed\n"), part
    shutil.rmtree(copy / "training")
    assert run_cli("rules", "lint", copy).exit_code == 0
    # An edited copy is still its own pack: the edit is what gets checked.
    rule = next(copy.rglob("poor-hiring.yaml"))
    rule.write_text(rule.read_text(encoding="utf-8").replace("kind: diagnosis", "kind: oops"),
                    encoding="utf-8")
    edited = run_cli("rules", "lint", copy)
    assert edited.exit_code == 1, edited.output
    assert "poor-hiring.yaml" in edited.output and "duplicate" not in edited.output


def test_fixture_files_spell_a_rule_status_as_status_does() -> None:
    from typing import get_args

    from csdiag.formats.fixture import Outcome
    from csdiag.model.outcome import RULE_WORDS, Status

    assert get_args(Outcome) == RULE_WORDS
    assert [Status.from_rule_word(w).rule_word for w in RULE_WORDS] == list(RULE_WORDS)
