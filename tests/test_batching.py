"""Cases run in batches inside durable_rules, one case per session, or spread over worker
processes give the same report, case for case and in the same order."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import REPO, run_cli

sys.path.insert(0, str(REPO / "bench"))

from generate_pack import generate_cases, generate_pack, write_cases

CASES = 500


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batching")
    vocabulary = generate_pack(folder / "rules", 60, 60, 11)
    (folder / "cases").mkdir()
    write_cases(folder / "cases", generate_cases(vocabulary, CASES, 11))
    return folder


def _report(pack: Path, *options: str) -> dict[str, object]:
    result = run_cli("diagnose", pack / "cases", "--rules", pack / "rules",
                     "--no-builtin-rules", "--format", "json", "--no-explanations", *options)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    for case in report["cases"]:
        case["case"].pop("file", None)  # the same everywhere; kept out of the diff's way
    return report


def test_batched_per_case_and_worker_processes_agree(pack: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    batched = _report(pack, "--jobs", "1")
    cases = batched["cases"]
    assert isinstance(cases, list) and len(cases) == CASES
    # The pack must exercise what could go wrong between cases of one batch: findings
    # forwarded to later strata, and verdicts that differ from case to case.
    verdicts = {json.dumps(sorted(d["id"] for d in c["diagnoses"])) for c in cases}
    assert len(verdicts) > 50
    assert any(c["findings"] for c in cases)

    assert _report(pack, "--jobs", "2") == batched
    monkeypatch.setenv("CSDIAG_ENGINE_BATCH", "1")  # one case per durable session
    assert _report(pack, "--jobs", "1") == batched


def test_explanations_agree_between_batches_and_single_cases(
        pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from csdiag import Workspace

    files = sorted((pack / "cases").glob("*.yaml"))[:80]
    workspace = Workspace([pack / "rules"], builtin=False)
    together = [explained for _, explained in
                workspace.diagnose_each(files, explanations=True, jobs=1)]
    monkeypatch.setenv("CSDIAG_ENGINE_BATCH", "1")
    alone = Workspace([pack / "rules"], builtin=False)
    assert together == [explained for _, explained in
                        alone.diagnose_each(files, explanations=True, jobs=1)]


def test_results_leave_the_reader_in_its_own_language() -> None:
    # A Russian and a Chinese case, diagnosed together: each report is built in its
    # case's language, but the summary a batch ends with stays in the run's language.
    from csdiag import Workspace
    from csdiag.i18n import current_language

    cases = [REPO / "cases" / "volga-bank.yaml", REPO / "cases" / "hongyuan-logistics.yaml"]
    assert [(result.language, current_language())
            for result, _ in Workspace().diagnose_each(cases)] == [("ru", "en"), ("zh", "en")]
    text = run_cli("diagnose", *cases, REPO / "cases" / "northwind-telecom.yaml").stdout
    overall = text[text.index("OVERALL: 3 cases"):]
    assert "volga-bank: 5 diagnosed" in overall and "hongyuan-logistics: 1 diagnosed" in overall


@pytest.mark.parametrize("value", ["0", "65", "abc"])
def test_a_bad_batch_size_in_the_environment_is_a_user_error(
        value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSDIAG_ENGINE_BATCH", value)
    result = run_cli("diagnose", REPO / "cases" / "northwind-telecom.yaml")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"CSDIAG_ENGINE_BATCH: error: '{value}' is not a batch")
    assert "fix: set it to a whole number from 1 to 64" in result.stderr
