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


def test_explanations_do_not_depend_on_what_else_was_explained(pack: Path) -> None:
    # A finding many diagnoses rest on is explained once per case and shared between
    # their trees; each tree must still read as if it had been explained on its own.
    from csdiag import Workspace
    from csdiag.features.explain import Explainer

    workspace = Workspace([pack / "rules"], builtin=False)
    files = sorted((pack / "cases").glob("*.yaml"))[:40]
    nested = 0
    for case in workspace.load_cases(files):
        together = Explainer(workspace.diagnoser, case).explain_all()
        for conclusion, explanation in together.items():
            alone = Explainer(workspace.diagnoser, case).explain(conclusion)
            assert explanation == alone, (case.id, conclusion)
            nested += "finding=Explanation(" in repr(explanation.steps)
    assert nested > 100  # trees that embed findings, as the pack's three levels make


def test_the_garbage_collector_runs_between_results_and_is_put_back(pack: Path) -> None:
    # csdiag pauses the collector while it works, never while the caller holds a result;
    # while a batch is iterated the collector runs less often, and afterwards as before.
    import gc

    from csdiag import Workspace

    files = sorted((pack / "cases").glob("*.yaml"))[:20]
    workspace = Workspace([pack / "rules"], builtin=False)
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        for explanations in (False, True):
            seen = [(gc.isenabled(), gc.get_threshold()[0]) for _ in workspace.diagnose_each(
                files, explanations=explanations, jobs=1)]
            assert seen == [(True, 50_000)] * len(files)
            assert gc.get_threshold() == (700, 10, 10)
        # Two batches iterated in turn: the threshold is put back when the last ends.
        first = workspace.diagnose_each(files[:2], jobs=1)
        second = workspace.diagnose_each(files[2:4], jobs=1)
        next(first), next(second)
        list(first)
        assert gc.get_threshold()[0] == 50_000
        list(second)
        assert gc.get_threshold() == (700, 10, 10)
        # A threshold the caller sets meanwhile is theirs; 0 (collection off) is kept.
        batch = workspace.diagnose_each(files[:2], jobs=1)
        next(batch)
        gc.set_threshold(1000, 10, 10)
        list(batch)
        assert gc.get_threshold() == (1000, 10, 10)
        gc.set_threshold(0)
        assert [gc.get_threshold()[0] for _ in workspace.diagnose_each(
            files[:2], jobs=1)] == [0, 0]
    finally:
        gc.set_threshold(*before)


_NESTED_PACK = {
    "vocabulary.yaml": """
facts:
  ops.a:
    type: boolean
    meaning: A holds.
    question: Does A hold?
  ops.b:
    type: boolean
    meaning: B holds.
    question: Does B hold?
""",
    "inner.yaml": """
id: inner
kind: finding
title: Inner
description: A holds.
certainty: 0.9
when: {fact: ops.a, eq: true}
sources: [{citation: "Test pack"}]
""",
    "outer.yaml": """
id: outer
kind: finding
title: Outer
description: Inner, and B.
certainty: 0.9
when:
  all:
    - finding: inner
    - {fact: ops.b, eq: true}
sources: [{citation: "Test pack"}]
""",
    "d1-outer.yaml": """
id: d1-outer
kind: diagnosis
title: One
description: Outer.
category: test
severity: high
certainty: 0.9
when: {finding: outer}
remedies: [{id: fix-one, action: Fix it., why: It helps., effort: low, horizon: weeks,
            owner: operations}]
sources: [{citation: "Test pack"}]
""",
    "d2-both.yaml": """
id: d2-both
kind: diagnosis
title: Two
description: Outer, and inner again.
category: test
severity: high
certainty: 0.9
when:
  all:
    - finding: outer
    - finding: inner
remedies: [{id: fix-two, action: Fix it., why: It helps., effort: low, horizon: weeks,
            owner: operations}]
sources: [{citation: "Test pack"}]
""",
}


def test_a_shared_finding_still_marks_what_it_expanded(tmp_path: Path) -> None:
    # d2's tree meets 'outer' (already explained for d1's tree) and then 'inner', which
    # 'outer' embeds: 'inner' must appear once in d2's tree, its second mention an id.
    from csdiag import Workspace
    from csdiag.features.explain import Explainer
    from csdiag.formats.case import Case, KnownFact

    for name, text in _NESTED_PACK.items():
        (tmp_path / name).write_text(text.lstrip(), encoding="utf-8")
    workspace = Workspace([tmp_path], builtin=False)
    case = Case(id="c", organisation="O", date="2026-11-01", assessor="T", file="c.yaml",
                facts={"ops.a": KnownFact(True), "ops.b": KnownFact(True)})
    together = Explainer(workspace.diagnoser, case).explain_all()
    assert together["d2-both"] == Explainer(workspace.diagnoser, case).explain("d2-both")
    conditions = together["d2-both"].steps[0].conditions
    assert [(c.finding_id, c.finding is not None) for c in conditions] == [
        ("outer", True), ("inner", False)]


def test_each_explanation_in_the_json_is_that_entry_explained_alone(pack: Path) -> None:
    # The JSON of a case shares the data of a finding embedded in several trees; each
    # entry must still read as `csdiag explain` gives that entry on its own.
    from csdiag import Workspace
    from csdiag.features.explain import Explainer
    from csdiag.render.explanation import explanation_data
    from csdiag.render.json_report import case_data

    workspace = Workspace([pack / "rules"], builtin=False)
    files = sorted((pack / "cases").glob("*.yaml"))[:25]
    checked = 0
    for result, explained in workspace.diagnose_each(files, explanations=True, jobs=1):
        data = json.loads(json.dumps(case_data(result, explained)))
        for group in ("diagnoses", "weak_signals", "undetermined", "ruled_out"):
            for entry in data[group]:
                alone = Explainer(workspace.diagnoser, result.case).explain(entry["id"])
                assert entry["explanation"] == json.loads(json.dumps(
                    explanation_data(alone))), (result.case.id, entry["id"])
                checked += 1
    assert checked > 200
