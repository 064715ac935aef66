"""`csdiag explain` as a readable tree, or as JSON."""

from __future__ import annotations

import json
from typing import Any

from csdiag.features.explain import ConditionStatus, Explanation, RuleStep
from csdiag.model.outcome import Status
from csdiag.render.text import wrap

MARK = {Status.HOLDS: "✓", Status.FAILS: "✗", Status.UNKNOWN: "?"}


def _value(item: ConditionStatus) -> str:
    if item.fact is None:
        return ""
    if item.value is None:
        return f" — unknown; ask: {item.question}"
    shown = str(item.value).lower() if isinstance(item.value, bool) else str(item.value)
    return f" — case: {shown}"


def _step_lines(step: RuleStep, indent: str) -> list[str]:
    role = "for" if step.rule.certainty > 0 else "against"
    head = f"rule {step.rule.id} ({role}, certainty {step.rule.certainty:+.2f}): "
    if step.status is Status.HOLDS:
        head += f"fires, adds {step.certainty:+.2f}"
        if step.weights:
            head += " (times the weakest of: " + "; ".join(
                f"{k} {v:.2f}" for k, v in step.weights.items()) + ")"
    else:
        head += "ruled out" if step.status is Status.FAILS else "not assessable"
    lines = wrap(head, indent, hang=4)
    for item in step.conditions:
        lines += wrap(f"{MARK[item.status]} {item.condition}{_value(item)}", f"{indent}  ",
                      hang=2)
        if item.finding is not None:
            lines += explanation_lines(item.finding, indent + "      ")
        elif item.finding_id is not None:
            lines += wrap(f"(explained above: {item.finding_id})", f"{indent}      ")
    return lines


def explanation_lines(explanation: Explanation, indent: str = "") -> list[str]:
    certainty = (f", certainty {explanation.certainty:.2f}"
                 if explanation.certainty is not None else "")
    lines = [f"{indent}{explanation.id} — {explanation.title}: "
             f"{explanation.verdict.value.upper()}{certainty}"]
    for step in explanation.steps:
        lines += _step_lines(step, indent + "  ")
    if explanation.nearest:
        lines.append(f"{indent}  nearest way to reach it:")
        for item in explanation.nearest:
            need = "change" if item.status is Status.FAILS else "find out"
            lines += wrap(f"- {need}: {item.condition}{_value(item)}", f"{indent}    ")
    return lines


def render_explanation_text(explanation: Explanation) -> str:
    legend = "(✓ holds, ✗ fails, ? unknown)"
    return "\n".join([*explanation_lines(explanation), "", legend]) + "\n"


def _without_none(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None}


def _condition_data(item: ConditionStatus) -> dict[str, Any]:
    return _without_none({
        "condition": item.condition, "status": item.status.value, "fact": item.fact,
        "value": item.value, "question": item.question,
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
    return _without_none({
        "id": explanation.id, "title": explanation.title,
        "verdict": explanation.verdict.value, "certainty": explanation.certainty,
        "steps": [_step_data(s) for s in explanation.steps],
        "nearest": [_condition_data(c) for c in explanation.nearest]})


def render_explanation_json(explanation: Explanation) -> str:
    return json.dumps(explanation_data(explanation), indent=2, ensure_ascii=False) + "\n"
