"""A run over several cases ends with a portfolio (the causes most often diagnosed, the
facts most often missing, the cases ranked by severity-weighted certainty) in every
format but JSON Lines; --keep-going diagnoses the good files of a batch with bad ones;
two files of one case on one date are warned of."""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

from csdiag import CaseResult, Workspace
from csdiag.reason.portfolio import PortfolioBuilder, portfolio_of
from csdiag.reason.severity import severity_weighted
from csdiag.render import STREAMS

from conftest import REPO, run_cli

CASES = REPO / "cases"
HONGYUAN = CASES / "hongyuan-logistics.yaml"  # language: zh
VOLGA = CASES / "volga-bank.yaml"  # language: ru


@pytest.fixture(scope="module")
def results() -> list[CaseResult]:
    with Workspace() as workspace:
        return [r for r, _ in workspace.diagnose_each([CASES])]


@pytest.fixture(scope="module")
def most_frequent(results) -> tuple[str, int]:
    """The cause diagnosed in the most cases, counted here independently."""
    counts = Counter(c.rule.id for r in results for c in r.diagnoses)
    (cause, count), = [item for item in counts.most_common(1)]
    assert count >= 3, counts  # a cause shared by several cases, or the test means little
    return cause, count


def test_the_portfolio_counts_causes_missing_facts_and_ranks_cases(results,
                                                                  most_frequent) -> None:
    portfolio = portfolio_of(results)
    total = len(results)
    assert (portfolio.cases, portfolio.skipped) == (total, 0)
    assert portfolio.with_diagnoses == sum(1 for r in results if r.diagnoses)
    # Causes: most often diagnosed first, with their count, share and mean certainty.
    cause, count = most_frequent
    first = portfolio.causes[0]
    assert (first.id, first.cases, first.share) == (cause, count, round(count / total, 4))
    certainties = [c.certainty for r in results for c in r.diagnoses if c.rule.id == cause]
    assert first.mean_certainty == pytest.approx(sum(certainties) / count, abs=1e-4)
    counts = [c.cases for c in portfolio.causes]
    assert counts == sorted(counts, reverse=True)
    # Facts missing: the questions of the most cases first, with their question.
    missing = Counter(q.fact for r in results for q in r.questions)
    shared = portfolio.missing[0]
    assert shared.cases == max(missing.values()) >= 3
    assert missing[shared.fact] == shared.cases
    with Workspace() as workspace:
        assert str(shared.question) == str(workspace.fact(shared.fact).question)
    # Ranking: severity weight × certainty summed over the diagnoses and weak signals
    # (partial ones included), worst first.
    scores = {(r.case.file): sum(c.rule.severity_weight * c.certainty
                                 for c in [*r.diagnoses, *r.weak_signals, *r.partial_signals()])
              for r in results}
    ranked = [s.file for s in portfolio.ranking]
    assert sorted(ranked) == sorted(scores)
    assert [scores[f] for f in ranked] == sorted(scores.values(), reverse=True)
    worst = max(results, key=severity_weighted)
    assert portfolio.ranking[0].file == worst.case.file
    assert portfolio.ranking[0].top == (worst.diagnoses[0].rule.id, worst.diagnoses[0].certainty)
    assert portfolio.ranking[-1].top is None  # a case with no diagnosis ranks last


def test_a_long_batch_keeps_only_the_worst_cases_for_the_ranking(results) -> None:
    builder = PortfolioBuilder(ranked=3)
    for _ in range(10):
        for result in results:
            builder.add(result)
            assert len(builder.kept) <= 2 * 3  # memory does not grow with the cases
    portfolio = builder.portfolio()
    assert portfolio.cases == 10 * len(results) and len(portfolio.ranking) == 3
    assert portfolio.unranked == 10 * len(results) - 3
    worst = max(results, key=severity_weighted)
    assert {s.case_id for s in portfolio.ranking} == {worst.case.id}
    assert portfolio.causes == portfolio_of(results * 10).causes


def test_the_text_report_ends_with_the_portfolio(results, most_frequent) -> None:
    result = run_cli("diagnose", CASES)
    assert result.exit_code == 0, result.output
    overall = result.stdout.rpartition("OVERALL: ")[2]
    portfolio = overall[overall.index("PORTFOLIO: "):]
    assert f"PORTFOLIO: what the {len(results)} cases have in common" in portfolio
    cause, count = most_frequent
    causes = portfolio[:portfolio.index("Facts most often missing")]
    assert re.search(rf"1\. .*\[{cause}\]\n\s+diagnosed in {count} of {len(results)} cases",
                     causes), causes
    assert "Facts most often missing (the questions to ask in every case):\n  1. " in portfolio
    ranking = portfolio[portfolio.index("Cases by severity-weighted certainty"):]
    worst = max(results, key=severity_weighted)
    assert ranking.index(f"1. {worst.case.id} (") < ranking.index(" no diagnosis")
    assert "skipped" not in portfolio


