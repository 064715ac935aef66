"""The report as Markdown, for a consultant's write-up."""

from __future__ import annotations

from csdiag.reason.diagnosis import CaseResult, source_label
from csdiag.render.text import ruled_out_reason, summary_line, value_text


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


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
                f"category {rule.category}.", "", " ".join(rule.description.split()), "",
                "| condition | case value |", "|---|---|"]
        out += [f"| {_cell(e.condition)} | {_cell(value_text(e))} |" for e in c.evidence]
        out += ["", "Remedies:", ""]
        out += [f"- **{r.action}** {r.why}" for r in rule.remedies]
        out += ["", "Sources: " + "; ".join(source_label(s) for s in rule.sources)]
    if result.weak_signals:
        out += ["", "## Weak signals", ""]
        out += [f"- {c.rule.title} (`{c.rule.id}`): certainty {c.certainty:.2f}"
                for c in result.weak_signals]
    if result.undetermined:
        out += ["", "## Not assessable", ""]
        for u in result.undetermined:
            facts = ", ".join(f"`{m.fact}`" for m in u.missing_facts)
            out.append(f"- **{u.rule.title}** (`{u.rule.id}`): needs {facts}")
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
        out += [f"{n}. {r.action} _(addresses {', '.join(r.addresses)})_"
                for n, r in enumerate(result.remedies, 1)]
    return "\n".join(out)


def render_markdown(results: list[CaseResult]) -> str:
    from csdiag.render.stream import MarkdownStream  # the one implementation

    stream = MarkdownStream()
    return stream.start() + "".join(stream.case(r) for r in results) + stream.end()
