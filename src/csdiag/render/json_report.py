"""The JSON report: a stable, documented shape (docs/json-output.md). Bump FORMAT_VERSION
on any change that could break a consumer."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from csdiag.features.explain import Explanation
from csdiag.reason.diagnosis import CaseResult, Conclusion, Evidence, source_label
from csdiag.render.explanation import explanation_data

# 3: 'certainty' of a ruled-out entry is minus the strength of the evidence against it;
# an undetermined entry carries its partial evidence ('certainty', 'signs_present',
# 'present') and any evidence against too weak to rule it out ('against'); remedies are
# those the case supports, with 'only_if'; evidence has a plain-language 'text'.
# 2: a finding met again in one explanation tree carries only its 'finding_id'; its
# nested explanation is where it is first met ('contributions', 'weak_signals',
# 'explanation' were additions to 1, not changes).
FORMAT_VERSION = 3


def _evidence(item: Evidence) -> dict[str, Any]:
    return {k: v for k, v in asdict(item).items() if v is not None}


def _conclusion(c: Conclusion) -> dict[str, Any]:
    rule = c.rule
    data: dict[str, Any] = {
        "id": rule.id, "title": rule.title, "kind": rule.kind, "certainty": c.certainty,
        "severity": rule.severity, "category": rule.category, "description": rule.description,
        "evidence": [_evidence(e) for e in c.evidence],
    }
    data["contributions"] = [{"rule": p.rule.id, "title": p.rule.title,
                              "rule_certainty": p.rule.certainty, "certainty": p.certainty,
                              "weights": p.weights,
                              "evidence": [_evidence(e) for e in p.evidence]}
                             for p in c.contributions]
    data["symptoms"] = c.symptoms
    if rule.kind == "diagnosis":
        data["remedies"] = [{**r.remedy.model_dump(), "only_if": r.only_if} for r in c.remedies]
    data["sources"] = [{"label": source_label(s), **s.model_dump(exclude_none=True)}
                       for s in rule.sources]
    data["rule_file"] = rule.file
    return data


def case_data(result: CaseResult,
              explanations: dict[str, Explanation] | None = None) -> dict[str, Any]:
    case = result.case
    data: dict[str, Any] = {
        "case": {"id": case.id, "organisation": case.organisation, "date": case.date,
                 "assessor": case.assessor, "file": case.file,
                 "facts_known": len(case.facts)},
        "diagnoses": [_conclusion(c) for c in result.diagnoses],
        "weak_signals": [_conclusion(c) for c in result.weak_signals],
        "findings": [_conclusion(c) for c in result.findings],
        "undetermined": [{"id": u.rule.id, "title": u.rule.title, "severity": u.rule.severity,
                          "missing_facts": [{"fact": m.fact, "question": m.question}
                                            for m in u.missing_facts],
                          "certainty": u.certainty, "signs_present": u.signs_present,
                          "signs": u.signs, "present": [_evidence(e) for e in u.present],
                          "symptoms": u.symptoms, "against": u.against,
                          "counter_evidence": [_evidence(e) for e in u.counter_evidence]}
                         for u in result.undetermined],
        "ruled_out": [{"id": c.rule.id, "title": c.rule.title, "certainty": c.certainty,
                       "evidence": [_evidence(e) for e in c.evidence]}
                      for c in result.ruled_out],
        "remedies": [asdict(r) for r in result.remedies],
        "questions": [asdict(q) for q in result.questions],
        "threshold": result.threshold,
        "summary": {"diagnoses": len(result.diagnoses), "weak_signals": len(result.weak_signals),
                    "partial_signals": len(result.partial_signals()),
                    "undetermined": len(result.undetermined),
                    "ruled_out": len(result.ruled_out), "findings": len(result.findings)},
    }
    if explanations:
        for group in ("diagnoses", "weak_signals", "undetermined", "ruled_out"):
            for entry in data[group]:
                entry["explanation"] = explanation_data(explanations[entry["id"]])
    return data


def render_json(results: list[CaseResult],
                explanations: list[dict[str, Explanation]] | None = None) -> str:
    """`explanations`, one per result, add each entry's how / why-not tree."""
    from csdiag.render.stream import JsonStream  # the one implementation

    stream = JsonStream()
    return (stream.start()
            + "".join(stream.case(r, explanations[i] if explanations else None)
                      for i, r in enumerate(results))
            + stream.end())
