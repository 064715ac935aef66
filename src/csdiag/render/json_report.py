"""The JSON report: a stable, documented shape (docs/json-output.md). Bump FORMAT_VERSION
on any change that could break a consumer."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

from csdiag.features.explain import Explanation
from csdiag.i18n import Text, current_language, use_language
from csdiag.reason.diagnosis import CaseResult, Conclusion, Evidence, source_label
from csdiag.render.explanation import explanations_data

# 5: a report of several cases ends with a top-level 'portfolio' (docs/json-output.md):
# the causes most often diagnosed, the facts most often missing, the cases ranked.
# 4: each case names the 'language' its text fields are written in; titles,
# descriptions, questions and remedies are in that language.
# 3: 'certainty' of a ruled-out entry is minus the strength of the evidence against it;
# an undetermined entry carries its partial evidence ('certainty', 'signs_present',
# 'present') and any evidence against too weak to rule it out ('against'); remedies are
# those the case supports, with 'only_if'; evidence has a plain-language 'text'.
# 2: a finding met again in one explanation tree carries only its 'finding_id'; its
# nested explanation is where it is first met ('contributions', 'weak_signals',
# 'explanation' were additions to 1, not changes).
FORMAT_VERSION = 5


def plain(value: Any) -> Any:
    """`value` as JSON data; knowledge text in the report's language."""
    if isinstance(value, (str, int, float)) or value is None:
        return value  # most values: checked first
    if isinstance(value, Text):
        return str(value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    names = _field_names(type(value))
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    return value


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(kind: type) -> tuple[str, ...] | None:
    """A dataclass's field names (None for any other type), looked up once per class."""
    if kind not in _FIELD_NAMES:
        _FIELD_NAMES[kind] = tuple(f.name for f in fields(kind)) if is_dataclass(kind) \
            else None
    return _FIELD_NAMES[kind]


_EVIDENCE_FIELDS = tuple(f.name for f in fields(Evidence))  # every one a plain value


def _evidence(item: Evidence) -> dict[str, Any]:
    return {name: value for name in _EVIDENCE_FIELDS
            if (value := getattr(item, name)) is not None}


def _conclusion(c: Conclusion) -> dict[str, Any]:
    rule = c.rule
    data: dict[str, Any] = {
        "id": rule.id, "title": str(rule.title), "kind": rule.kind, "certainty": c.certainty,
        "severity": rule.severity, "category": rule.category,
        "description": str(rule.description),
        "evidence": [_evidence(e) for e in c.evidence],
    }
    data["contributions"] = [{"rule": p.rule.id, "title": str(p.rule.title),
                              "rule_certainty": p.rule.certainty, "certainty": p.certainty,
                              "weights": p.weights,
                              "evidence": [_evidence(e) for e in p.evidence]}
                             for p in c.contributions]
    data["symptoms"] = c.symptoms
    if rule.kind == "diagnosis":
        data["remedies"] = [{**r.remedy.model_dump(exclude={"cost"}),
                             "action": str(r.remedy.action), "why": str(r.remedy.why),
                             "only_if": r.only_if, "figure": r.figure} for r in c.remedies]
    data["sources"] = [{"label": source_label(s), **s.model_dump(exclude_none=True)}
                       for s in rule.sources]
    data["rule_file"] = rule.file
    return data


def case_data(result: CaseResult,
              explanations: dict[str, Explanation] | None = None) -> dict[str, Any]:
    """One case of the JSON report, its text in the language the case was diagnosed in."""
    with use_language(result.language):
        return _case_data(result, explanations)


def _case_data(result: CaseResult,
               explanations: dict[str, Explanation] | None) -> dict[str, Any]:
    case = result.case
    data: dict[str, Any] = {
        "language": current_language(),
        "case": {"id": case.id, "organisation": case.organisation, "date": case.date,
                 "assessor": case.assessor, "file": case.file,
                 "facts_known": len(case.facts)},
        "diagnoses": [_conclusion(c) for c in result.diagnoses],
        "weak_signals": [_conclusion(c) for c in result.weak_signals],
        "findings": [_conclusion(c) for c in result.findings],
        "undetermined": [{"id": u.rule.id, "title": str(u.rule.title), "severity": u.rule.severity,
                          "missing_facts": [{"fact": m.fact, "question": str(m.question)}
                                            for m in u.missing_facts],
                          "certainty": u.certainty, "signs_present": u.signs_present,
                          "signs": u.signs, "present": [_evidence(e) for e in u.present],
                          "symptoms": u.symptoms, "against": u.against,
                          "counter_evidence": [_evidence(e) for e in u.counter_evidence]}
                         for u in result.undetermined],
        "ruled_out": [{"id": c.rule.id, "title": str(c.rule.title), "certainty": c.certainty,
                       "evidence": [_evidence(e) for e in c.evidence]}
                      for c in result.ruled_out],
        "remedies": plain(result.remedies),
        "questions": plain(result.questions),
        "threshold": result.threshold,
        "summary": {"diagnoses": len(result.diagnoses), "weak_signals": len(result.weak_signals),
                    "partial_signals": len(result.partial_signals()),
                    "undetermined": len(result.undetermined),
                    "ruled_out": len(result.ruled_out), "findings": len(result.findings)},
    }
    if explanations:
        entries = [entry for group in ("diagnoses", "weak_signals", "undetermined",
                                       "ruled_out") for entry in data[group]]
        made = explanations_data(explanations, (entry["id"] for entry in entries))
        for entry in entries:
            entry["explanation"] = made[entry["id"]]
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
