"""Certainty: evidence for and against combined by the MYCIN algebra, estimates, weak
signals, and graded evidence that does not flip at a threshold."""

from __future__ import annotations

import pytest

from csdiag import Workspace
from csdiag.formats.case import Case, KnownFact
from csdiag.reason.certainty import combine
from csdiag.reason.diagnosis import CaseResult

from conftest import TESTS

PACK = TESTS / "packs" / "certainty"
NAMES = {"days": "training.new_hire_days", "skill_test": "training.skill_test_before_live",
         "mentor": "training.mentor_assigned", "attrition": "staff.attrition_pct"}


@pytest.fixture(scope="module")
def diagnoser() -> Workspace:
    return Workspace([PACK], builtin=False)


def diagnose(diagnoser: Workspace, confidence: dict[str, float] | None = None,
             **facts: object) -> CaseResult:
    confidence = confidence or {}
    case = Case("c", "C", "2026-11-01", "T", "c.yaml", facts={
        NAMES[k]: KnownFact(v, confidence=confidence.get(k))  # type: ignore[arg-type]
        for k, v in facts.items()})
    return diagnoser.diagnose(case)


def certainty_of(result: CaseResult, rule_id: str) -> tuple[str, float]:
    for section in ("diagnoses", "weak_signals", "ruled_out"):
        for conclusion in getattr(result, section):
            if conclusion.rule.id == rule_id:
                return section, conclusion.certainty
    return "undetermined", 0.0


def test_the_documented_worked_example() -> None:
    assert combine([0.6, 0.5, -0.4]) == pytest.approx(0.6667, abs=1e-4)
    assert combine([0.5, -0.4, 0.6]) == pytest.approx(0.6667, abs=1e-4)  # order-free
    assert combine([-0.5, -0.5]) == pytest.approx(-0.75)
    assert combine([]) == 0.0


def test_evidence_for_and_against_combines(diagnoser) -> None:
    result = diagnose(diagnoser, days=3, skill_test=False, mentor=True)
    assert certainty_of(result, "untrained") == ("diagnoses", 0.6667)
    (conclusion,) = [c for c in result.diagnoses if c.rule.id == "untrained"]
    assert {c.rule.id: c.certainty for c in conclusion.contributions} == {
        "untrained": 0.6, "untrained-no-skill-test": 0.5, "untrained-mentor-offsets": -0.4}


def test_evidence_against_too_weak_to_rule_out_leaves_a_diagnosis_open(diagnoser) -> None:
    # 20 days refutes the graded rule, but the skills-test rule is still open, so the only
    # evidence against is the mentor rule's -0.4: not above the 0.5 needed to rule it out.
    result = diagnose(diagnoser, days=20, mentor=True)
    assert certainty_of(result, "untrained") == ("undetermined", 0.0)
    (open_,) = [u for u in result.undetermined if u.rule.id == "untrained"]
    assert open_.against == 0.4


def test_evidence_against_that_passes_the_line_rules_a_diagnosis_out(diagnoser) -> None:
    # Both supporting rules refuted: -0.4 combined with full refutation.
    result = diagnose(diagnoser, days=20, skill_test=True, mentor=True)
    assert certainty_of(result, "untrained") == ("ruled_out", -1.0)


def test_weak_evidence_is_a_weak_signal_not_a_diagnosis(diagnoser) -> None:
    result = diagnose(diagnoser, skill_test=False, mentor=True)  # 0.5 against -0.4
    assert certainty_of(result, "untrained") == ("weak_signals", 0.1667)
    assert diagnoser.diagnose(result.case, threshold=0.1).diagnoses[0].rule.id == "untrained"


def test_an_estimate_lowers_the_certainty_of_what_rests_on_it(diagnoser) -> None:
    assert certainty_of(diagnose(diagnoser, days=3), "untrained") == ("diagnoses", 0.6)
    estimated = diagnose(diagnoser, {"days": 0.6}, days=3)
    assert certainty_of(estimated, "untrained") == ("weak_signals", 0.36)


# 'falls from 15 to 5': false at 15 and above; borderline from 15 down to the middle
# (weight 1/4) and from the middle to 5 (1/2); full weight at 5 and below. The rule's
# certainty is 0.6, so a borderline value alone is a weak signal.
@pytest.mark.parametrize(("days", "expected"), [
    (16, ("ruled_out", -1.0)), (15, ("ruled_out", -1.0)), (14.9, ("weak_signals", 0.15)),
    (12.5, ("weak_signals", 0.15)), (10, ("weak_signals", 0.15)), (7, ("weak_signals", 0.3)),
    (5, ("diagnoses", 0.6)), (2, ("diagnoses", 0.6))])
def test_graded_evidence_grows_across_its_range(diagnoser, days, expected) -> None:
    # The skills test is passed, so the graded training days are the only evidence.
    result = diagnose(diagnoser, days=days, skill_test=True)
    assert certainty_of(result, "untrained") == expected


def test_other_evidence_still_open_keeps_a_conclusion_undetermined(diagnoser) -> None:
    # 20 days rules the graded rule out, but the skills test could still argue for it.
    result = diagnose(diagnoser, days=20)
    assert certainty_of(result, "untrained") == ("undetermined", 0.0)
    (open_,) = [u for u in result.undetermined if u.rule.id == "untrained"]
    assert [m.fact for m in open_.missing_facts] == ["training.mentor_assigned",
                                                     "training.skill_test_before_live"]


def test_a_borderline_value_does_not_flip_the_loop_to_full_certainty(diagnoser) -> None:
    # Attrition of 32% is barely into the 30-50% ramp (band weight 0.25, so the finding
    # is 0.9 x 0.25): the loop is only a weak signal, 0.9 x min(0.6, 0.225).
    weak = diagnose(diagnoser, days=3, attrition=32)
    assert certainty_of(weak, "cycle") == ("weak_signals", 0.2025)
    strong = diagnose(diagnoser, days=3, attrition=60)
    assert certainty_of(strong, "cycle") == ("weak_signals", 0.54)
