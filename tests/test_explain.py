"""`csdiag explain`: how a conclusion was reached, why another was not, and the nearest way."""

from __future__ import annotations

import json

from conftest import MINI, run_cli

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
    assert "            ✗ hiring.attitude_screen = false — case: true" in lines
    assert "                    ✓ staff.attrition_pct > 45 (published threshold) — case: 68" \
        in lines


def test_why_not_names_the_failing_condition_the_unknowns_and_the_nearest_way() -> None:
    text = explain("sparse", "untrained").stdout
    out = text.splitlines()
    assert out[0] == "untrained — New hires are not trained: RULED OUT"
    assert ("    ✗ training.new_hire_days < 10, graded over 5..12 (judgement threshold) — "
            "case: 20") in out
    assert ("    ? hiring.attitude_screen = false — unknown; ask: Does selection test service\n"
            "      attitude?\n") in text
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
