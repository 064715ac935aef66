"""`csdiag explain` as a readable tree, or as JSON."""

from __future__ import annotations

import json
from typing import Any

from csdiag.features.explain import ConditionStatus, Explanation, RuleStep
from csdiag.i18n import N_, fixed, gettext, use_language
from csdiag.model.outcome import Status, Verdict
from csdiag.render.layout import wrap
from csdiag.render.text import weight_label

MARK = {Status.HOLDS: "✓", Status.FAILS: "✗", Status.UNKNOWN: "?"}
_VERDICT = {Verdict.DIAGNOSED: N_("DIAGNOSED"), Verdict.WEAK_SIGNAL: N_("WEAK SIGNAL"),
            Verdict.FINDING: N_("FINDING"), Verdict.RULED_OUT: N_("RULED OUT"),
            Verdict.NOT_ASSESSABLE: N_("NOT ASSESSABLE")}


def _value(item: ConditionStatus) -> str:
    if item.fact is None:
        return ""
    if item.value is None:
        return gettext(" — unknown; ask: {question}").format(question=item.question)
    shown = str(item.value).lower() if isinstance(item.value, bool) else str(item.value)
    return gettext(" — case: {value}").format(value=shown)


def _signed(value: float) -> str:
    return ("+" if value >= 0 else "-") + fixed(abs(value))


def _step_lines(step: RuleStep, indent: str) -> list[str]:
    template = (N_("rule {id} (for, certainty {certainty}): {outcome}")
                if step.rule.certainty > 0 else
                N_("rule {id} (against, certainty {certainty}): {outcome}"))
    if step.status is Status.HOLDS:
        outcome = gettext("fires, adds {certainty}").format(
            certainty=_signed(step.certainty or 0.0))
        if step.weights:
            outcome = gettext("{outcome} (times the weakest of: {weights})").format(
                outcome=outcome, weights=gettext("; ").join(f"{weight_label(k)} {fixed(v)}"
                                                  for k, v in step.weights.items()))
    else:
        outcome = gettext("ruled out") if step.status is Status.FAILS else gettext(
            "not assessable")
    head = gettext(template).format(id=step.rule.id, certainty=_signed(step.rule.certainty),
                                    outcome=outcome)
    lines = wrap(head, indent, hang=4)
    for item in step.conditions:
        lines += wrap(f"{MARK[item.status]} {item.condition}{_value(item)}", f"{indent}  ",
                      hang=2)
        if item.finding is not None:
            lines += explanation_lines(item.finding, indent + "      ")
        elif item.finding_id is not None:
            lines += wrap(gettext("(explained above: {id})").format(id=item.finding_id),
                          f"{indent}      ")
    return lines


def explanation_lines(explanation: Explanation, indent: str = "") -> list[str]:
    verdict = gettext(_VERDICT[explanation.verdict])
    if explanation.certainty is not None:
        verdict = gettext("{verdict}, certainty {certainty}").format(
            verdict=verdict, certainty=fixed(explanation.certainty))
    lines = wrap(f"{explanation.id} — {explanation.title}: {verdict}", indent, hang=2)
    for step in explanation.steps:
        lines += _step_lines(step, indent + "  ")
    if explanation.nearest:
        lines.append(indent + "  " + gettext("nearest way to reach it:"))
        for item in explanation.nearest:
            need = (N_("- change: {condition}{value}") if item.status is Status.FAILS
                    else N_("- find out: {condition}{value}"))
            lines += wrap(gettext(need).format(condition=item.condition, value=_value(item)),
                          f"{indent}    ")
    return lines


def render_explanation_text(explanation: Explanation) -> str:
    """The explanation as a tree, in the language it was made in."""
    with use_language(explanation.language):
        legend = gettext("(✓ holds, ✗ fails, ? unknown)")
        return "\n".join([*explanation_lines(explanation), "", legend]) + "\n"


def _without_none(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None}


def _condition_data(item: ConditionStatus) -> dict[str, Any]:
    return _without_none({
        "condition": item.condition, "status": item.status.value, "fact": item.fact,
        "value": item.value,
        "question": str(item.question) if item.question is not None else None,
        "finding_id": item.finding_id,
        "finding": explanation_data(item.finding) if item.finding is not None else None})


def _step_data(step: RuleStep) -> dict[str, Any]:
    return _without_none({
        "status": step.status.rule_word, "certainty": step.certainty,
        "weights": dict(step.weights),
        "conditions": [_condition_data(c) for c in step.conditions],
        "rule": step.rule.id, "rule_certainty": step.rule.certainty,
        "rule_file": step.rule.file})


def explanation_data(explanation: Explanation) -> dict[str, Any]:
    """The explanation as plain JSON data; built field by field, since a deep copy of
    every rule (dataclasses.asdict) cost more than the explanation itself."""
    with use_language(explanation.language):
        return _explanation_data(explanation)


def _explanation_data(explanation: Explanation) -> dict[str, Any]:
    return _without_none({
        "language": explanation.language,
        "id": explanation.id, "title": str(explanation.title),
        "verdict": explanation.verdict.value, "certainty": explanation.certainty,
        "steps": [_step_data(s) for s in explanation.steps],
        "nearest": [_condition_data(c) for c in explanation.nearest]})


def render_explanation_json(explanation: Explanation) -> str:
    return json.dumps(explanation_data(explanation), indent=2, ensure_ascii=False) + "\n"
