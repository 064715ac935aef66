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
from csdiag.api import Workspace

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
    modules = [m for m in _modules() if not m.startswith("csdiag.engine")]
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
        "except SystemExit: pass\n"
        "print('durable' in sys.modules, file=sys.stderr)\n"
        "print('durable_rules_engine' in sys.modules)")
    assert loaded.splitlines()[-1] == "False"


def test_the_cli_uses_only_what_the_library_exports() -> None:
    # Every csdiag name a CLI module imports is public: a documented module of the
    # package, never a private name.
    for path in (PACKAGE / "cli").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("csdiag"):
                assert not (node.module or "").startswith("csdiag.engine"), path
                private = [a.name for a in node.names
                           if a.name.startswith("_") and not a.name.startswith("__")]
                assert not private, f"{path.name} imports {private} from {node.module}"


def test_the_public_api_is_declared() -> None:
    assert (PACKAGE / "py.typed").exists()
    for name in csdiag.__all__:
        assert getattr(csdiag, name) is not None, name
    assert "Workspace" in csdiag.__all__ and "Status" in csdiag.__all__


def test_an_unexpected_exception_is_an_internal_error_in_one_line(monkeypatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("injected\nsecond line")

    monkeypatch.setattr(Workspace, "diagnose", broken)
    result = run_cli("diagnose", REPO / "cases" / "northwind-telecom.yaml", "--no-explanations")
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert result.stderr.count("\n") == 1, result.stderr
    assert "internal error (RuntimeError: injected)" in result.stderr
    assert "--debug" in result.stderr and "CSDIAG_DEBUG=1" in result.stderr


def test_debug_shows_the_traceback_of_an_internal_error(monkeypatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("injected")

    monkeypatch.setattr(Workspace, "diagnose", broken)
    case = REPO / "cases" / "northwind-telecom.yaml"
    with pytest.raises(RuntimeError, match="injected"):
        run_cli("--debug", "diagnose", case, "--no-explanations")
    monkeypatch.setenv("CSDIAG_DEBUG", "1")
    with pytest.raises(RuntimeError, match="injected"):
        run_cli("diagnose", case, "--no-explanations")


def test_a_crash_in_a_real_process_prints_no_traceback(tmp_path: Path) -> None:
    # Outside click's test runner: the installed entry point, with the failure injected
    # below the CLI (an engine that cannot run).
    code = ("import csdiag.api as api\n"
            "def broken(kb): raise MemoryError('injected')\n"
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
                 "3  an internal error"):
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
    # An edited copy is still its own pack: the edit is what gets checked.
    rule = next(copy.rglob("poor-hiring.yaml"))
    rule.write_text(rule.read_text(encoding="utf-8").replace("kind: diagnosis", "kind: oops"),
                    encoding="utf-8")
    edited = run_cli("rules", "lint", copy)
    assert edited.exit_code == 1, edited.output
    assert "poor-hiring.yaml" in edited.output and "duplicate" not in edited.output
