"""`csdiag plan` and `diagnose --set`: what-ifs, and remedies ranked by what they remove."""

from __future__ import annotations

import json

from conftest import MINI, REPO, run_cli

PACK = ("--rules", MINI / "rules", "--no-builtin-rules")
CASE = MINI / "cases" / "all-known.yaml"


def diagnosed(*settings: str) -> set[str]:
    args = [arg for s in settings for arg in ("--set", s)]
    result = run_cli("diagnose", CASE, *PACK, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return {d["id"] for d in json.loads(result.stdout)["cases"][0]["diagnoses"]}


def test_what_if_changes_the_verdict() -> None:
    assert diagnosed() == {"untrained", "vicious-circle"}
    assert diagnosed("training.new_hire_days=15") == set()
    # Low turnover: the screened, short-trained staff are no longer a diagnosis.
    assert diagnosed("staff.attrition_pct=20") == {"cost-staffing"}


def test_set_rejects_unknown_facts_and_bad_values() -> None:
    result = run_cli("diagnose", CASE, *PACK, "--set", "staff.atrition_pct=20")
    assert result.exit_code == 2
    assert "--set staff.atrition_pct=20: error: unknown fact 'staff.atrition_pct'" \
        in result.stderr
    result = run_cli("diagnose", CASE, *PACK, "--set", "ops.staffing_basis=gut_feel")
    assert result.exit_code == 2 and "'gut_feel' is not a valid value" in result.stderr


def test_plan_ranks_remedies_and_every_claimed_clearance_holds() -> None:
    result = run_cli("plan", CASE, *PACK, "--format", "json")
    assert result.exit_code == 0
    plan = json.loads(result.stdout)
    assert plan["burden"] == 4.752  # critical 4 x 0.648 + high 3 x 0.72
    best = plan["remedies"][0]
    assert best["remedies"] == ["induction"] and best["removed"] == 4.752
    assert best["clears"] == ["untrained", "vicious-circle"]
    for option in [*plan["remedies"], *plan["combinations"]]:
        after = diagnosed(*(f"{k}={v}" for k, v in option["changes"].items()))
        assert not set(option["clears"]) & after, option
        assert set(option["introduces"]) <= after


def test_plan_text_names_what_each_remedy_assumes() -> None:
    out = run_cli("plan", CASE, *PACK).stdout
    assert "  1. removes 4.75: induction" in out
    assert "       assumes: training.new_hire_days=15" in out


def test_northwind_plan_each_clearance_holds_and_combinations_earn_their_place() -> None:
    northwind = REPO / "cases" / "northwind-telecom.yaml"
    plan = json.loads(run_cli("plan", northwind, "--format", "json").stdout)
    options = {tuple(o["remedies"]): o for o in [*plan["remedies"], *plan["combinations"]]
               if o["modelled"]}
    assert plan["combinations"][0]["remedies"] == ["hire-for-attitude", "structured-induction"]
    assert options[("structured-induction",)]["clears"] == [
        "new-hires-untrained", "turnover-training-vicious-circle"]
    # Either neglect (no retention budget, complaints not reviewed) keeps it diagnosed:
    # each remedy removes one, so only the pair clears it.
    assert options[("complaints-on-lifetime-value", "fund-retention")]["clears"] == [
        "customers-seen-as-replaceable"]
    for ids, option in options.items():
        args = [a for k, v in option["changes"].items()
                for a in ("--set", f"{k}={str(v).lower() if isinstance(v, bool) else v}")]
        after = json.loads(run_cli("diagnose", northwind, "--format", "json", *args).stdout)
        still = {d["id"] for d in after["cases"][0]["diagnoses"]}
        assert not set(option["clears"]) & still, ids
        if len(ids) > 1:  # a pair is listed only when it beats each of its remedies alone
            assert all(option["removed"] > options[(one,)]["removed"] for one in ids), ids


def test_plan_and_diagnose_rank_remedies_the_same_way_for_every_scenario_case() -> None:
    for case in sorted((REPO / "cases").glob("*.yaml")):
        report = json.loads(run_cli("diagnose", case, "--format", "json", "--lang", "en",
                                    "--no-explanations").stdout)["cases"][0]
        plan = json.loads(run_cli("plan", case, "--format", "json", "--lang", "en").stdout)
        assert [r["id"] for r in report["remedies"]] == [o["remedies"][0]
                                                          for o in plan["remedies"]], case.name
        text_plan = run_cli("plan", case, "--lang", "en").stdout
        text_report = run_cli("diagnose", case, "--lang", "en").stdout
        if report["remedies"]:
            first = report["remedies"][0]
            assert f"  1. {first['action'].split()[0]}" in text_report.split(
                "REMEDIES IN PRIORITY ORDER")[1], case.name
            assert f"{first['id']}" in text_plan.split("\n  1. ")[1].split("\n")[0], case.name
