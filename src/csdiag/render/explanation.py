"""`csdiag explain` as a readable tree, or as JSON."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from csdiag.features.explain import ConditionStatus, Explanation, RuleStep
from csdiag.render.text import wrap

MARK = {"holds": "✓", "fails": "✗", "unknown": "?"}


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
    if step.status == "fires":
        head += f"fires, adds {step.certainty:+.2f}"
        if step.weights:
            head += " (times the weakest of: " + "; ".join(
                f"{k} {v:.2f}" for k, v in step.weights.items()) + ")"
    else:
        head += {"ruled-out": "ruled out", "undetermined": "not assessable"}[step.status]
    lines = wrap(head, indent, hang=4)
    for item in step.conditions:
        lines += wrap(f"{MARK[item.status]} {item.condition}{_value(item)}", f"{indent}  ",
                      hang=2)
        if item.finding is not None:
            lines += explanation_lines(item.finding, indent + "      ")
    return lines


def explanation_lines(explanation: Explanation, indent: str = "") -> list[str]:
    certainty = (f", certainty {explanation.certainty:.2f}"
                 if explanation.certainty is not None else "")
    lines = [f"{indent}{explanation.id} — {explanation.title}: "
             f"{explanation.verdict.upper()}{certainty}"]
    for step in explanation.steps:
        lines += _step_lines(step, indent + "  ")
    if explanation.nearest:
        lines.append(f"{indent}  nearest way to reach it:")
        for item in explanation.nearest:
            need = "change" if item.status == "fails" else "find out"
            lines += wrap(f"- {need}: {item.condition}{_value(item)}", f"{indent}    ")
    return lines


def render_explanation_text(explanation: Explanation) -> str:
    legend = "(✓ holds, ✗ fails, ? unknown)"
    return "\n".join([*explanation_lines(explanation), "", legend]) + "\n"


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "rule" and v is not None}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def explanation_data(explanation: Explanation) -> dict[str, Any]:
    data = _plain(asdict(explanation))
    for step, original in zip(data["steps"], explanation.steps, strict=True):
        step["rule"] = original.rule.id
        step["rule_certainty"] = original.rule.certainty
        step["rule_file"] = original.rule.file
    return data


def render_explanation_json(explanation: Explanation) -> str:
    return json.dumps(explanation_data(explanation), indent=2, ensure_ascii=False) + "\n"
