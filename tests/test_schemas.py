"""JSON Schemas for editors: the files csdiag accepts validate, and typical mistakes are
flagged as the author types."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from csdiag.formats.json_schema import json_schema
from csdiag.formats.rule_pack import load_knowledge_base

from conftest import MINI, REPO, TESTS, run_cli

PACKS = [MINI / "rules", TESTS / "packs" / "certainty"]


def as_editor_sees(path: Path) -> object:
    """YAML as a YAML language server hands it to the schema: dates stay text."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def validator(kind: str, folder: Path) -> jsonschema.Draft202012Validator:
    schema = json_schema(kind, load_knowledge_base([folder]).vocabulary)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("folder", PACKS)
def test_every_rule_and_fixture_file_validates(folder: Path) -> None:
    rules, fixtures = validator("rule", folder), validator("fixture", folder)
    for path in sorted(folder.glob("*.yaml")):
        if path.name == "vocabulary.yaml":
            continue
        check = fixtures if path.name.endswith(".test.yaml") else rules
        errors = [e.message for e in check.iter_errors(as_editor_sees(path))]
        assert errors == [], path


def test_case_files_validate_and_mistakes_are_flagged() -> None:
    cases = validator("case", MINI / "rules")
    good = as_editor_sees(MINI / "cases" / "all-known.yaml")
    assert list(cases.iter_errors(good)) == []
    for fact, value in [("staff.atrition_pct", 40), ("staff.attrition_pct", 140),
                        ("ops.staffing_basis", "gut_feel"), ("hiring.attitude_screen", "no")]:
        bad = {**good, "facts": {fact: value}}
        assert list(cases.iter_errors(bad)), (fact, value)


def test_rule_mistakes_are_flagged() -> None:
    rules = validator("rule", MINI / "rules")
    good = as_editor_sees(MINI / "rules" / "untrained.yaml")
    for when in [{"fact": "staff.attrition_pct", "gt": 40},  # threshold not marked
                 {"fact": "staff.attrition_pct", "above": 40, "threshold": "judgement"},
                 {"fact": "ops.staffing_basis", "gt": 1, "threshold": "judgement"},
                 {"every": [{"finding": "x"}]}]:
        assert list(rules.iter_errors({**good, "when": when})), when
    without_remedies = {k: v for k, v in good.items() if k != "remedies"}
    assert list(rules.iter_errors(without_remedies))


def test_schema_command_prints_the_schema_for_the_vocabulary_in_use() -> None:
    result = run_cli("schema", "case", "--rules", MINI / "rules", "--no-builtin-rules")
    assert result.exit_code == 0
    assert '"staff.attrition_pct"' in result.stdout and '"maximum": 100.0' in result.stdout


@pytest.mark.parametrize("kind", ["rule", "case", "fixture", "vocabulary"])
def test_shipped_schemas_match_the_builtin_vocabulary(kind: str) -> None:
    """schemas/ is what editors load through the modelines; a fact added to
    rules/vocabulary.yaml without regenerating it would be flagged as unknown."""
    shipped = json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    current = run_cli("schema", kind)
    assert current.exit_code == 0
    assert shipped == json.loads(current.stdout), \
        f"regenerate: csdiag schema {kind} > schemas/{kind}.schema.json"


def test_builtin_rules_fixtures_and_cases_validate_against_the_shipped_schemas() -> None:
    schemas = {kind: jsonschema.Draft202012Validator(json.loads(
        (REPO / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")))
        for kind in ("rule", "case", "fixture")}
    files = [*sorted(p for p in (REPO / "rules").glob("*/*.yaml") if p.name != "vocabulary.yaml"),
             *sorted((REPO / "cases").glob("*.yaml")),
             *sorted((REPO / "examples").glob("*/*.yaml"))]  # follow-ups, respondents
    assert len(files) > 30
    for path in files:
        kind = "case" if "cases" in path.parts or "examples" in path.parts else \
            "fixture" if path.name.endswith(".test.yaml") else "rule"
        up = "../" * (len(path.relative_to(REPO).parts) - 1)
        assert path.read_text(encoding="utf-8").startswith(
            f"# yaml-language-server: $schema={up}schemas/")
        errors = [e.message for e in schemas[kind].iter_errors(as_editor_sees(path))]
        assert errors == [], path


def test_the_vocabulary_files_validate_against_their_schema() -> None:
    schema = jsonschema.Draft202012Validator(json.loads(
        (REPO / "schemas" / "vocabulary.schema.json").read_text(encoding="utf-8")))
    files = sorted((REPO / "rules").rglob("vocabulary.yaml"))
    assert len(files) >= 6
    for path in files:
        depth = "../" * (len(path.relative_to(REPO).parts) - 1)
        assert path.read_text(encoding="utf-8").startswith(
            f"# yaml-language-server: $schema={depth}schemas/vocabulary.schema.json"), path
        assert [e.message for e in schema.iter_errors(as_editor_sees(path))] == [], path
    wrong = {"facts": {"measure.fcr_tracked": {"type": "bool", "meaning": "x",
                                               "question": "y"}}}
    assert [e.message for e in schema.iter_errors(wrong)]  # 'bool' is flagged as you type
