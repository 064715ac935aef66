"""The command line as a user meets it: formats, listings, exit codes."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from csdiag.cli import cli

from conftest import MINI, REPO, run_cli

PACK = ("--rules", MINI / "rules", "--no-builtin-rules")


def test_text_report_shows_diagnoses_evidence_remedies_and_summary() -> None:
    result = run_cli("diagnose", MINI / "cases" / "all-known.yaml", *PACK)
    assert result.exit_code == 0
    out = result.stdout
    assert "1. Turnover and training feed each other  [vicious-circle]" in out
    assert "certainty 0.65 · severity critical" in out
    # Evidence in plain language: the fact's meaning, the case's value, the line it passed.
    assert ("- Days of training before a new hire serves customers alone: 2 days — clearly "
            "below\n       the line at 10 days (our judgement)") in out
    assert "What the case shows:\n     - New hires get less than two weeks of training." in out
    assert "Sources: seed 004_f4c53d8a01f6459c.txt, cause 3" in out
    assert "1. Give a structured induction. (addresses: vicious-circle, untrained)" in out
    assert out.rstrip().endswith("Summary: 2 diagnosed, 0 not assessable, 1 ruled out "
                                 "(4 facts known).")


def test_text_report_wraps_without_splitting_rule_ids_and_hangs_list_items() -> None:
    out = run_cli("diagnose", REPO / "cases" / "northwind-telecom.yaml").stdout
    assert max(len(line) for line in out.splitlines() if not line[:1].isdigit()) <= 88
    assert not re.search(r"\w-\n", out), "a rule id or word was split at a hyphen"
    remedies = out[out.index("REMEDIES IN PRIORITY ORDER"):out.index("Summary:")]
    for line in remedies.splitlines()[1:]:
        assert not line or re.match(r"  \d+\. | {5,6}\S", line), line
    assert "(addresses: turnover-training-vicious-circle,\n     new-hires-untrained)" in out


def test_text_report_lists_what_could_not_be_assessed_with_its_question() -> None:
    out = run_cli("diagnose", MINI / "cases" / "sparse.yaml", *PACK).stdout
    assert "DIAGNOSES: none." in out
    # One of its two signs is present, the other unknown: a weak signal, with what would
    # settle it, not a bare "not assessable".
    assert ("WEAK SIGNALS (1)" in out and "Staffing planned by cost [cost-staffing], "
            "certainty 0.35: 1 of 2 signs present" in out)
    assert "would be settled by:\n      staff.attrition_pct: What share of staff left" in out


def test_several_cases_get_a_section_each_and_a_closing_summary() -> None:
    out = run_cli("diagnose", MINI / "cases", *PACK).stdout
    assert out.count("Summary: ") == 2
    assert "OVERALL: 2 cases, 1 with at least one diagnosis" in out


def test_json_report_has_the_documented_shape() -> None:
    result = run_cli("diagnose", MINI / "cases", *PACK, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["format_version"] == 5
    assert data["cases"][0]["language"] == "en"
    assert data["summary"] == {"cases": 2, "cases_with_diagnoses": 1}
    first = data["cases"][0]
    assert set(first) >= {"case", "diagnoses", "undetermined", "findings", "ruled_out",
                          "remedies", "summary"}
    diagnosis = first["diagnoses"][1]
    assert diagnosis["id"] == "untrained" and diagnosis["certainty"] == 0.72
    assert set(diagnosis) >= {"id", "title", "certainty", "severity", "evidence", "remedies",
                              "sources"}
    assert diagnosis["evidence"][0] == {
        "condition": "training.new_hire_days < 10, graded over 5..12 (judgement threshold): "
                     "training.new_hire_days ≤ 5, weight 1",
        "text": "Days of training before a new hire serves customers alone: 2 days — clearly "
                "below the line at 10 days (our judgement)",
        "fact": "training.new_hire_days", "value": 2}
    assert first["findings"][0]["id"] == "high-turnover"
    second = data["cases"][1]
    explanation = second["undetermined"][0].pop("explanation")
    assert explanation["verdict"] == "not assessable"
    assert second["undetermined"] == [{
        "id": "cost-staffing", "title": "Staffing planned by cost", "severity": "medium",
        "missing_facts": [{"fact": "staff.attrition_pct",
                           "question": "What share of staff left in the last 12 months?"}],
        "certainty": 0.35, "signs_present": 1, "signs": 2,
        "present": [{"condition": "ops.staffing_basis in [budget_cap, cost_per_contact]",
                     "text": "How headcount is planned: budget cap",
                     "fact": "ops.staffing_basis", "value": "budget_cap"}],
        "symptoms": ["Headcount is set by a budget or a cost target."], "against": 0.0,
        "counter_evidence": []}]


def test_markdown_report() -> None:
    out = run_cli("diagnose", MINI / "cases" / "all-known.yaml", *PACK,
                  "--format", "markdown").stdout
    assert out.startswith("# Mini One (`all-known`)")
    assert ("| Days of training before a new hire serves customers alone: 2 days — clearly "
            "below the line at 10 days (our judgement) |  |") in out
    assert "## Remedies in priority order" in out


def test_case_with_no_cause_found_still_exits_zero(tmp_path) -> None:
    path = tmp_path / "fine.yaml"
    path.write_text("case: fine\norganisation: Fine\ndate: 2026-11-01\nassessor: T\nfacts:\n"
                    "  staff.attrition_pct: 10\n  training.new_hire_days: 30\n"
                    "  ops.staffing_basis: demand_forecast\n", encoding="utf-8")
    result = run_cli("diagnose", path, *PACK)
    assert result.exit_code == 0
    assert "DIAGNOSES: none." in result.stdout
    assert "RULED OUT (3)" in result.stdout


def test_rules_list_text_and_json() -> None:
    text = run_cli("rules", "list", *PACK).stdout
    assert "vicious-circle" in text and "4 rules (3 diagnoses, 1 finding)" in text
    listed = json.loads(run_cli("rules", "list", *PACK, "--format", "json").stdout)
    assert {r["id"] for r in listed} == {"cost-staffing", "high-turnover", "untrained",
                                         "vicious-circle"}


def test_facts_lists_each_fact_with_its_question() -> None:
    out = run_cli("facts", *PACK).stdout
    assert "ops.staffing_basis (enum; one of: demand_forecast, budget_cap, cost_per_contact)" \
        in out
    assert "ask: How are staffing levels planned?" in out
    assert out.rstrip().endswith("4 facts")


def test_usage_errors_exit_2() -> None:
    assert run_cli("diagnose").exit_code == 2
    assert run_cli("diagnose", MINI / "cases", *PACK, "--format", "docx").exit_code == 2
    result = run_cli("facts", "--no-builtin-rules")
    assert result.exit_code == 2 and "give at least one --rules DIR" in result.stderr


def test_missing_rules_folder(tmp_path) -> None:
    result = run_cli("facts", "--rules", tmp_path / "nope")
    assert result.exit_code == 2 and "no such rules folder" in result.stderr


def test_default_user_rules_come_from_the_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("CSDIAG_RULES", str(MINI / "rules"))
    result = run_cli("diagnose", MINI / "cases" / "all-known.yaml")
    assert result.exit_code == 0 and "[vicious-circle]" in result.stdout


def test_a_user_rule_replaces_another_only_when_it_says_so(tmp_path, mini_rules) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    text = (mini_rules / "cost-staffing.yaml").read_text(encoding="utf-8").replace(
        "certainty: 0.7", "certainty: 0.4")
    (mine / "cost-staffing.yaml").write_text(text, encoding="utf-8")
    both = ("--rules", mini_rules, "--rules", mine, "--no-builtin-rules")
    refused = run_cli("rules", "list", *both)
    assert refused.exit_code == 2
    assert "duplicate rule id 'cost-staffing'" in refused.stderr
    assert "add 'overrides: true'" in refused.stderr
    (mine / "cost-staffing.yaml").write_text(text + "overrides: true\n", encoding="utf-8")
    listed = json.loads(run_cli("rules", "list", *both, "--format", "json").stdout)
    assert [r["certainty"] for r in listed if r["id"] == "cost-staffing"] == [0.4]


def test_overriding_nothing_is_an_error(tmp_path, mini_rules) -> None:
    text = (mini_rules / "cost-staffing.yaml").read_text(encoding="utf-8")
    (mini_rules / "cost-staffing.yaml").write_text(text + "overrides: true\n", encoding="utf-8")
    result = run_cli("rules", "list", "--rules", mini_rules, "--no-builtin-rules")
    assert result.exit_code == 2
    assert "'overrides: true' but no rule 'cost-staffing' is read before this folder" \
        in result.stderr


def test_the_json_documentation_names_every_field_and_only_declared_facts() -> None:
    doc = (REPO / "docs" / "json-output.md").read_text(encoding="utf-8")
    data = json.loads(run_cli("diagnose", REPO / "cases", "--format", "json").stdout)

    def keys(value: object) -> set[str]:
        if isinstance(value, dict):  # the keys of 'weights' and 'changes' are data
            return set(value) | {k for name, v in value.items()
                                 if name not in ("weights", "changes") for k in keys(v)}
        if isinstance(value, list):
            return {k for v in value for k in keys(v)}
        return set()

    assert sorted(k for k in keys(data) if f'"{k}"' not in doc) == []
    declared = {f["name"] for f in json.loads(run_cli("facts", "--format", "json").stdout)}
    named = set(re.findall(r'"([a-z]+\.[a-z_]+)"', doc))
    assert named and named <= declared, named - declared


def test_json_carries_each_explanation_so_tools_need_not_run_explain() -> None:
    huaxin = REPO / "cases" / "huaxin-industrial.yaml"
    case = json.loads(run_cli("diagnose", huaxin, "--format", "json").stdout)["cases"][0]
    ruled_out = {entry["id"]: entry for entry in case["ruled_out"]}
    carried = ruled_out["poor-hiring"]["explanation"]
    printed = json.loads(run_cli("explain", huaxin, "poor-hiring", "--format", "json").stdout)
    assert carried == printed
    assert carried["nearest"][0] == {
        "condition": "org.frontline_role_level = entry_level", "status": "fails",
        "fact": "org.frontline_role_level", "value": "professional"}
    for group in ("diagnoses", "weak_signals", "undetermined", "ruled_out"):
        assert all(entry["explanation"]["id"] == entry["id"] for entry in case[group])
    brief = json.loads(run_cli("diagnose", huaxin, "--format", "json",
                               "--no-explanations").stdout)["cases"][0]
    assert "explanation" not in brief["ruled_out"][0]


def test_the_report_ranks_the_questions_to_ask_as_the_interview_does(tmp_path) -> None:
    swiftcart = REPO / "cases" / "swiftcart-quickwin.yaml"
    questions = json.loads(run_cli("diagnose", swiftcart, "--format", "json").stdout
                           )["cases"][0]["questions"]
    weights = [q["weight"] for q in questions]
    assert weights == sorted(weights, reverse=True) and len(questions) > 5
    first, second = questions[0], questions[1]
    text = run_cli("diagnose", swiftcart).stdout
    ask = text[text.index(f"ASK FIRST: 5 of the {len(questions)} unknown facts above"):]
    assert ask.index(f"  1. {first['fact']} — could settle {len(first['decides'])} diagnoses:") \
        < ask.index(f"  2. {second['fact']}")
    # A fact several diagnoses read comes first: the sector, which selects thresholds.
    assert first["fact"] == "org.sector" and len(first["decides"]) > 5
    interview = CliRunner().invoke(cli, ["interview", str(swiftcart), "-o",
                                         str(tmp_path / "visit-2.yaml")], input="stop\n")
    assert f"\n[{first['fact']}] " in interview.stdout
    markdown = run_cli("diagnose", swiftcart, "--format", "markdown").stdout
    assert f"| 1 | `{first['fact']}` | {first['question']} | " in markdown


def test_rules_list_counts_rules_that_add_evidence_apart_from_findings() -> None:
    result = run_cli("rules", "list", "--rules", MINI.parent / "certainty", "--no-builtin-rules")
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == \
        "5 rules (2 diagnoses, 1 finding, 2 adding evidence to other rules)"


def test_an_output_suffix_csdiag_does_not_write_is_refused(tmp_path) -> None:
    from conftest import REPO, run_cli

    case = REPO / "cases" / "northwind-telecom.yaml"
    result = run_cli("diagnose", case, "-o", tmp_path / "report.yaml")
    assert result.exit_code == 2 and "csdiag does not write '.yaml' files" in result.stderr
    assert not (tmp_path / "report.yaml").exists()
    later = REPO / "examples" / "follow-ups" / "northwind-telecom-2027.yaml"
    result = run_cli("compare", case, later, "-o", tmp_path / "progress.pdf")
    assert result.exit_code == 2 and "'.pdf'" in result.stderr


def test_a_file_given_twice_is_one_case() -> None:
    from conftest import REPO, run_cli

    case = REPO / "cases" / "volga-bank.yaml"
    result = run_cli("diagnose", case, case, REPO / "cases" / "hongyuan-logistics.yaml")
    assert "OVERALL: 2 cases" in result.stdout


def test_keep_going_with_no_good_file_replaces_no_report(tmp_path) -> None:
    from conftest import run_cli

    (tmp_path / "bad.yaml").write_text("case: x\norganisation: X\ndate: 2026-01-01\n"
                                       "assessor: A\nfacts:\n  ops.attrition_annual_pct: 500\n",
                                       encoding="utf-8")
    report = tmp_path / "report.html"
    report.write_text("last year's report", encoding="utf-8")
    result = run_cli("diagnose", tmp_path / "bad.yaml", "--keep-going", "-o", report,
                     "--force")
    assert result.exit_code == 2 and "bad.yaml:6:29: error:" in result.stderr
    assert report.read_text(encoding="utf-8") == "last year's report"


def test_a_usage_error_is_said_as_every_user_error_is() -> None:
    from conftest import REPO, run_cli

    result = run_cli("diagnose", REPO / "cases" / "volga-bank.yaml", "--frmat", "json")
    assert result.exit_code == 2
    # (the test runner calls the program 'cli'; installed, it is 'csdiag')
    assert " diagnose: error: No such option '--frmat'. Did you mean '--format'?" \
        in result.stderr.splitlines()[0]
    assert " diagnose --help' shows what it takes, with examples" in result.stderr
    assert result.stderr.splitlines()[1].startswith("    fix: '")


def test_explain_and_plan_write_to_a_file_and_never_replace_one_unasked(tmp_path) -> None:
    from conftest import REPO, run_cli

    case = REPO / "cases" / "northwind-telecom.yaml"
    for args in (("explain", case, "poor-hiring"), ("plan", case)):
        out = tmp_path / f"{args[0]}.txt"
        assert run_cli(*args, "-o", out).exit_code == 0
        written = out.read_text(encoding="utf-8")
        assert written.strip(), args
        again = run_cli(*args, "-o", out)
        assert again.exit_code == 2 and "the file exists" in again.stderr
        assert run_cli(*args, "-o", out, "--force").exit_code == 0
