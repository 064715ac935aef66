"""A short run starts fast: a command loads only what it uses, and a rule pack read and
compiled once is kept in the cache folder until one of its files changes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from csdiag import Workspace
from csdiag.engine import compile as compiler
from csdiag.engine import pack_cache

from conftest import MINI, REPO, TESTS, run_cli

HEAVY = ("durable", "durable_rules_engine", "jinja2", "pygal", "weasyprint")


def _loaded_by(arguments: list[str]) -> tuple[int, set[str]]:
    """The exit code of a csdiag command run in a fresh Python, and the top-level
    packages it imported."""
    code = ("import sys\nfrom csdiag.cli import cli\n"
            f"try: cli.main({arguments!r}, prog_name='csdiag')\n"
            "except SystemExit as end: code = end.code\n"
            "print(code, ' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=REPO)
    status, modules = done.stdout.splitlines()[-1].split(" ", 1)
    return int(status), set(modules.split())


@pytest.mark.parametrize("arguments", [
    ["facts"], ["rules", "list"], ["schema", "case"], ["rules", "new", "--help"],
    ["validate", "cases/northwind-telecom.yaml"], ["--help"], ["diagnose", "--help"],
])
def test_commands_that_run_no_case_load_neither_engine_nor_report_libraries(
        arguments: list[str]) -> None:
    status, modules = _loaded_by(arguments)
    assert status == 0
    assert modules.isdisjoint(HEAVY), sorted(modules & set(HEAVY))


def test_diagnosing_a_few_cases_as_text_loads_no_worker_or_document_library() -> None:
    # Worker processes start only for many files; Jinja2 only for HTML and PDF.
    status, modules = _loaded_by(["diagnose", "cases/northwind-telecom.yaml",
                                  "cases/volga-bank.yaml", "--jobs", "2"])
    assert status == 0
    assert "durable" in modules
    assert modules.isdisjoint({"multiprocessing", "concurrent", "jinja2", "pygal",
                               "weasyprint"}), modules


def test_the_version_loads_no_library_at_all() -> None:
    status, modules = _loaded_by(["--version"])
    assert status == 0
    assert modules.isdisjoint({*HEAVY, "pydantic", "yaml", "babel"}), modules


# --- the pack cache -----------------------------------------------------------------


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(pack_cache.NO_CACHE_VARIABLE, raising=False)
    return tmp_path / "cache" / "csdiag" / "packs"


def _list(rules: Path) -> str:
    result = run_cli("rules", "list", "--rules", rules, "--no-builtin-rules")
    assert result.exit_code == 0, result.output
    return result.output


def _diagnose(rules: Path) -> str:
    result = run_cli("diagnose", MINI / "cases" / "all-known.yaml", "--rules", rules,
                     "--no-builtin-rules")
    assert result.exit_code == 0, result.output
    return result.output


def _never(what: str) -> Any:
    def called(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"{what} again, with the cache warm")

    return called


def test_a_second_run_neither_reads_nor_compiles_the_rules(
        cache: Path, mini_rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listed, report = _list(mini_rules), _diagnose(mini_rules)
    monkeypatch.setattr(pack_cache, "load_knowledge_base", _never("read the rule files"))
    monkeypatch.setattr(compiler, "compile_knowledge_base", _never("compiled the rules"))
    assert _list(mini_rules) == listed
    assert _diagnose(mini_rules) == report


def test_a_warm_cache_skips_the_lint_check_of_a_clean_pack_only(
        cache: Path, mini_rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import csdiag.authoring.lint as lint

    report = _diagnose(mini_rules)
    # A pack that passed and was compiled is not linted again while it is unchanged...
    monkeypatch.setattr(lint, "rule_errors", _never("linted the rules"))
    assert _diagnose(mini_rules) == report
    monkeypatch.undo()
    # ... but a pack with lint errors is refused on every run, cache or not.
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache.parent.parent))
    (mini_rules / "contradictory.yaml").write_text(
        (TESTS / "packs" / "broken" / "contradictory.yaml").read_text(encoding="utf-8"),
        encoding="utf-8")
    for _ in range(2):
        result = run_cli("diagnose", MINI / "cases" / "all-known.yaml", "--rules",
                         mini_rules, "--no-builtin-rules")
        assert result.exit_code == 2 and "it has lint errors" in result.stderr


def test_a_changed_rule_file_is_read_again(cache: Path, mini_rules: Path) -> None:
    assert "New hires are not trained" in _list(mini_rules)
    rule = mini_rules / "untrained.yaml"
    # The same size, and maybe the same second: only the bytes tell the change.
    rule.write_text(rule.read_text(encoding="utf-8").replace(
        "title: New hires are not trained", "title: New hires are not TRAINED"),
        encoding="utf-8")
    listed = _list(mini_rules)
    assert "New hires are not TRAINED" in listed and "are not trained" not in listed


def test_a_new_rule_file_is_read(cache: Path, mini_rules: Path) -> None:
    _list(mini_rules)
    rule = (mini_rules / "untrained.yaml").read_text(encoding="utf-8")
    (mini_rules / "untrained-again.yaml").write_text(
        rule.replace("id: untrained", "id: untrained-again"), encoding="utf-8")
    assert "untrained-again" in _list(mini_rules)


def test_a_damaged_cache_is_ignored_and_made_again(cache: Path, mini_rules: Path) -> None:
    report = _diagnose(mini_rules)
    files = sorted(cache.iterdir())
    assert [f.name.split("-")[0] for f in files] == ["pack", "rulesets"]
    pack, rulesets = files
    pack.write_bytes(b"not a pickle at all")
    rulesets.write_bytes(rulesets.read_bytes()[:200])  # the right first line, then cut
    assert _diagnose(mini_rules) == report
    assert pack.read_bytes().startswith(b"csdiag rule pack cache")  # written anew
    assert len(rulesets.read_bytes()) > 200


def test_a_cache_others_may_write_is_not_read(
        cache: Path, mini_rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listed = _list(mini_rules)
    cache.chmod(0o777)  # anyone could have put a file there now
    real, read = pack_cache.load_knowledge_base, []

    def counted(folders: list[Path]) -> Any:
        read.append(folders)
        return real(folders)

    monkeypatch.setattr(pack_cache, "load_knowledge_base", counted)
    assert _list(mini_rules) == listed
    assert read, "a pack from a folder anyone may write was used"


def test_a_cache_that_cannot_be_written_never_stops_a_run(
        tmp_path: Path, mini_rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert "untrained" in _diagnose(mini_rules)
    assert "untrained" in _diagnose(mini_rules)


def test_csdiag_no_cache_keeps_nothing(cache: Path, mini_rules: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pack_cache.NO_CACHE_VARIABLE, "1")
    _diagnose(mini_rules)
    assert not cache.exists()


def test_a_pack_with_errors_is_never_kept(cache: Path, mini_rules: Path) -> None:
    (mini_rules / "broken.yaml").write_text("id: broken\nkind: diagnosis\n", encoding="utf-8")
    for _ in range(2):
        result = run_cli("rules", "list", "--rules", mini_rules, "--no-builtin-rules")
        assert result.exit_code == 2 and "broken.yaml" in result.stderr
    assert not cache.exists() or not list(cache.iterdir())


def test_the_cache_follows_the_limits_set_in_the_environment(
        cache: Path, mini_rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _list(mini_rules)  # kept under the default limits
    monkeypatch.setenv("CSDIAG_MAX_YAML_DEPTH", "2")  # no rule file fits in it
    result = run_cli("rules", "list", "--rules", mini_rules, "--no-builtin-rules")
    assert result.exit_code == 2 and "limit" in result.stderr


def test_the_cache_stays_the_users_own(cache: Path, mini_rules: Path) -> None:
    _list(mini_rules)
    assert cache.stat().st_mode & 0o077 == 0
    assert all(f.stat().st_mode & 0o077 == 0 for f in cache.iterdir())
    assert os.listdir(cache) and not [f for f in os.listdir(cache) if f.endswith(".tmp")]


def test_rules_changed_in_memory_leave_nothing_in_the_cache(cache: Path,
                                                          mini_rules: Path) -> None:
    case = MINI / "cases" / "all-known.yaml"
    with Workspace([mini_rules], builtin=False) as edited:
        del edited.kb.rules["untrained"], edited.kb.strata["untrained"]
        (loaded,) = edited.load_cases([case])
        assert "untrained" not in [c.rule.id for c in edited.diagnose(loaded).diagnoses]
    with Workspace([mini_rules], builtin=False) as fresh:
        (loaded,) = fresh.load_cases([case])
        assert "untrained" in [c.rule.id for c in fresh.diagnose(loaded).diagnoses]


def test_every_renderer_declared_can_be_had() -> None:
    # The renderers are imported on first use: each name csdiag.render declares must
    # still lead to its module.
    import csdiag.render

    for name in csdiag.render.__all__:
        assert getattr(csdiag.render, name) is not None, name
    assert sorted(dir(csdiag.render)) == sorted(csdiag.render.__all__)


@pytest.mark.parametrize("checked", [True, False])
def test_a_short_run_reads_each_case_file_once(monkeypatch: pytest.MonkeyPatch,
                                               checked: bool) -> None:
    # The check before the run reads every file; the first few are kept for the run.
    from csdiag.formats import case as case_format

    read: list[str] = []
    original = case_format.read_yaml

    def counted(path: Path) -> Any:
        read.append(Path(path).name)
        return original(path)

    monkeypatch.setattr(case_format, "read_yaml", counted)
    cases = sorted((REPO / "cases").glob("*.yaml"))
    if checked:  # the command: a survey of the files, then the run
        result = run_cli("diagnose", *cases, "--format", "jsonl", "--jobs", "1")
        assert result.exit_code == 0, result.output
        assert len(result.stdout.splitlines()) == len(cases)
    else:  # the library: diagnose_each checks the paths it is given itself
        results = list(Workspace().diagnose_each(cases, jobs=1))
        assert [r.case.file for r, _ in results] == [str(path) for path in cases]
    assert sorted(read) == sorted(path.name for path in cases)


def test_cases_checked_against_other_rules_are_read_again(tmp_path: Path) -> None:
    # A survey made by one workspace hands its cases to another only if both read them
    # against the same vocabulary: the mini pack does not know Northwind's facts.
    from csdiag.formats.errors import UserError

    northwind = REPO / "cases" / "northwind-telecom.yaml"
    survey = Workspace().survey_cases([northwind])
    assert survey.files.kept.cases  # the built-in workspace kept it
    mini = Workspace([MINI / "rules"], builtin=False)
    with pytest.raises(UserError, match="unknown fact"):
        list(mini.diagnose_each(survey.files, checked=True))


def test_the_command_line_collects_at_the_library_s_batch_threshold() -> None:
    # cli/__init__.py may not import csdiag.collector, so it writes the number itself.
    from csdiag.collector import BATCH_THRESHOLD

    code = ("import gc, sys\nfrom csdiag.cli import main\nsys.argv = ['csdiag', '--version']\n"
            "try: main()\nexcept SystemExit: pass\nprint(gc.get_threshold()[0])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=REPO)
    assert int(done.stdout.splitlines()[-1]) == BATCH_THRESHOLD
