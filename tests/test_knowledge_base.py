"""The built-in knowledge base: the seed causes under their fixed ids, each sourced."""

from __future__ import annotations

import re

from csdiag import KnownFact, Workspace
from csdiag.formats.rule import SeedSource
from csdiag.formats.rule_pack import builtin_rules_folder, load_knowledge_base
from csdiag.model.logic import atoms, findings_used

from conftest import REPO, run_cli
from test_scenarios import LOOP, SEED_CAUSES


def test_all_seed_causes_are_diagnoses_with_their_seed_cited() -> None:
    kb = load_knowledge_base([builtin_rules_folder()])
    seeds = {"000_83875f63fad1f6fe.txt": 9, "004_f4c53d8a01f6459c.txt": 4}
    cited: dict[str, set[int]] = {name: set() for name in seeds}
    for rule_id in SEED_CAUSES:
        rule = kb.rules[rule_id]
        assert rule.kind == "diagnosis"
        assert len(rule.remedies) >= 2, f"{rule_id} needs remedies from seeds and research"
        for source in rule.sources:
            if isinstance(source, SeedSource):
                cited[source.seed].add(source.cause)
    assert cited == {name: set(range(1, count + 1)) for name, count in seeds.items()}


def test_vicious_circle_is_a_compound_of_findings() -> None:
    kb = load_knowledge_base([builtin_rules_folder()])
    loop = kb.rules[LOOP]
    assert loop.kind == "diagnosis"
    assert "new-hires-untrained" in findings_used(loop.condition)
    assert kb.strata[LOOP] > kb.strata["new-hires-untrained"]


def test_the_builtin_rules_pass_their_own_fixtures_with_full_condition_coverage() -> None:
    result = run_cli("rules", "test", REPO / "rules", "--coverage",
                     "--min-coverage", "100")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.endswith(" passed, 0 failed\n")
    assert "total condition coverage: " in result.stdout and "(100.0%)" in result.stdout


def test_the_builtin_rules_lint_clean_even_strictly() -> None:
    result = run_cli("rules", "lint", REPO / "rules", "--strict")
    assert result.exit_code == 0, result.stdout
    # Silenced warnings carry their reason in the rule file ('ignore:'); none is left open.
    assert re.match(r"0 errors, 0 warnings \(\d+ silenced\) in ", result.stdout), result.stdout


def test_every_fact_of_the_vocabulary_is_read_by_some_rule() -> None:
    kb = load_knowledge_base([builtin_rules_folder()])
    read = {atom.fact for rule in kb.rules.values() for atom in atoms(rule.condition)
            if hasattr(atom, "fact")}
    unread = sorted(set(kb.vocabulary.names()) - read)
    assert not unread, f"facts no rule reads (the interview would ask them for nothing): {unread}"


PROGRAMME_ONLY = {"programme.owner", "programme.line_managers_involved",
                  "programme.expected_payback_months"}


def test_with_no_service_programme_its_questions_are_not_asked_and_its_causes_are_ruled_out(
        tmp_path) -> None:
    with Workspace() as workspace:
        case = workspace.new_case(tmp_path / "c.yaml", "No Programme Ltd", "A")
        asked = {q.fact for q in workspace.interview(case).questions()}
        assert asked >= PROGRAMME_ONLY  # a programme may exist: its questions are open
        case.facts["programme.exists"] = KnownFact(False)
        case.facts["cx.satisfaction_trend"] = KnownFact("falling")
        result = workspace.diagnose(case)
        asked = {q.fact for q in workspace.interview(case).questions()}
    assert not PROGRAMME_ONLY & asked
    ruled_out = {c.rule.id for c in result.ruled_out}
    assert {"expecting-quick-wins", "training-only-initiative"} <= ruled_out
    assert "no-improvement-effort" in {c.rule.id for c in result.diagnoses}


def test_a_fact_the_case_leaves_out_is_not_shown_as_evidence(tmp_path) -> None:
    # expecting-quick-wins holds 'where there is a programme, or none is stated'.
    with Workspace() as workspace:
        case = workspace.new_case(tmp_path / "c.yaml", "Quick Ltd", "A")
        case.facts["programme.expected_payback_months"] = KnownFact(3)
        case.facts["programme.under_threat_for_results"] = KnownFact(True)
        (diagnosis,) = [c for c in workspace.diagnose(case).diagnoses
                        if c.rule.id == "expecting-quick-wins"]
    assert [e.fact for e in diagnosis.evidence] == [
        "programme.expected_payback_months", "programme.under_threat_for_results"]
