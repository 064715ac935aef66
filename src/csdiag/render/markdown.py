"""The report as Markdown, for a consultant's write-up.

What the user wrote (case notes, organisation and assessor names, the words of their
own rules and vocabulary) goes through `escaped` as it is put in: a Markdown viewer
renders HTML, so a `<script>` in a note must show as text, not run. csdiag's own markup
(headings, emphasis, tables, code spans) is added around it and left as it is.
"""

from __future__ import annotations

import re

from csdiag.i18n import fixed, gettext, ngettext, one_line, use_language
from csdiag.reason.diagnosis import CaseResult, Evidence, MissingFact, source_label
from csdiag.render.audience import for_client
from csdiag.render.text import (
    category_word,
    conclusion_titles,
    date_text,
    origin_text,
    plan_line,
    remedy_text,
    ruled_out_reason,
    severity_word,
    summary_line,
)

# What Markdown reads as HTML: a '<' opening a tag, a comment, a declaration or an
# autolink, and a '&' opening a character reference (CommonMark, "Raw HTML"). A '<' or
# '&' that opens none of them ('< 10 days', 'Maple & Co') is shown as written already.
_HTML_START = re.compile(r"<(?=[A-Za-z/!?])|&(?=#?[A-Za-z0-9]+;)")


def escaped(text: object) -> str:
    """Text the user wrote, made safe for Markdown: shown as written, never as HTML."""
    return _HTML_START.sub(lambda m: "&lt;" if m.group() == "<" else "&amp;", str(text))


def cell(text: object) -> str:
    """Text the user wrote, in a table cell: escaped, on one line, its '|' kept."""
    return _piped(escaped(text))


def code(text: object) -> str:
    """A name (a file's) as inline code, shown literally: fenced by more backticks than
    it holds in a row, on one line, so it cannot close the code early."""
    text = one_line(str(text))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{'`' * (longest + 1)}{pad}{text}{pad}{'`' * (longest + 1)}"


def _piped(escaped_text: str) -> str:
    """Text already escaped, in a table cell."""
    return escaped_text.replace("|", "\\|").replace("\n", " ")


def _flat(text: object) -> str:
    return escaped(one_line(str(text)))


def _evidence_rows(evidence: list[Evidence]) -> list[str]:
    rows = [gettext("| evidence | source |"), "|---|---|"]
    return rows + [f"| {cell(e.text)} | {cell(origin_text(e))} |" for e in evidence]


def _symptoms(symptoms: list[str]) -> list[str]:
    if not symptoms:
        return []
    return [gettext("What the case shows:"), "", *(f"- {_flat(s)}" for s in symptoms), ""]


def _plan(effort: str | None, horizon: str | None, owner: str | None) -> str:
    words = plan_line(effort, horizon, owner)
    return f" ({escaped(words)})" if words else ""


def _facts(result_facts: list[str]) -> str:
    return gettext(", ").join(f"`{fact}`" for fact in result_facts)


def render_case(result: CaseResult) -> str:
    """One case's report, in the language the case was diagnosed in."""
    with use_language(result.language):
        return _render_case(result)


