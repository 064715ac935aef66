"""The engine: chaining, certainty, three-valued logic, and proof that durable_rules decides."""

from __future__ import annotations

import copy
import json
import re

import pytest

from csdiag import Workspace
from csdiag.engine.compile import compile_knowledge_base
from csdiag.engine.run import Engine
from csdiag.formats.case import Case, KnownFact
from csdiag.formats.rule_pack import load_knowledge_base
from csdiag.reason.diagnosis import CaseResult, build_result
from csdiag.reason.settle import CertaintyReasoner

from conftest import MINI


@pytest.fixture(scope="module")
def diagnoser() -> Workspace:
    return Workspace([MINI / "rules"], builtin=False)


def case_with(**facts: object) -> Case:
    names = {"attrition": "staff.attrition_pct", "days": "training.new_hire_days",
             "screen": "hiring.attitude_screen", "basis": "ops.staffing_basis"}
    return Case("t", "T", "2026-11-01", "Test", "t.yaml",
                facts={names[k]: KnownFact(v) for k, v in facts.items()})  # type: ignore[arg-type]


def verdict(result: CaseResult) -> dict[str, object]:
    return {"diagnosed": {c.rule.id: c.certainty for c in result.diagnoses},
            "findings": sorted(c.rule.id for c in result.findings),
            "ruled_out": sorted(c.rule.id for c in result.ruled_out),
            "undetermined": {u.rule.id: [m.fact for m in u.missing_facts]
                             for u in result.undetermined}}


def test_findings_chain_into_a_compound_diagnosis_with_combined_certainty(diagnoser) -> None:
    result = diagnoser.diagnose(case_with(attrition=68, days=2, screen=True, basis="budget_cap"))
    # untrained: 0.8 x high-turnover 0.9; the loop: 0.9 x the weaker of its two findings.
    assert verdict(result) == {"diagnosed": {"vicious-circle": 0.648, "untrained": 0.72},
                               "findings": ["high-turnover"], "ruled_out": ["cost-staffing"],
                               "undetermined": {}}
    assert [c.rule.id for c in result.diagnoses] == ["vicious-circle", "untrained"]


def test_unknown_is_not_false(diagnoser) -> None:
    # With turnover unknown, "not high turnover" is unknown too: cost-staffing cannot be
    # assessed, and the case says which fact would settle it.
    result = diagnoser.diagnose(case_with(days=20, basis="budget_cap"))
    assert verdict(result)["undetermined"] == {"cost-staffing": ["staff.attrition_pct"]}
    assert verdict(result)["ruled_out"] == ["untrained", "vicious-circle"]


def test_false_fact_decides_where_unknown_cannot(diagnoser) -> None:
    unknown = diagnoser.diagnose(case_with(days=2))
    assert set(verdict(unknown)["undetermined"]) == {"untrained", "vicious-circle",
                                                     "cost-staffing"}
    assert verdict(unknown)["undetermined"]["untrained"] == ["hiring.attitude_screen",
                                                             "staff.attrition_pct"]
    known_false = diagnoser.diagnose(case_with(days=2, screen=False))
    assert verdict(known_false)["diagnosed"] == {"untrained": 0.8}


def test_a_value_on_the_threshold_is_not_above_it(diagnoser) -> None:
    at = diagnoser.diagnose(case_with(attrition=45, days=2, screen=True, basis="budget_cap"))
    assert verdict(at)["diagnosed"] == {"cost-staffing": 0.7}
    assert "untrained" in verdict(at)["ruled_out"]


def test_conclusions_come_from_durable_rules(diagnoser, monkeypatch) -> None:
    # Hide the case's facts from durable_rules only: if csdiag decided anything itself,
    # something would still be concluded or ruled out.
    import durable_rules_engine

    original = durable_rules_engine.assert_facts

    def without_facts(handle, text):
        facts = [{key: fact[key] for key in ("sid", "kind", "cid")}
                 if fact.get("kind") == "case" else fact for fact in json.loads(text)]
        return original(handle, json.dumps(facts))

    monkeypatch.setattr(durable_rules_engine, "assert_facts", without_facts)
    result = diagnoser.diagnose(case_with(attrition=68, days=2, screen=False, basis="budget_cap"))
    assert result.diagnoses == [] and result.ruled_out == [] and result.findings == []
    assert len(result.undetermined) == 3


