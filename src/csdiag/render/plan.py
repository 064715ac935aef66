"""`csdiag plan` as text or JSON."""

from __future__ import annotations

import json
from dataclasses import asdict

from csdiag.features.plan import Plan, PlanOption, burden
from csdiag.render.text import wrap

SHOWN_COMBINATIONS = 5


def _option_lines(n: int, option: PlanOption) -> list[str]:
    if not option.modelled:
        return [f"  {n}. {option.remedies[0]}: effect not modelled (it declares no facts "
                "it changes)"]
    lines = [f"  {n}. removes {option.removed:.2f}: " + " + ".join(option.remedies)]
    for label, ids in (("clears", option.clears), ("reduces", option.reduces),
                       ("newly diagnosed", option.introduces)):
        if ids:
            lines += wrap(f"{label}: {', '.join(ids)}", "       ", hang=2)
    # As --set takes them, so a what-if can be pasted into 'csdiag diagnose'.
    changes = ", ".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}"
                        for k, v in option.changes.items())
    lines += wrap(f"assumes: {changes}", "       ", hang=2)
    return lines


def render_plan_text(plan: Plan) -> str:
    case = plan.baseline.case
    out = [f"Remedy plan for {case.organisation} ({case.file})",
           f"Now: {len(plan.baseline.diagnoses)} diagnoses; severity-weighted certainty "
           f"{burden(plan.baseline):.2f} (severity weight x certainty, summed)", ""]
    combos = plan.combinations[:SHOWN_COMBINATIONS]
    out.append("REMEDIES IN PRIORITY ORDER (as 'csdiag diagnose' ranks them), with what "
               "each would remove")
    for n, option in enumerate(plan.singles, 1):
        out += _option_lines(n, option)
    if combos:
        out += ["", "BEST COMBINATIONS, by what they remove"]
        for n, option in enumerate(combos, 1):
            out += _option_lines(n, option)
    if not plan.singles:
        out.append("  nothing to plan: no diagnosis was reached")
    return "\n".join(out) + "\n"


def render_plan_json(plan: Plan) -> str:
    data = {"case": plan.baseline.case.id, "burden": round(burden(plan.baseline), 4),
            "remedies": [asdict(o) for o in plan.singles],
            "combinations": [asdict(o) for o in plan.combinations]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
