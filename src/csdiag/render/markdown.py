"""The report as Markdown, for a consultant's write-up."""

from __future__ import annotations

from csdiag.reason.diagnosis import CaseResult, Evidence, source_label
from csdiag.render.text import origin_text, remedy_text, ruled_out_reason, summary_line


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _evidence_rows(evidence: list[Evidence]) -> list[str]:
    rows = ["| evidence | source |", "|---|---|"]
    return rows + [f"| {_cell(e.text)} | {_cell(origin_text(e))} |" for e in evidence]


def _symptoms(symptoms: list[str]) -> list[str]:
    return ["What the case shows:", "", *(f"- {s}" for s in symptoms), ""] if symptoms else []


def render_case(result: CaseResult) -> str:
    case = result.case
    out = [f"# {case.organisation} (`{case.id}`)", "",
           f"Assessed {case.date} by {case.assessor}. Source: `{case.file}`.", "",
           f"**Summary:** {summary_line(result)}.", ""]
    out.append("## Diagnoses")
    if not result.diagnoses:
        out += ["", "None: no known cause of poor service was found in the facts given."]
    for c in result.diagnoses:
        rule = c.rule
        out += ["", f"### {rule.title} (`{rule.id}`)", "",
                f"Certainty **{c.certainty:.2f}**, severity **{rule.severity}**, "
                f"category {rule.category}.", "", " ".join(rule.description.split()), ""]
        out += _symptoms(c.symptoms)
        out += _evidence_rows(c.evidence)
        out += ["", "Remedies:", ""]
        out += [f"- **{remedy_text(r.remedy.action, r.only_if)}** {r.remedy.why}"
                for r in c.remedies]
        out += ["", "Sources: " + "; ".join(source_label(s) for s in rule.sources)]
    partial = result.partial_signals()
    if result.weak_signals or partial:
        out += ["", "## Weak signals", "",
                f"Some evidence, not enough for a diagnosis (certainty below "
                f"{result.threshold:.2f})."]
        for c in result.weak_signals:
            out += ["", f"### {c.rule.title} (`{c.rule.id}`): certainty {c.certainty:.2f}", "",
                    " ".join(c.rule.description.split()), ""]
            out += _symptoms(c.symptoms)
            out += _evidence_rows(c.evidence)
        for u in partial:
            out += ["", f"### {u.rule.title} (`{u.rule.id}`): certainty {u.certainty:.2f}, "
                        f"{u.signs_present} of {u.signs} signs present", "",
                    " ".join(u.rule.description.split()), ""]
            out += _symptoms(u.symptoms)
            out += _evidence_rows(u.present)
            facts = ", ".join(f"`{m.fact}`" for m in u.missing_facts)
            out += ["", f"Would be settled by: {facts}."]
    unassessed = [u for u in result.undetermined if not u.is_weak_signal]
    if unassessed:
        out += ["", "## Not assessable", ""]
        for u in unassessed:
            facts = ", ".join(f"`{m.fact}`" for m in u.missing_facts)
            against = (f" Evidence against it (strength {u.against:.2f}) rests on estimates, "
                       "too weak to rule it out." if u.against else "")
            out.append(f"- **{u.rule.title}** (`{u.rule.id}`): needs {facts}.{against}")
    if result.questions:
        # The questions once each, most useful first, rather than repeated per diagnosis.
        out += ["", "### Questions to ask, most useful first", "",
                "| # | fact | question | could settle |", "|---|---|---|---|"]
        out += [f"| {n} | `{q.fact}` | {_cell(q.question)} | {', '.join(q.decides)} |"
                for n, q in enumerate(result.questions, 1)]
    if result.ruled_out:
        out += ["", "## Ruled out", ""]
        for c in result.ruled_out:
            why = ruled_out_reason(c)
            out.append(f"- {c.rule.title} (`{c.rule.id}`){': ' + why if why else ''}")
    if result.remedies:
        out += ["", "## Remedies in priority order", ""]
        out += [f"{n}. {remedy_text(r.action, r.only_if)} _(addresses "
                f"{', '.join(r.addresses)})_" for n, r in enumerate(result.remedies, 1)]
    return "\n".join(out)


def render_markdown(results: list[CaseResult]) -> str:
    from csdiag.render.stream import MarkdownStream  # the one implementation

    stream = MarkdownStream()
    return stream.start() + "".join(stream.case(r) for r in results) + stream.end()