def test_the_compiled_durable_ruleset_is_what_decides() -> None:
    # Change the threshold inside the durable_rules JSON only: the verdict follows it.
    kb = load_knowledge_base([MINI / "rules"])
    rulesets = compile_knowledge_base(kb, max_rules=7)
    edited = 0
    for ruleset in rulesets:
        for name, body in ruleset.definition.items():
            if name.startswith("untrained#fires"):
                # Every edge of the graded training-days condition moves to 1 day.
                text = re.sub(r'("training\.new_hire_days#(?:low|high)": )[0-9.]+', r"\g<1>1",
                              json.dumps(body))
                ruleset.definition[name] = json.loads(text)
                edited += 1
    assert edited == 6  # 3 bands x 2 alternatives
    engine = Engine(kb, CertaintyReasoner(kb), rulesets)
    case = case_with(attrition=68, days=2, screen=False, basis="budget_cap")
    assert "untrained" not in verdict(build_result(case, engine.run(case.values()), kb))[
        "diagnosed"]


@pytest.mark.parametrize("max_rules", [2, 3, 5])
def test_splitting_into_many_small_rulesets_changes_nothing(diagnoser, max_rules) -> None:
    kb = diagnoser.kb
    small = Engine(kb, CertaintyReasoner(kb), compile_knowledge_base(kb, max_rules=max_rules))
    assert len(small.rulesets) > len(compile_knowledge_base(kb))
    for facts in [dict(attrition=68, days=2, screen=True, basis="budget_cap"),
                  dict(days=20, basis="budget_cap"), dict(days=2), {}]:
        case = case_with(**facts)
        expected = verdict(diagnoser.diagnose(case))
        assert verdict(build_result(case, small.run(case.values()), kb)) == expected


def test_thousands_of_cases_in_one_process(diagnoser) -> None:
    # durable_rules breaks past 1,024 live sessions per ruleset; each case's state is deleted.
    cases = [case_with(attrition=i % 100, days=i % 15, screen=bool(i % 2),
                       basis=["budget_cap", "demand_forecast"][i % 2]) for i in range(3000)]
    first = [verdict(diagnoser.diagnose(c)) for c in cases[:50]]
    for c in cases:
        diagnoser.diagnose(c)
    assert [verdict(diagnoser.diagnose(c)) for c in cases[:50]] == first
    assert any(v["diagnosed"] for v in first) and any(v["ruled_out"] for v in first)


def test_running_a_case_changes_neither_the_facts_given_nor_the_case(diagnoser) -> None:
    case = case_with(attrition=68, days=2, screen=True, basis="budget_cap")
    snapshot = copy.deepcopy(case)
    facts = case.values()
    given = copy.deepcopy(facts)
    engine = diagnoser.diagnoser.runner
    engine.run(facts, {"staff.attrition_pct": 0.6})
    assert facts == given  # the very dict the engine received
    diagnoser.diagnose(case)
    assert case == snapshot


def test_an_error_inside_an_engine_action_is_an_engine_error(monkeypatch) -> None:
    # durable_rules' own action loop swallows an action's exception into the session's
    # state, and the matches it was handed would silently go missing from the report.
    from csdiag.engine.host import EngineHost
    from csdiag.model.outcome import EngineError

    def broken_action(self: EngineHost, key: str) -> object:
        def run(matches: list[dict[str, object]]) -> None:
            raise RuntimeError(f"injected in {key}")
        return run

    monkeypatch.setattr(EngineHost, "_action", broken_action)
    workspace = Workspace([MINI / "rules"], builtin=False)
    with pytest.raises(EngineError, match="injected in"):
        workspace.diagnoser.diagnose(case_with(attrition=60, days=2))
    # The failed batch's session is gone from durable_rules' core, not left behind.
    for ruleset in workspace.diagnoser.runner.host._host._ruleset_list:
        with pytest.raises(Exception, match="error code: 309"):
            ruleset.get_state("1")
    workspace.close()


def test_a_batch_that_fails_after_its_facts_are_in_leaves_no_session(monkeypatch) -> None:
    # durable_rules' intermittent errors (307) can come after the facts were taken in.
    import durable_rules_engine

    from csdiag.model.outcome import EngineError

    original = durable_rules_engine.start_action_for_state

    def failing(handle, state_handle):
        raise Exception("Could not start action, error code: 307 (injected)")

    workspace = Workspace([MINI / "rules"], builtin=False)
    diagnoser = workspace.diagnoser  # compiled and registered before the engine breaks
    monkeypatch.setattr(durable_rules_engine, "start_action_for_state", failing)
    with pytest.raises(EngineError, match="307"):
        diagnoser.diagnose(case_with(attrition=60, days=2))
    monkeypatch.setattr(durable_rules_engine, "start_action_for_state", original)
    for ruleset in diagnoser.runner.host._host._ruleset_list:
        with pytest.raises(Exception, match="error code: 309"):
            ruleset.get_state("1")
    assert diagnoser.diagnose(case_with(attrition=60, days=2)).findings
    workspace.close()
