"""Acceptance: each scenario in ../shared/scenarios/, encoded as cases/<name>.yaml, reaches
the verdict an experienced consultant reaches."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from csdiag import Status, Verdict, Workspace, render_text
from csdiag.reason.diagnosis import CaseResult

from conftest import REPO

SEED_CAUSES = [
    "culture-not-service-led", "staff-see-no-benefit", "no-management-backing",
    "expecting-quick-wins", "training-only-initiative", "one-off-training",
    "no-positive-feedback", "internal-service-chain-neglected", "detail-obsession",
    "customers-seen-as-replaceable", "poor-hiring", "new-hires-untrained",
    "profit-over-service-decisions",
]
LOOP = "turnover-training-vicious-circle"

# (must diagnose, must not diagnose, undetermined), from each scenario's "Verdict".
VERDICTS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "hongyuan-logistics": (
        ["internal-service-chain-neglected"],
        ["no-management-backing", "training-only-initiative", "one-off-training",
         "no-positive-feedback", "staff-see-no-benefit", "detail-obsession", "poor-hiring",
         "new-hires-untrained"],
        []),
    "volga-bank": (
        ["expecting-quick-wins", "training-only-initiative", "one-off-training",
         "staff-see-no-benefit", "no-positive-feedback"],
        ["poor-hiring", "new-hires-untrained"],
        []),
    # Beyond the seeds: each verdict names concepts; the rule covering each is given.
    "kestrel-water": (
        ["profit-over-service-decisions",
         "sustained-staff-overload",        # sustained agent overload
         "failure-demand-from-low-fcr",     # failure demand from low first-contact resolution
         "complaint-handling-fails",        # complaint handling against ISO 10002
         "front-line-lacks-authority",      # no authority to resolve
         "occupancy-trap"],                 # loop: overload -> absence, attrition -> overload
        ["poor-hiring", "new-hires-untrained", "one-off-training", "no-positive-feedback"],
        []),
    "lumen-software": (
        ["listening-gap",                   # gap 1
         "standards-gap",                   # gap 2
         "communication-gap",               # gap 4
         "front-line-lacks-tools",          # no tools or access to resolve
         "no-issue-owner"],                 # no single owner across teams
        ["poor-hiring", "new-hires-untrained", "one-off-training", "no-positive-feedback"],
        []),
    "maple-stores": (
        ["profit-over-service-decisions", "poor-hiring", "new-hires-untrained",
         "experienced-staff-replaced-on-cost"],  # experienced staff replaced on cost
        [],
        ["culture-not-service-led", "internal-service-chain-neglected"]),
    "northshire-benefits": (
        ["profit-over-service-decisions",
         "capacity-cut-unassessed",         # a capacity cut made without modelling it
         "demand-exceeds-capacity"],        # chronic under-capacity
        ["poor-hiring", "no-positive-feedback", "no-management-backing"],
        []),
    # Our own scenarios (docs/scenarios/), for causes the shared ones do not reach.
    "hillcrest-clinics": (
        ["thin-supervision", "competence-not-verified", "disciplinary-coaching",
         "voc-loop-not-closed", "standards-gap"],
        ["poor-hiring", "new-hires-untrained", "pay-below-market-drives-attrition"],
        []),
    "harbour-hotels": (
        ["pay-below-market-drives-attrition", "underperformers-kept-tight-labour-market",
         "employee-cycle-of-failure", "programme-of-the-month",
         "customer-defection-not-measured", "new-hires-untrained"],
        ["front-line-lacks-authority", "no-positive-feedback"],
        []),
    "riverbend-council": ([], [], []),
    "parkside-dental": ([], [], ["no-management-backing"]),
    "northwind-telecom": (
        ["customers-seen-as-replaceable", "poor-hiring", "new-hires-untrained",
         "profit-over-service-decisions", LOOP],
        ["no-positive-feedback", "detail-obsession", "no-management-backing"],
        []),
    "huaxin-industrial": (
        ["culture-not-service-led", "staff-see-no-benefit", "no-management-backing",
         "training-only-initiative", "one-off-training", "no-positive-feedback"],
        ["detail-obsession", "new-hires-untrained", "poor-hiring"],
        ["customers-seen-as-replaceable"]),
    "brightline-bank": (
        ["detail-obsession", "internal-service-chain-neglected"],
        ["no-management-backing", "one-off-training", "training-only-initiative",
         "poor-hiring", "new-hires-untrained", "no-positive-feedback", "staff-see-no-benefit"],
        []),
    "evergreen-outfitters": ([], [*SEED_CAUSES, LOOP], []),
    "swiftcart-quickwin": (
        ["expecting-quick-wins"],
        ["no-management-backing", "training-only-initiative", "one-off-training"],
        ["poor-hiring", "new-hires-untrained", "staff-see-no-benefit",
         "internal-service-chain-neglected", "detail-obsession"]),
}


# Weak signals (certainty above 0, below 0.6, reported with their reasoning) and
# "nothing at high certainty", where a scenario's verdict gives them.
WEAK_SIGNALS = {
    "riverbend-council": ["detail-obsession", "internal-service-chain-neglected"],
    "parkside-dental": ["poor-hiring", "new-hires-untrained"],
}
NOTHING_HIGH = {"riverbend-council", "parkside-dental"}
HIGH_CERTAINTY = 0.6


@pytest.fixture(scope="module")
def diagnoser() -> Workspace:
    return Workspace()


def diagnose(diagnoser: Workspace, name: str) -> CaseResult:
    (case,) = diagnoser.load_cases([REPO / "cases" / f"{name}.yaml"])
    return diagnoser.diagnose(case)


@pytest.mark.parametrize("name", sorted(VERDICTS))
def test_scenario_verdict(diagnoser: Workspace, name: str) -> None:
    must, must_not, undetermined = VERDICTS[name]
    result = diagnose(diagnoser, name)
    diagnosed = {c.rule.id for c in result.diagnoses}
    ruled_out = {c.rule.id for c in result.ruled_out}
    open_ = {u.rule.id: u for u in result.undetermined}
    assert set(must) <= diagnosed, f"not diagnosed: {sorted(set(must) - diagnosed)}"
    # The notes give evidence against these: they must be ruled out, not merely unassessed.
    assert set(must_not) <= ruled_out, f"not ruled out: {sorted(set(must_not) - ruled_out)}"
    for rule_id in undetermined:
        assert rule_id in open_, f"{rule_id} should be reported as not assessable"
        assert open_[rule_id].missing_facts, f"{rule_id} names no fact that would settle it"
    if name == "evergreen-outfitters":
        assert result.diagnoses == []
    if name in NOTHING_HIGH:
        high = [c.rule.id for c in [*result.diagnoses, *result.weak_signals]
                if c.certainty >= HIGH_CERTAINTY]
        assert not high, f"reached high certainty on hearsay or borderline values: {high}"
    weak = {c.rule.id: c.certainty for c in result.weak_signals}
    weak |= {u.rule.id: u.certainty for u in result.partial_signals()}
    for rule_id in WEAK_SIGNALS.get(name, []):
        assert rule_id in weak, f"{rule_id} should be a weak signal"
        assert 0 < weak[rule_id] < HIGH_CERTAINTY, (rule_id, weak[rule_id])


@pytest.mark.parametrize("name", sorted(WEAK_SIGNALS))
def test_a_weak_signal_is_reported_with_its_reasoning(diagnoser: Workspace, name: str) -> None:
    result = diagnose(diagnoser, name)
    report = render_text([result])
    section = report.split("WEAK SIGNALS", 1)[1].split("\n\n", 1)[0]
    for rule_id in WEAK_SIGNALS[name]:
        entry = section.split(f"[{rule_id}]", 1)[1].split("\n  - ", 1)[0]
        # Neither silence nor a bare number: the evidence, and what would settle it.
        assert "certainty 0." in entry
        assert "Present:" in entry or "Evidence:" in entry, entry


def test_every_diagnosis_cites_the_case_facts_it_rests_on(diagnoser: Workspace) -> None:
    for name in VERDICTS:
        result = diagnose(diagnoser, name)
        for conclusion in [*result.diagnoses, *result.findings, *result.ruled_out]:
            assert conclusion.evidence, f"{name}: {conclusion.rule.id} has no evidence"
            for item in conclusion.evidence:
                if item.fact is not None:
                    assert item.fact in result.case.facts, (name, conclusion.rule.id, item)
                    assert item.value == result.case.facts[item.fact].value


def test_swiftcart_asks_about_the_areas_its_notes_do_not_cover(diagnoser: Workspace) -> None:
    result = diagnose(diagnoser, "swiftcart-quickwin")
    missing = {u.rule.id: {m.fact.split(".")[0] for m in u.missing_facts}
               for u in result.undetermined}
    assert "hiring" in missing["poor-hiring"]
    assert "training" in missing["new-hires-untrained"]


def _conditions(explanation):
    for step in explanation.steps:
        for item in step.conditions:
            yield step, item
            if item.finding is not None:
                yield from _conditions(item.finding)


@pytest.mark.parametrize("name", sorted(VERDICTS))
def test_every_diagnosis_has_a_how_whose_facts_match_the_case(diagnoser: Workspace,
                                                              name: str) -> None:
    result = diagnose(diagnoser, name)
    for conclusion in result.diagnoses:
        explanation = diagnoser.explain(result.case, conclusion.rule.id)
        assert explanation.verdict is Verdict.DIAGNOSED
        assert explanation.certainty == conclusion.certainty
        held = [(step, item) for step, item in _conditions(explanation)
                if step.status is Status.HOLDS and item.status is Status.HOLDS and item.fact]
        assert held, f"{name}: {conclusion.rule.id} shows no fact"
        for _, item in held:
            if item.fact not in result.case.facts:  # 'known: false' holds for it
                assert item.condition.endswith("is unknown"), item.condition
                continue
            assert item.value == result.case.facts[item.fact].value


@pytest.mark.parametrize("name", sorted(VERDICTS))
def test_every_must_not_has_a_why_not_naming_the_failing_condition(diagnoser: Workspace,
                                                                  name: str) -> None:
    result = diagnose(diagnoser, name)
    for rule_id in VERDICTS[name][1]:
        explanation = diagnoser.explain(result.case, rule_id)
        assert explanation.verdict is Verdict.RULED_OUT
        failing = [item for step in explanation.steps if step.rule.certainty > 0
                   for item in step.conditions if item.status is Status.FAILS]
        assert failing, f"{name}: {rule_id} names no failing condition"


def _converse(case_path: Path, output: Path) -> tuple[str, int]:
    """Run `csdiag interview` from an empty case, answering each question on standard
    input from the scenario's case file ('unknown' where the notes say nothing)."""
    with case_path.open(encoding="utf-8") as handle:
        known = yaml.safe_load(handle)["facts"]
    process = subprocess.Popen(
        [sys.executable, "-c", "from csdiag.cli import main; main()", "interview", "-o",
         str(output)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert process.stdin is not None and process.stdout is not None
    raw = b""  # bytes: the output holds multi-byte characters such as '→'
    questions = 0
    answers: list[str] = []
    while True:
        byte = process.stdout.read(1)
        if not byte:
            break
        raw += byte
        if raw.endswith(b"\n> "):
            transcript = raw.decode("utf-8")
            fact = transcript[transcript.rindex("\n[") + 2:].split("]", 1)[0]
            entry = known.get(fact)
            value = entry.get("value") if isinstance(entry, dict) else entry
            answer = "unknown" if value is None else yaml.safe_dump(value).split("\n")[0]
            if isinstance(entry, dict) and ("at_least" in entry or "at_most" in entry):
                low, high = entry.get("at_least"), entry.get("at_most")
                answer = (f"between {low} and {high}" if low is not None and high is not None
                          else f"at least {low}" if low is not None else f"at most {high}")
            process.stdin.write(answer.encode() + b"\n")
            process.stdin.flush()
            questions += 1
            answers.append(answer)
    transcript = raw.decode("utf-8")
    assert process.wait(timeout=60) == 0, transcript
    # Piped answers are echoed after their prompt, so the transcript reads as a dialogue.
    assert all(f"\n> {answer}\n" in transcript for answer in answers), transcript
    return transcript, questions


RATIO_BEFORE = {"brightline-bank": 49 / 64, "evergreen-outfitters": 44 / 64,
                "hongyuan-logistics": 41 / 64, "huaxin-industrial": 39 / 64,
                "northwind-telecom": 51 / 64, "riverbend-council": 56 / 64,
                "swiftcart-quickwin": 56 / 64, "volga-bank": 54 / 64}

# The interview records answers as certain: a case of hearsay cannot be re-told through it.
HEARSAY = {"parkside-dental"}


@pytest.mark.parametrize("name", sorted(set(VERDICTS) - HEARSAY))
def test_interview_from_nothing_reaches_the_same_verdict_with_fewer_questions(
        diagnoser: Workspace, name: str, tmp_path: Path) -> None:
    transcript, questions = _converse(REPO / "cases" / f"{name}.yaml", tmp_path / "out.yaml")
    (case,) = diagnoser.load_cases([tmp_path / "out.yaml"])
    interviewed = diagnoser.diagnose(case)

    def ids(result: CaseResult) -> tuple[set[str], ...]:
        return ({c.rule.id for c in result.diagnoses}, {c.rule.id for c in result.ruled_out},
                {u.rule.id for u in result.undetermined})

    # The scenario's verdict (answers are recorded as certain, so a case that holds
    # estimates may reach a little more; the interview leaves unasked what could only
    # rule a cause out, or bring one no higher than a weak signal).
    must, must_not, _ = VERDICTS[name]
    assert set(must) <= ids(interviewed)[0] and not set(must_not) & ids(interviewed)[0]
    facts = len(diagnoser.kb.vocabulary.facts)
    print(f"{name}: {questions} questions asked; the vocabulary has {facts} facts "
          f"({questions / facts:.0%})")
    # Fewer questions for the vocabulary's size than before it grew (asked / facts then,
    # with 64 facts); the interview stops asking what could only rule a cause out.
    assert questions / facts < RATIO_BEFORE.get(name, 0.7), (questions, facts)
    assert "Nothing left to ask could change the result." in transcript