def test_one_case_has_no_portfolio() -> None:
    for output_format in ("text", "markdown", "json", "html"):
        output = run_cli("diagnose", HONGYUAN, "--format", output_format).stdout
        assert "PORTFOLIO" not in output and "Portfolio" not in output, output_format
        assert '"portfolio"' not in output and 'class="portfolio"' not in output


def test_markdown_ends_with_a_portfolio_section(results, most_frequent) -> None:
    output = run_cli("diagnose", CASES, "--format", "markdown").stdout
    assert output.count("## Portfolio") == 1
    section = output[output.index("## Portfolio"):]
    assert "\n# " not in section  # at the end: no case follows it
    cause, count = most_frequent
    assert re.search(rf"\n\| 1 \| .* \(`{cause}`\) \| {count} of {len(results)} cases \|",
                     section), section
    assert "### Facts most often missing" in section
    worst = max(results, key=severity_weighted)
    assert f"| 1 | `{worst.case.id}` |" in section


def test_json_has_a_portfolio_and_jsonl_has_none(results, most_frequent) -> None:
    data = json.loads(run_cli("diagnose", CASES, "--format", "json",
                              "--no-explanations").stdout)
    assert data["format_version"] == 5
    portfolio = data["portfolio"]
    assert portfolio["cases"] == len(data["cases"]) == len(results)
    assert portfolio["skipped_files"] == 0 and portfolio["language"] == "en"
    cause, count = most_frequent
    assert portfolio["causes"][0]["id"] == cause and portfolio["causes"][0]["cases"] == count
    assert set(portfolio["missing_facts"][0]) == {"fact", "question", "cases", "share"}
    ranking = portfolio["ranking"]
    assert [r["score"] for r in ranking] == sorted((r["score"] for r in ranking), reverse=True)
    worst = max(results, key=severity_weighted)
    assert ranking[0]["case"] == worst.case.id
    assert ranking[0]["top_diagnosis"]["id"] == worst.diagnoses[0].rule.id
    lines = run_cli("diagnose", CASES, "--format", "jsonl", "--no-explanations")
    cases = [json.loads(line) for line in lines.stdout.splitlines()]
    assert len(cases) == len(results) and all("portfolio" not in c for c in cases)
    assert STREAMS["jsonl"]().gathered is None  # nothing is kept of a JSON Lines batch