def _render_case(result: CaseResult) -> str:
    case = result.case
    client = for_client()
    titles = conclusion_titles(result)

    def tag(rule_id: str) -> str:
        return "" if client else f" (`{rule_id}`)"

    def named(ids: list[str]) -> str:
        return gettext("; ").join(escaped(titles.get(i, i)) for i in ids) if client else \
            gettext(", ").join(ids)

    def facts(missing: list[MissingFact]) -> str:
        # A client reads the questions; a consultant, the facts to put in the case file.
        return gettext("; ").join(escaped(m.question) for m in missing) if client else \
            _facts([m.fact for m in missing])

    out = [f"# {_flat(case.organisation)}{tag(case.id)}", "",
           (gettext("Assessed {date} by {assessor}.") if client else
            gettext("Assessed {date} by {assessor}. Source: {file}.")).format(
               date=date_text(case.date), assessor=_flat(case.assessor),
               file=code(case.file)), "",
           gettext("**Summary:** {summary}.").format(summary=summary_line(result)), ""]
    out.append(gettext("## Diagnoses"))
    if not result.diagnoses:
        out += ["", gettext("None: no known cause of poor service was found in the facts "
                            "given.")]
    for c in result.diagnoses:
        rule = c.rule
        out += ["", f"### {escaped(rule.title)}{tag(rule.id)}", "",
                gettext("Certainty **{certainty}**, severity **{severity}**, category "
                        "{category}.").format(certainty=fixed(c.certainty),
                                              severity=severity_word(rule.severity),
                                              category=escaped(category_word(rule.category))),
                "", _flat(rule.description), ""]
        out += _symptoms(c.symptoms)
        out += _evidence_rows(c.evidence)
        out += ["", gettext("Remedies:"), ""]
        out += [f"- **{escaped(remedy_text(r.remedy.action, r.only_if, r.figure))}** "
                f"{escaped(r.remedy.why)}"
                + _plan(r.remedy.effort, r.remedy.horizon, r.remedy.owner)
                for r in c.remedies]
        out += ["", gettext("Sources: {sources}").format(sources=gettext("; ").join(
            escaped(source_label(s, client)) for s in rule.sources))]
    partial = result.partial_signals()
    if result.weak_signals or partial:
        out += ["", gettext("## Weak signals"), "",
                gettext("Some evidence, not enough for a diagnosis (certainty below "
                        "{threshold}).").format(threshold=fixed(result.threshold))]
        for c in result.weak_signals:
            out += ["", gettext("### {title}: certainty {certainty}").format(
                        title=f"{escaped(c.rule.title)}{tag(c.rule.id)}",
                        certainty=fixed(c.certainty)),
                    "",
                    _flat(c.rule.description), ""]
            out += _symptoms(c.symptoms)
            out += _evidence_rows(c.evidence)
        for u in partial:
            signs = ngettext("{present} of {count} sign present",
                             "{present} of {count} signs present",
                             u.signs).format(present=u.signs_present, count=u.signs)
            out += ["", gettext("### {title}: certainty {certainty}, {signs}").format(
                        title=f"{escaped(u.rule.title)}{tag(u.rule.id)}",
                        certainty=fixed(u.certainty),
                        signs=signs), "",
                    _flat(u.rule.description), ""]
            out += _symptoms(u.symptoms)
            out += _evidence_rows(u.present)
            out += ["", gettext("Would be settled by: {facts}.").format(
                facts=facts(u.missing_facts))]
    unassessed = [u for u in result.undetermined if not u.is_weak_signal]
    if unassessed:
        out += ["", gettext("## Not assessable"), ""]
        for u in unassessed:
            item = gettext("- **{title}**{id}: needs {facts}.").format(
                title=escaped(u.rule.title), id=tag(u.rule.id), facts=facts(u.missing_facts))
            if u.against:
                item = gettext("{item} Evidence against it (strength {strength}) rests on "
                               "estimates, too weak to rule it out.").format(
                                   item=item, strength=fixed(u.against))
            out.append(item)
    if result.questions:
        # The questions once each, most useful first, rather than repeated per diagnosis.
        out += ["", gettext("### Questions to ask, most useful first"), ""]
        if client:
            out += [gettext("| # | question | could settle |"), "|---|---|---|"]
            out += [f"| {n} | {cell(q.question)} | {_piped(named(q.decides))} |"
                    for n, q in enumerate(result.questions, 1)]
        else:
            out += [gettext("| # | fact | question | could settle |"), "|---|---|---|---|"]
            out += [f"| {n} | `{q.fact}` | {cell(q.question)} | {', '.join(q.decides)} |"
                    for n, q in enumerate(result.questions, 1)]
    if result.ruled_out:
        out += ["", gettext("## Ruled out"), ""]
        for c in result.ruled_out:
            why = escaped(ruled_out_reason(c))
            item = f"- {escaped(c.rule.title)}{tag(c.rule.id)}"
            out.append(gettext("{item}: {why}").format(item=item, why=why) if why else item)
    if result.remedies:
        out += ["", gettext("## Remedies in priority order"), ""]
        out += [gettext("{n}. {remedy} _(addresses {ids})_").format(
                    n=n, remedy=escaped(remedy_text(r.action, r.only_if, r.figure)),
                    ids=named(r.addresses)) + _plan(r.effort, r.horizon, r.owner)
                for n, r in enumerate(result.remedies, 1)]
    return "\n".join(out)


def render_markdown(results: list[CaseResult]) -> str:
    from csdiag.render.stream import MarkdownStream  # the one implementation

    stream = MarkdownStream()
    return stream.start() + "".join(stream.case(r) for r in results) + stream.end()
