"""`csdiag plan` as text or JSON."""

from __future__ import annotations

from csdiag.features.plan import Plan, PlanOption
from csdiag.i18n import N_, fixed, gettext, ngettext, use_language
from csdiag.reason.severity import severity_weighted
from csdiag.render.json_report import plain
from csdiag.render.json_text import indented
from csdiag.render.layout import wrap
from csdiag.render.text import plan_line

SHOWN_COMBINATIONS = 5


def _option_lines(n: int, option: PlanOption) -> list[str]:
    if not option.modelled:
        return wrap(gettext("{n}. {remedy}: effect not modelled (it declares no facts it "
                            "changes)").format(n=n, remedy=option.remedies[0]), "  ")
    lines = wrap(gettext("{n}. removes {amount}: {remedies}").format(
        n=n, amount=fixed(option.removed), remedies=" + ".join(option.remedies)), "  ")
    for label, ids in ((N_("clears: {ids}"), option.clears),
                       (N_("reduces: {ids}"), option.reduces),
                       (N_("newly diagnosed: {ids}"), option.introduces)):
        if ids:
            lines += wrap(gettext(label).format(ids=gettext(", ").join(ids)), "       ", hang=2)
    # As --set takes them, so a what-if can be pasted into 'csdiag diagnose'.
    changes = ", ".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}"
                        for k, v in option.changes.items())
    lines += wrap(gettext("assumes: {changes}").format(changes=changes), "       ", hang=2)
    return lines


def render_plan_text(plan: Plan) -> str:
    """The plan as text, in the language its case was diagnosed in."""
    with use_language(plan.baseline.language):
        return _plan_text(plan)


def _plan_text(plan: Plan) -> str:
    case = plan.baseline.case
    diagnosed = len(plan.baseline.diagnoses)
    # Weak signals as the report counts them: partial evidence included.
    weak = len(plan.baseline.weak_signals) + len(plan.baseline.partial_signals())
    out = [*wrap(gettext("Remedy plan for {organisation} ({file})").format(
               organisation=case.organisation, file=case.file)),
           *wrap(gettext("Now: {diagnoses} and {weak}; severity-weighted certainty {burden} "
                         "(severity weight × certainty, summed over both)").format(
                             diagnoses=ngettext("{count} diagnosis", "{count} diagnoses",
                                                diagnosed).format(count=diagnosed),
                             weak=ngettext("{count} weak signal", "{count} weak signals",
                                           weak).format(count=weak),
                             burden=fixed(severity_weighted(plan.baseline)))), ""]
    combos = plan.combinations[:SHOWN_COMBINATIONS]
    out += wrap(gettext("REMEDIES IN PRIORITY ORDER (as 'csdiag diagnose' ranks them), with "
                        "what each would remove"))
    planned = {r.id: r for r in plan.baseline.remedies}
    for n, option in enumerate(plan.singles, 1):
        out += _option_lines(n, option)
        remedy = planned.get(option.remedies[0])
        words = plan_line(remedy.effort, remedy.horizon, remedy.owner) if remedy else ""
        if words:
            out += wrap(words, "       ")
    if combos:
        out += ["", gettext("BEST COMBINATIONS, by what they remove")]
        for n, option in enumerate(combos, 1):
            out += _option_lines(n, option)
    if not plan.singles:
        out.append("  " + gettext("nothing to plan: no diagnosis was reached"))
    return "\n".join(out) + "\n"


def render_plan_json(plan: Plan) -> str:
    data = {"case": plan.baseline.case.id, "language": plan.baseline.language,
            "burden": severity_weighted(plan.baseline),
            "remedies": [], "combinations": []}
    with use_language(plan.baseline.language):
        data["remedies"], data["combinations"] = plain(plan.singles), plain(plan.combinations)
    return indented(data) + "\n"
