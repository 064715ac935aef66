"""The one remedy ranking: diagnose, plan and every renderer list remedies in this order.

A remedy is worth the severity-weighted certainty of the diagnoses it addresses; a remedy
shared by several diagnoses adds up their weight, and authors list a diagnosis's remedies
most important first, so later ones count a little less.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from csdiag.i18n import Text

if TYPE_CHECKING:
    from csdiag.reason.diagnosis import Conclusion

LATER_REMEDY_DISCOUNT = 0.25  # the n-th remedy of a diagnosis counts 1 / (1 + 0.25 n)


@dataclass
class PlannedRemedy:
    id: str
    action: Text
    why: Text
    addresses: list[str]
    priority: float
    only_if: str = ""  # what it presupposes that the case leaves unknown
    figure: str = ""  # what it costs, when the case is in the currency of its figure
    effort: str | None = None  # low, medium, high
    horizon: str | None = None  # weeks, months, year_plus
    owner: str | None = None  # the role that carries it out


def rank_remedies(diagnoses: list[Conclusion]) -> list[PlannedRemedy]:
    """The remedies of these diagnoses (those they show), most valuable first."""
    plan: dict[str, PlannedRemedy] = {}
    for conclusion in diagnoses:
        weight = conclusion.rule.severity_weight * conclusion.certainty
        for position, shown in enumerate(conclusion.remedies):
            remedy = shown.remedy
            entry = plan.setdefault(remedy.id, PlannedRemedy(
                remedy.id, remedy.action, remedy.why, [], 0.0, shown.only_if, shown.figure,
                remedy.effort, remedy.horizon, remedy.owner))
            entry.addresses.append(conclusion.rule.id)
            entry.priority += weight / (1 + LATER_REMEDY_DISCOUNT * position)
            if not shown.only_if:
                entry.only_if = ""  # another diagnosis needs it whatever is unknown
    ranked = sorted(plan.values(), key=lambda r: (-r.priority, r.id))
    for planned in ranked:
        planned.priority = round(planned.priority, 3)
    return ranked
