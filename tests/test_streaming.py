"""Batches are diagnosed and written one case at a time, and say the same as the
whole-report renderers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from csdiag import Workspace, __version__
from csdiag.reason.portfolio import portfolio_of
from csdiag.render import STREAMS, render_json, render_markdown, render_text
from csdiag.render.json_report import FORMAT_VERSION, case_data
from csdiag.render.json_text import indented
from csdiag.render.portfolio import portfolio_data

from conftest import REPO, run_cli

CASES = REPO / "cases"


@pytest.fixture(scope="module")
def workspace() -> Workspace:
    return Workspace()


def _streamed(name: str, pairs: list) -> str:
    stream = STREAMS[name]()
    return stream.start() + "".join(stream.case(r, e) for r, e in pairs) + stream.end()


@pytest.mark.parametrize("count", [0, 1, 5])
def test_the_streamed_reports_are_whole_and_well_formed(workspace, count) -> None:
    files = list(workspace.check_cases([CASES]))[:count]
    plain = list(workspace.diagnose_each(files))
    explained = list(workspace.diagnose_each(files, explanations=True))
    results = [r for r, _ in plain]
    # JSON assembled piece by piece is the document json.dumps would write.
    portfolio = ({"portfolio": json.loads(json.dumps(portfolio_data(
        portfolio_of([r for r, _ in explained]), "en")))} if count > 1 else {})
    assert json.loads(_streamed("json", explained)) == {
        "csdiag_version": __version__, "format_version": FORMAT_VERSION,
        "cases": [json.loads(json.dumps(case_data(r, e))) for r, e in explained],
        "summary": {"cases": count,
                    "cases_with_diagnoses": sum(1 for r in results if r.diagnoses)},
        **portfolio}
    assert _streamed("json", explained) == render_json(
        [r for r, _ in explained], [e for _, e in explained])
    # Byte for byte: each case is indented where it sits, as one dump of it all writes it.
    streamed = _streamed("json", explained)
    assert streamed == indented(json.loads(streamed))
    text = _streamed("text", plain)
    assert text == render_text(results) and text.endswith("\n")
    assert text.count("=" * 88) == (count if count > 1 else 0)  # between cases, then summary
    assert ("OVERALL: " in text) == (count > 1)
    summary = text.rpartition("OVERALL: ")[2]
    for result in results if count > 1 else []:
        assert f"  {result.case.id}: " in summary
    markdown = _streamed("markdown", plain)
    assert markdown == render_markdown(results)
    assert markdown.count("\n---\n") == max(count - 1, 0)
    lines = _streamed("jsonl", plain).splitlines()
    assert [json.loads(line)["case"]["id"] for line in lines] == [r.case.id for r in results]


def test_the_text_summary_names_a_thousand_cases_then_counts(workspace) -> None:
    (case,) = workspace.load_cases([CASES / "evergreen-outfitters.yaml"])
    result = workspace.diagnose(case)
    stream = STREAMS["text"]()
    for _ in range(1_002):
        stream.case(result)
    end = stream.end()
    assert "OVERALL: 1002 cases" in end and "… 2 more cases" in end
    assert end.count(f"  {case.id}: ") == 1_000


def test_jsonl_gives_one_object_per_case_as_json_gives_its_cases(tmp_path: Path) -> None:
    jsonl = run_cli("diagnose", CASES, "--format", "jsonl", "--no-explanations")
    whole = json.loads(run_cli("diagnose", CASES, "--format", "json",
                               "--no-explanations").output)
    assert jsonl.exit_code == 0
    assert [json.loads(line) for line in jsonl.output.splitlines()] == whole["cases"]


def test_a_bad_file_in_a_batch_stops_it_before_anything_is_written(tmp_path: Path) -> None:
    for case in CASES.glob("*.yaml"):
        shutil.copy(case, tmp_path / case.name)
    (tmp_path / "zz-broken.yaml").write_text("case: [\n", encoding="utf-8")
    result = run_cli("diagnose", tmp_path, "--format", "json")
    assert result.exit_code == 2 and result.stdout == ""
    assert "zz-broken.yaml:2:1" in result.stderr
    bad_setting = run_cli("diagnose", tmp_path / "northwind-telecom.yaml", "--format", "json",
                          "--set", "training.new_hire_days=lots")
    assert bad_setting.exit_code == 2 and bad_setting.stdout == ""