def test_html_has_the_portfolio_and_a_heat_map_of_cases_by_causes(results) -> None:
    html = run_cli("diagnose", CASES, "--format", "html").stdout
    toc, portfolio, main = html.index('<nav class="toc">'), \
        html.index('<section class="portfolio"'), html.index("<main>")
    assert toc < portfolio < main  # after the table of contents, before the cases
    section = html[portfolio:main]
    heat = section[section.index('<section class="heat-map"'):]
    tables = heat.count('<table class="heat">')
    # Every cause diagnosed or a weak signal in some case has a column.
    causes = {c.rule.id for r in results for c in r.diagnoses + r.weak_signals}
    causes |= {u.rule.id for r in results for u in r.partial_signals()}
    assert heat.count('<th scope="col" title=') == len(causes)
    assert tables == -(-len(causes) // 16)
    # A row per case in each table, linked to its section.
    assert heat.count('<tr class="heat-row">') == len(results) * tables
    for number in range(1, len(results) + 1):
        assert heat.count(f'<a href="#c{number}">') == tables
    # Each cell holds its certainty: bold when diagnosed, in brackets when weak.
    worst = max(results, key=severity_weighted)
    row = heat[heat.index(f"<code>{worst.case.id}</code>"):]
    row = row[:row.index("</tr>")]
    assert re.search(r'<td class="heat-[1-5]" title="[^"]+"><strong>\d\.\d\d</strong></td>', row)
    assert re.search(r'<td class="heat-[1-5]" title="[^"]+">\(\d\.\d\d\)</td>', heat)
    assert "print-color-adjust: exact" in html  # the shades print


@pytest.mark.parametrize("language", ["zh", "ru"])
def test_the_portfolio_speaks_the_language_in_use(language: str) -> None:
    output = run_cli("diagnose", HONGYUAN, VOLGA, "--lang", language).stdout
    overall = output.rpartition("=" * 88)[2].strip()
    section = overall[overall.index("\n\n"):]  # after the line per case
    assert len(section.splitlines()) > 20 and "PORTFOLIO" not in section
    # No English but ids, fact names and the organisations' own names.
    words = set(re.findall(r"(?<![\w.`\[-])[A-Za-z]*[a-z][A-Za-z]*(?![\w.\]-])", section))
    assert not {w for w in words if len(w) > 3} - {"Hongyuan", "Logistics"}, words


def _copied_cases(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    shutil.copytree(CASES, folder)
    return folder


def test_keep_going_diagnoses_every_good_file_then_lists_the_bad(tmp_path: Path) -> None:
    folder = _copied_cases(tmp_path)
    bad = folder / "volga-bank.yaml"
    text = bad.read_text(encoding="utf-8")
    assert text.count("value: entry_level") == 1
    bad.write_text(text.replace("value: entry_level", "value: entry_levl"), encoding="utf-8")
    line = text[:text.index("value: entry_level")].count("\n") + 1
    good = len(list(folder.rglob("*.yaml"))) - 1
    # Without --keep-going: the run stops before anything is written.
    stopped = run_cli("diagnose", folder, "--format", "json")
    assert stopped.exit_code == 2 and stopped.stdout == ""
    assert f"{bad}:{line}:" in stopped.stderr
    # With it: every good file diagnosed, then the bad one listed, and exit 2.
    result = run_cli("diagnose", folder, "--format", "json", "--keep-going",
                     "--no-explanations")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    files = [c["case"]["file"] for c in data["cases"]]
    assert len(files) == good and str(bad) not in files
    assert data["portfolio"]["cases"] == good and data["portfolio"]["skipped_files"] == 1
    assert re.search(rf"^{re.escape(str(bad))}:{line}:\d+: error: 'entry_levl' is not a "
                     r"valid value", result.stderr, re.M), result.stderr
    assert "\n    fix: " in result.stderr
    assert result.stderr.rstrip().endswith(
        f"1 file with problems was skipped; {good} cases were diagnosed.")
    text_report = run_cli("diagnose", folder, "--keep-going").stdout
    assert "1 file with problems was skipped" in text_report.rpartition("PORTFOLIO")[2]


def test_the_example_folder_is_one_assessment_per_organisation() -> None:
    # 'csdiag diagnose cases/' is the README's portfolio: an organisation assessed again
    # (a follow-up) or in parts (respondents to merge) would be ranked twice there.
    ranking = json.loads(run_cli("diagnose", CASES, "--format", "json", "--no-explanations"
                                 ).stdout)["portfolio"]["ranking"]
    cases = Counter(r["case"] for r in ranking)
    organisations = Counter(r["organisation"] for r in ranking)
    assert [c for c, n in cases.items() if n > 1] == []
    assert [o for o, n in organisations.items() if n > 1] == []
    # The follow-up and the respondents are kept beside it, for compare and merge.
    examples = REPO / "examples"
    assert (examples / "follow-ups" / "northwind-telecom-2027.yaml").is_file()
    assert len(list((examples / "respondents").glob("larkfield-*.yaml"))) == 3


def test_keep_going_with_every_file_good_is_an_ordinary_run() -> None:
    result = run_cli("diagnose", CASES, "--keep-going")
    assert result.exit_code == 0 and "error" not in result.stderr
    assert result.stdout == run_cli("diagnose", CASES).stdout


def test_two_files_of_one_case_on_one_date_are_warned_of(tmp_path: Path) -> None:
    first = tmp_path / "a.yaml"
    second = tmp_path / "b.yaml"
    shutil.copy(HONGYUAN, first)
    shutil.copy(HONGYUAN, second)
    shutil.copy(VOLGA, tmp_path / "c.yaml")
    result = run_cli("diagnose", tmp_path, "--format", "json", "--no-explanations")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(
        f"warning: {first} and {second} are both case 'hongyuan-logistics' of 2026-11-29: ")
    assert f"\n    fix: if one is a revision of the other, 'csdiag compare {first} {second}'" \
        in result.stderr and "its own 'case:' id" in result.stderr
    assert result.stderr.count("warning:") == 1
    assert json.loads(result.stdout)["summary"]["cases"] == 3  # both are still diagnosed
    # The same case on another date is a follow-up, not a duplicate.
    assert run_cli("diagnose", CASES / "northwind-telecom.yaml",
                   REPO / "examples" / "follow-ups" / "northwind-telecom-2027.yaml").stderr == ""


def test_the_progress_line_is_cleared_even_when_the_run_fails(monkeypatch, capsys) -> None:
    from csdiag.cli.diagnose import _with_progress

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    items = iter([("a", None), ("b", None), ("c", None)])
    progress = _with_progress(items, 3)  # type: ignore[arg-type]
    next(progress)
    next(progress)
    progress.close()  # the run stopped after the second case
    shown = capsys.readouterr().err
    assert "\r  1 / 3 cases" in shown
    assert shown.endswith("\r" + " " * len("  1 / 3 cases") + "\r")
