"""--audience client: a report to hand to the client's management says what the case shows
and what to do, without rule ids, file names or the certainty arithmetic, and cites its
sources as a reader expects; --audience consultant (the default) keeps them."""

from __future__ import annotations

import json

import pytest

from csdiag import Workspace

from conftest import REPO, run_cli

CASE = REPO / "cases" / "northwind-telecom.yaml"
SEED_CITATION = "Chevers, Margo (2009), The Death of Customer Service"


@pytest.fixture(scope="module")
def rule_ids() -> set[str]:
    with Workspace() as workspace:
        return {rule.id for rule in workspace.rules()}


@pytest.mark.parametrize("output_format", ["text", "markdown", "html"])
def test_a_client_report_leaves_out_rule_ids_file_names_and_seed_files(
        output_format: str, rule_ids: set[str]) -> None:
    result = run_cli("diagnose", CASE, "--audience", "client", "--format", output_format)
    assert result.exit_code == 0, result.output
    report = result.stdout
    assert [i for i in rule_ids if i in report] == []
    assert "northwind-telecom.yaml" not in report and "northwind-telecom" not in report
    assert "seed 004_" not in report and "csdiag interview" not in report
    assert "Certainty from:" not in report  # the arithmetic names rules and findings
    flat = " ".join(report.split())
    assert SEED_CITATION in flat and "servie" not in flat  # author, year and title
    assert "Vicious circle of turnover and untrained new hires" in flat
    assert "Give every new hire a structured induction" in flat
    assert "owner: learning and development" in flat


@pytest.mark.parametrize("output_format", ["text", "markdown", "html"])
def test_the_consultants_report_keeps_them(output_format: str) -> None:
    report = run_cli("diagnose", CASE, "--format", output_format).stdout
    assert "turnover-training-vicious-circle" in report
    assert "seed 004_f4c53d8a01f6459c.txt, cause 3" in report


def test_a_client_report_names_questions_not_facts() -> None:
    report = run_cli("diagnose", CASE, "--audience", "client").stdout
    assert "ops.occupancy_pct" not in report
    assert "What was agent occupancy" in report


def test_json_is_the_same_for_both_audiences() -> None:
    consultant = json.loads(run_cli("diagnose", CASE, "--format", "json").stdout)
    client = json.loads(run_cli("diagnose", CASE, "--format", "json",
                                "--audience", "client").stdout)
    assert consultant == client


def test_a_client_report_in_chinese(rule_ids: set[str]) -> None:
    case = REPO / "cases" / "hongyuan-logistics.yaml"
    report = run_cli("diagnose", case, "--audience", "client").stdout
    assert "内部服务链被忽视" in report
    assert [i for i in rule_ids if i in report] == []


def test_an_unknown_audience_is_refused_with_the_choices() -> None:
    result = run_cli("diagnose", CASE, "--audience", "board")
    assert result.exit_code == 2
    assert "'consultant', 'client'" in result.output


def test_internal_research_notes_reach_no_client_report() -> None:
    report = run_cli("diagnose", REPO / "cases", "--audience", "client", "--format",
                     "markdown").stdout
    for internal in ("FRAMEWORKS", "seed cause", "seed article", "源文章", "исходная статья"):
        assert internal not in report, internal


def test_a_chinese_html_report_cites_sources_without_english_notes() -> None:
    page = run_cli("diagnose", REPO / "cases" / "northwind-telecom.yaml", "--lang", "zh",
                   "--format", "html").stdout
    assert "vendor figure" not in page and "replacing an agent costs" not in page


FOLLOW_UP = REPO / "examples" / "follow-ups" / "northwind-telecom-2027.yaml"


@pytest.fixture(scope="module")
def fact_names() -> set[str]:
    with Workspace() as workspace:
        names = {fact.name for fact in workspace.facts()}
    assert len(names) > 100
    return names


@pytest.mark.parametrize("output_format", ["text", "markdown", "html"])
def test_a_client_comparison_leaves_out_ids_fact_names_and_files(
        output_format: str, rule_ids: set[str], fact_names: set[str]) -> None:
    result = run_cli("compare", CASE, FOLLOW_UP, "--audience", "client", "--format",
                     output_format)
    assert result.exit_code == 0, result.output
    report = result.stdout
    assert [i for i in rule_ids if i in report] == []
    assert [f for f in fact_names if f in report] == []
    assert "northwind-telecom" not in report and ".yaml" not in report
    flat = " ".join(report.split())
    assert "Vicious circle of turnover and untrained new hires" in flat  # cleared
    # Facts and remedies in words: the fact's label, the remedy's action.
    assert "Share of new hires who leave within their first six months" in flat
    assert "structured induction" in flat
    # The consultant's version keeps what the client's leaves out.
    consultant = run_cli("compare", CASE, FOLLOW_UP, "--format", output_format).stdout
    assert "turnover-training-vicious-circle" in consultant
    assert "ops.attrition_annual_pct" in consultant and "northwind-telecom" in consultant


def test_a_client_comparison_keeps_its_warnings_on_standard_error() -> None:
    other = REPO / "cases" / "brightline-bank.yaml"
    result = run_cli("compare", CASE, other, "--audience", "client")
    assert "different case ids" in result.stderr
    assert "different case ids" not in result.stdout and "brightline-bank" not in result.stdout


def test_compare_json_is_the_same_for_both_audiences() -> None:
    consultant = json.loads(run_cli("compare", CASE, FOLLOW_UP, "--format", "json").stdout)
    client = json.loads(run_cli("compare", CASE, FOLLOW_UP, "--format", "json",
                                "--audience", "client").stdout)
    assert consultant == client


@pytest.mark.parametrize("output_format", ["text", "markdown", "html"])
def test_a_client_portfolio_names_organisations_not_case_ids(output_format: str) -> None:
    maple = REPO / "cases" / "maple-stores.yaml"
    report = run_cli("diagnose", CASE, maple, "--audience", "client", "--format",
                     output_format).stdout
    # The case id is the consultant's label for the file; the client knows the name.
    assert "maple-stores" not in report and "northwind-telecom" not in report
    ranking = report[report.index("Cases by severity-weighted certainty"):]
    maple_name = "Maple &amp; Co" if output_format == "html" else "Maple & Co"
    assert maple_name in ranking and "Northwind Telecom" in ranking
    consultant = run_cli("diagnose", CASE, maple, "--format", output_format).stdout
    assert "maple-stores" in consultant[consultant.index("Cases by severity-weighted"):]
