"""`csdiag explain` as a readable tree, or as JSON."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from csdiag.features.explain import ConditionGroup, ConditionStatus, Explanation, RuleStep
from csdiag.i18n import N_, current_language, fixed, gettext, use_language
from csdiag.model.logic import show_value
from csdiag.model.outcome import Status, Verdict
from csdiag.render.json_text import indented
from csdiag.render.layout import wrap
from csdiag.render.text import weight_label

MARK = {Status.HOLDS: "✓", Status.FAILS: "✗", Status.UNKNOWN: "?"}
_VERDICT = {Verdict.DIAGNOSED: N_("DIAGNOSED"), Verdict.WEAK_SIGNAL: N_("WEAK SIGNAL"),
            Verdict.FINDING: N_("FINDING"), Verdict.RULED_OUT: N_("RULED OUT"),
            Verdict.NOT_ASSESSABLE: N_("NOT ASSESSABLE")}


# The words of the condition notation (model.logic describe()), which JSON keeps as
# written; the tree a person reads has them in the language in use.
_NOTATION: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r" \(published threshold\)"), N_(" (published threshold)")),
    (re.compile(r" \(judgement threshold\)"), N_(" (judgement threshold)")),
    (re.compile(r", graded over (?P<low>\S+)\.\.(?P<high>\S+)"),
     N_(", graded over {low}..{high}")),
    (re.compile(r" rises from (?P<low>\S+) to (?P<high>\S+)"), N_(" rises from {low} to {high}")),
    (re.compile(r" falls from (?P<low>\S+) to (?P<high>\S+)"), N_(" falls from {low} to {high}")),
    (re.compile(r", weight (?P<weight>\S+)"), N_(", weight {weight}")),
    (re.compile(r"\[(?P<id>\S+) concluded\]"), N_("[{id} concluded]")),
    (re.compile(r"\[(?P<id>\S+) ruled out\]"), N_("[{id} ruled out]")),
    (re.compile(r" is known$"), N_(" is known")),
    (re.compile(r" is unknown$"), N_(" is unknown")),
]


def condition_words(condition: str) -> str:
    """A condition in its notation, its words in the language in use."""
    for pattern, template in _NOTATION:
        condition = pattern.sub(_filled(gettext(template)), condition)
    return condition


def _filled(words: str) -> Callable[[re.Match[str]], str]:
    return lambda match: words.format(**match.groupdict())


def _value(item: ConditionStatus) -> str:
    if item.fact is None:
        return ""
    if item.at_least is not None or item.at_most is not None:
        shown = ", ".join(part for part in (
            f"≥ {show_value(item.at_least)}" if item.at_least is not None else "",
            f"≤ {show_value(item.at_most)}" if item.at_most is not None else "") if part)
    elif item.value is None:
        return gettext(" — unknown; ask: {question}").format(question=item.question)
    else:
        shown = str(item.value).lower() if isinstance(item.value, bool) else str(item.value)
    if item.confidence is not None:  # an estimate weighs less: said where it is used
        shown = gettext("{evidence} ({origin})").format(
            evidence=shown, origin=gettext("an estimate, confidence {confidence}").format(
                confidence=fixed(item.confidence, 1)))
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
    tree = step.tree
    if isinstance(tree, ConditionGroup) and tree.kind == "all":
        parts = tree.parts  # a rule's 'all' is what 'fires' already says: not repeated
    else:
        parts = [tree] if tree is not None else list(step.conditions)
    for part in parts:
        lines += _node_lines(part, f"{indent}  ")
    return lines


_GROUP = {"all": N_("all of:"), "any": N_("any of:")}


def _node_lines(node: ConditionGroup | ConditionStatus, indent: str) -> list[str]:
    """A condition, or an all/any group of them with its truth and its parts below."""
    if isinstance(node, ConditionGroup):
        lines = [f"{indent}{MARK[node.status]} {gettext(_GROUP[node.kind])}"]
        for part in node.parts:
            lines += _node_lines(part, indent + "  ")
        return lines
    lines = wrap(f"{MARK[node.status]} {condition_words(node.condition)}{_value(node)}",
                 indent, hang=2)
    if node.finding is not None:
        lines += explanation_lines(node.finding, indent + "    ")
    elif node.finding_id is not None:
        lines += wrap(gettext("(explained above: {id})").format(id=node.finding_id),
                      f"{indent}    ")
    return lines


def explanation_lines(explanation: Explanation, indent: str = "") -> list[str]:
    verdict = gettext(_VERDICT[explanation.verdict])
    if explanation.certainty is not None:
        verdict = gettext("{verdict}, certainty {certainty}").format(
            verdict=verdict, certainty=fixed(explanation.certainty))
    lines = wrap(gettext("{id} — {title}: {verdict}").format(
        id=explanation.id, title=explanation.title, verdict=verdict), indent, hang=2)
    for step in explanation.steps:
        lines += _step_lines(step, indent + "  ")
    if explanation.nearest:
        lines.append(indent + "  " + gettext("nearest way to reach it:"))
        for item in explanation.nearest:
            need = (N_("- change: {condition}{value}") if item.status is Status.FAILS
                    else N_("- find out: {condition}{value}"))
            lines += wrap(gettext(need).format(condition=condition_words(item.condition),
                                               value=_value(item)), f"{indent}    ")
    return lines


def _asked_for(explanation: Explanation) -> list[str]:
    """Why the tree is of another id than the one asked for: that rule adds evidence to
    this conclusion, and its step is one of those below."""
    step = next((s for s in explanation.steps if s.rule.id == explanation.asked_for), None)
    template = (N_("rule {rule} adds evidence against {id}; it has no verdict of its own, "
                   "so here is {id}, with each rule for and against it:")
                if step is not None and step.rule.certainty < 0 else
                N_("rule {rule} adds evidence for {id}; it has no verdict of its own, so "
                   "here is {id}, with each rule for and against it:"))
    return [*wrap(gettext(template).format(rule=explanation.asked_for, id=explanation.id)),
            ""]


def render_explanation_text(explanation: Explanation) -> str:
    """The explanation as a tree, in the language it was made in."""
    with use_language(explanation.language):
        legend = gettext("(✓ holds, ✗ fails, ? unknown)")
        head = _asked_for(explanation) if explanation.asked_for else []
        return "\n".join([*head, *explanation_lines(explanation), "", legend]) + "\n"


def _without_none(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None}


# Made by id: an explanation embedded in several trees of one case (a finding many
# diagnoses rest on) is made into data once and shared.
_Made = dict[int, dict[str, Any]]


def _condition_data(item: ConditionStatus, made: _Made) -> dict[str, Any]:
    # _value_: the enum's value without its descriptor (a report has many conditions).
    data: dict[str, Any] = {"condition": item.condition, "status": item.status._value_}
    # Field by field, in this order, leaving out what is None: a report has hundreds of
    # thousands of conditions.
    if item.fact is not None:
        data["fact"] = item.fact
    if item.value is not None:
        data["value"] = item.value
    if item.question is not None:
        data["question"] = str(item.question)
    if item.at_least is not None:
        data["at_least"] = item.at_least
    if item.at_most is not None:
        data["at_most"] = item.at_most
    if item.confidence is not None:
        data["confidence"] = item.confidence
    if item.finding_id is not None:
        data["finding_id"] = item.finding_id
    if item.finding is not None:
        data["finding"] = _nested_data(item.finding, made)
    return data


def _step_data(step: RuleStep, made: _Made) -> dict[str, Any]:
    return _without_none({
        "status": step.status.rule_word, "certainty": step.certainty,
        "weights": dict(step.weights),
        "conditions": [_condition_data(c, made) for c in step.conditions],
        "rule": step.rule.id, "rule_certainty": step.rule.certainty,
        "rule_file": step.rule.file})


def explanation_data(explanation: Explanation) -> dict[str, Any]:
    """The explanation as plain JSON data; built field by field, since a deep copy of
    every rule (dataclasses.asdict) cost more than the explanation itself."""
    with use_language(explanation.language):
        return _nested_data(explanation, {})


def explanations_data(explanations: Mapping[str, Explanation], ids: Iterable[str]
                      ) -> dict[str, dict[str, Any]]:
    """explanation_data of each of `ids`, for one case: a finding embedded in several of
    its trees is made into data once, the same dict in each."""
    made: _Made = {}  # by id(): `explanations` keeps every one alive meanwhile
    found = {}
    for conclusion in ids:
        explanation = explanations[conclusion]
        with use_language(explanation.language):
            found[conclusion] = _nested_data(explanation, made)
    return found


def _nested_data(explanation: Explanation, made: _Made) -> dict[str, Any]:
    data = made.get(id(explanation))
    if data is None:
        if explanation.language != current_language():
            with use_language(explanation.language):
                return _nested_data(explanation, made)
        data = made[id(explanation)] = _without_none({
            "language": explanation.language,
            "id": explanation.id, "asked_for": explanation.asked_for,
            "title": str(explanation.title),
            "verdict": explanation.verdict.value, "certainty": explanation.certainty,
            "steps": [_step_data(s, made) for s in explanation.steps],
            "nearest": [_condition_data(c, made) for c in explanation.nearest]})
    return data


def render_explanation_json(explanation: Explanation) -> str:
    return indented(explanation_data(explanation)) + "\n"
