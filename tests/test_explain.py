"""`csdiag explain`: how a conclusion was reached, why another was not, and the nearest way."""

from __future__ import annotations

import json

from conftest import MINI, REPO, run_cli

PACK = ("--rules", MINI / "rules", "--no-builtin-rules")


def explain(case: str, rule: str, *extra: str):
    return run_cli("explain", MINI / "cases" / f"{case}.yaml", rule, *PACK, *extra)


def test_how_walks_from_facts_through_findings_to_the_diagnosis() -> None:
    result = explain("all-known", "vicious-circle")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == ("vicious-circle — Turnover and training feed each other: DIAGNOSED, "
                        "certainty 0.65")
    assert ("  rule vicious-circle (for, certainty +0.90): fires, adds +0.65 (times the "
            "weakest of:\n      finding high-turnover 0.90; finding untrained 0.72)\n"
            ) in result.stdout  # wrapped at 88 columns, continued under the rule's name
    assert ("            ✓ training.new_hire_days < 10, graded over 5..12 (judgement threshold) —"
            in lines and "              case: 2" in lines)
    # Under the rule's 'any of', its parts one level deeper.
    assert lines[lines.index("              ✗ hiring.attitude_screen = false — case: true") - 1
                 ] == "            ✓ any of:"
    assert "                      ✓ staff.attrition_pct > 45 (published threshold) — case: 68" \
        in lines


def test_why_not_names_the_failing_condition_the_unknowns_and_the_nearest_way() -> None:
    text = explain("sparse", "untrained").stdout
    out = text.splitlines()
    assert out[0] == "untrained — New hires are not trained: RULED OUT"
    assert ("    ✗ training.new_hire_days < 10, graded over 5..12 (judgement threshold) — "
            "case: 20") in out
    assert ("    ? any of:\n"
            "      ? hiring.attitude_screen = false — unknown; ask: Does selection test service\n"
            "        attitude?\n") in text
    nearest = out[out.index("  nearest way to reach it:") + 1:]
    assert nearest[:3] == [
        "    - change: training.new_hire_days in [10, 12), weight 0.25 — case: 20",
        "    - find out: hiring.attitude_screen = false — unknown; ask: Does selection test",
        "      service attitude?"]


def test_a_negated_finding_reads_as_written() -> None:
    out = explain("all-known", "cost-staffing").stdout
    assert "cost-staffing — Staffing planned by cost: RULED OUT" in out
    assert "✗ Staff turnover is high [not (high-turnover concluded)]" in out


def test_json_carries_the_same_tree() -> None:
    data = json.loads(explain("all-known", "vicious-circle", "--format", "json").stdout)
    assert data["verdict"] == "diagnosed" and data["certainty"] == 0.648
    step = data["steps"][0]
    assert step["rule"] == "vicious-circle" and step["status"] == "fires"
    finding = step["conditions"][0]["finding"]
    assert finding["id"] == "untrained"
    assert finding["steps"][0]["conditions"][0] == {
        "condition": "training.new_hire_days < 10, graded over 5..12 (judgement threshold)",
        "status": "holds",
        "fact": "training.new_hire_days", "value": 2}


def test_unknown_rule_id_is_a_user_error() -> None:
    result = explain("all-known", "vicious-circel")
    assert result.exit_code == 2
    assert "no rule 'vicious-circel'" in result.stderr and "did you mean 'vicious-circle'?" \
        in result.stderr


def test_the_tree_shows_the_rules_any_and_all_with_their_truth() -> None:
    # Maple's waits: the retail profile's branch holds, the contact-centre one fails.
    text = run_cli("explain", REPO / "cases" / "maple-stores.yaml",
                   "customers-kept-waiting").stdout
    lines = text.splitlines()
    assert "    ✓ any of:" in lines  # the rule's own 'any', holding
    retail = lines.index("          ✓ org.sector in [retail] — case: retail")
    assert lines[retail - 1] == "        ✓ all of:"
    assert "        ✗ all of:" in lines  # the other sectors' branches fail


def test_an_unknown_under_a_holding_any_is_not_a_missing_requirement() -> None:
    text = run_cli("explain", REPO / "cases" / "riverbend-council.yaml",
                   "internal-service-chain-neglected").stdout
    lines = text.splitlines()
    group = lines.index("    ✓ any of:")
    parts = [line for line in lines[group + 1:] if line.startswith("      ") and
             line[6] in "✓✗?"]
    assert parts[0].startswith("      ✓ internal.support_score < 3")
    assert parts[1].startswith("      ? internal.handoffs_complained_about")


def test_a_graded_weight_is_printed_once(tmp_path) -> None:
    case = tmp_path / "b.yaml"
    case.write_text("case: b\norganisation: B\ndate: 2026-01-01\nassessor: A\nfacts:\n"
                    "  internal.service_agreements: none\n  internal.support_score: 3.2\n",
                    encoding="utf-8")
    text = " ".join(run_cli("explain", case, "internal-service-chain-neglected").stdout.split())
    assert "(times the weakest of: internal.support_score in [3, 3.5) 0.25)" in text
    assert "weight 0.25 0.25" not in text


def test_the_id_of_a_rule_that_adds_evidence_explains_its_conclusion() -> None:
    # service-level-measured argues against sector-outcomes-poor ('concludes:'): it has
    # no verdict of its own, and 'csdiag rules list' lists it, so it is not refused.
    case = REPO / "cases" / "northwind-telecom.yaml"
    result = run_cli("explain", case, "service-level-measured")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert text.startswith("rule service-level-measured adds evidence against "
                           "sector-outcomes-poor; it has no verdict of its own, so here is "
                           "sector-outcomes-poor, with each rule for and against it: "
                           "sector-outcomes-poor — ")
    assert "rule service-level-measured (against, certainty -1.00)" in text
    data = json.loads(run_cli("explain", case, "service-level-measured", "--format", "json"
                              ).stdout)
    assert (data["id"], data["asked_for"]) == ("sector-outcomes-poor", "service-level-measured")
    assert "service-level-measured" in [step["rule"] for step in data["steps"]]
    # A conclusion's own id says nothing of the sort.
    own = json.loads(run_cli("explain", case, "sector-outcomes-poor", "--format", "json"
                             ).stdout)
    assert "asked_for" not in own


def test_an_estimated_fact_says_so_beside_its_value() -> None:
    # Maple's share of experienced staff replaced is an estimate (confidence: 0.7), which
    # is why the rule's evidence weighs less: the tree shows it where the fact is used.
    case = REPO / "cases" / "maple-stores.yaml"
    text = " ".join(run_cli("explain", case, "experienced-staff-replaced-on-cost").stdout
                    .split())
    assert "workforce.experienced_replaced_pct ≥ 20, graded over 10..30 (judgement " \
        "threshold) — case: 33 (an estimate, confidence 0.7)" in text
    assert "workforce.part_time_share_rise_pts > 15, graded over 10..25 (judgement " \
        "threshold) — case: 35 ✓" in text  # a fact known for sure says nothing more
    data = json.loads(run_cli("explain", case, "experienced-staff-replaced-on-cost",
                              "--format", "json").stdout)
    conditions = {c["fact"]: c for c in data["steps"][0]["conditions"] if "fact" in c}
    assert conditions["workforce.experienced_replaced_pct"]["confidence"] == 0.7
    assert "confidence" not in conditions["workforce.part_time_share_rise_pts"]
