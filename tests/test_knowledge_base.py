"""The built-in knowledge base: the seed causes under their fixed ids, each sourced."""

from __future__ import annotations

from csdiag.formats.rule import SeedSource
from csdiag.formats.rule_pack import builtin_rules_folder, load_knowledge_base
from csdiag.model.logic import findings_used

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
    assert result.stdout.startswith("0 errors, 0 warnings (0 silenced) in ")
