"""Sector profiles: a rule states a threshold per sector where sources differ; the case's
org.sector selects it, and an unknown or unlisted sector takes the rule's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from csdiag import KnownFact, Workspace

from conftest import run_cli

VOCABULARY = """facts:
  org.sector:
    type: enum
    values: [contact_centre, retail, public_service]
    meaning: The kind of service operation.
    question: What kind of service operation is this?
  wait.minutes:
    type: number
    unit: minute|minutes
    min: 0
    meaning: Minutes a customer waits to be served.
    question: How many minutes does a customer wait to be served?
"""
RULE = """id: long-waits
kind: diagnosis
title: Customers wait too long
description: Customers wait longer than the sector tolerates.
severity: medium
certainty: 0.8
when:
  fact: wait.minutes
  gt: 10
  threshold: judgement
  band: [8, 12]
  by_sector:
    retail: 5
    public_service: {gt: 20, threshold: published, band: [15, 25]}
remedies:
  - id: staff-the-peaks
    action: Staff the peaks.
    why: Queues grow faster than load.
sources:
  - citation: "A test source"
"""


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    (tmp_path / "vocabulary.yaml").write_text(VOCABULARY, encoding="utf-8")
    (tmp_path / "long-waits.yaml").write_text(RULE, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("sector", "minutes", "diagnosed"), [
    ("retail", 7, True),              # past retail's 5
    ("contact_centre", 7, False),     # an unlisted sector takes the rule's 10
    (None, 14, True),                 # an unknown sector too
    ("public_service", 14, False),    # under the public service's 15..25 band
    ("public_service", 30, True),
])
def test_the_sector_selects_the_threshold(pack: Path, sector: str | None, minutes: float,
                                          diagnosed: bool) -> None:
    with Workspace([pack], builtin=False) as workspace:
        case = workspace.new_case(pack / "c.yaml", "Test", "A")
        case.facts["wait.minutes"] = KnownFact(minutes)
        if sector:
            case.facts["org.sector"] = KnownFact(sector)
        result = workspace.diagnose(case)
    assert ("long-waits" in {c.rule.id for c in result.diagnoses}) is diagnosed
    if diagnosed:
        evidence = " ".join(e.text for e in result.diagnoses[0].evidence)
        # The line drawn says which profile it comes from; the rule's own says none.
        profile = {"retail": "the line at 5 minutes for retail",
                   "public_service": "the line at 20 minutes for public service"}
        if sector:
            assert profile[sector] in evidence, evidence
        else:
            assert "the line at 10 minutes (our judgement)" in evidence, evidence


def test_a_sector_the_vocabulary_lacks_is_named_with_its_place(pack: Path) -> None:
    rule = pack / "long-waits.yaml"
    rule.write_text(RULE.replace("    retail: 5", "    retial: 5"), encoding="utf-8")
    result = run_cli("rules", "lint", pack, "--no-builtin-rules")
    assert result.exit_code == 1
    assert "long-waits.yaml:13:5: error: 'retial' is not a sector of org.sector" in result.stdout
    assert "did you mean 'retail'?" in result.stdout


def test_questions_that_cannot_bring_a_diagnosis_to_the_threshold_are_not_asked(
        pack: Path) -> None:
    (pack / "vocabulary.yaml").write_text(VOCABULARY + """  wait.signs_posted:
    type: boolean
    meaning: Waiting times are posted.
    question: Are waiting times posted?
""", encoding="utf-8")
    (pack / "no-signs.yaml").write_text(RULE.replace("id: long-waits", "id: no-signs")
        .replace("certainty: 0.8", "certainty: 0.5").replace("""  fact: wait.minutes
  gt: 10
  threshold: judgement
  band: [8, 12]
  by_sector:
    retail: 5
    public_service: {gt: 20, threshold: published, band: [15, 25]}""", """  fact: wait.signs_posted
  eq: false"""), encoding="utf-8")
    with Workspace([pack], builtin=False) as workspace:
        case = workspace.new_case(pack / "c.yaml", "Test", "A")
        asked = {q.fact for q in workspace.diagnose(case).questions}
        assert "wait.minutes" in asked and "wait.signs_posted" not in asked  # 0.5 < 0.6
        asked = {q.fact for q in workspace.diagnose(case, threshold=0.4).questions}
        assert "wait.signs_posted" in asked


def test_a_pack_adds_a_sector_profile_to_the_builtin_pack(tmp_path: Path) -> None:
    pack = tmp_path / "ours"
    pack.mkdir()
    (pack / "vocabulary.yaml").write_text("""facts:
  org.sector:
    type: enum
    values: [contact_centre, retail, branch_network, b2b_key_accounts, public_service,
             healthcare, software_support, other, utilities]
    labels:
      utilities: {en: utilities, zh: 公用事业, ru: коммунальные услуги}
    meaning: The kind of service operation.
    question: What kind of service operation is this?
""", encoding="utf-8")
    with Workspace([pack]) as workspace:
        sector = workspace.fact("org.sector")
        assert "utilities" in (sector.values or []) and "retail" in (sector.values or [])
        assert sector.value_label("utilities") == "utilities"
        assert len(workspace.rules()) > 40  # the built-in pack still loads beside it


def test_rules_list_names_the_sectors_a_rule_has_thresholds_for(pack: Path) -> None:
    text = run_cli("rules", "list", "--rules", pack, "--no-builtin-rules").stdout
    assert "Customers wait too long [thresholds by sector: public_service, retail]" in text
    import json

    listed = json.loads(run_cli("rules", "list", "--rules", pack, "--no-builtin-rules",
                                "--format", "json").stdout)
    assert listed[0]["sector_profiles"] == ["public_service", "retail"]


def test_facts_name_the_rules_and_sectors_with_thresholds_of_their_own(pack: Path) -> None:
    text = run_cli("facts", "--rules", pack, "--no-builtin-rules").stdout
    assert ("thresholds by sector in long-waits: public_service, retail; any other sector "
            "takes the rule's default") in " ".join(text.split())
    import json

    listed = {f["name"]: f for f in json.loads(
        run_cli("facts", "--rules", pack, "--no-builtin-rules", "--format", "json").stdout)}
    assert listed["wait.minutes"]["sector_thresholds"] == {
        "long-waits": ["public_service", "retail"]}
    assert listed["org.sector"]["sector_thresholds"] == {}
