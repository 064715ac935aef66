"""The report for a person at a terminal."""

from __future__ import annotations

import datetime
from typing import Protocol

from csdiag.formats.case import STDIN_NAME
from csdiag.i18n import N_, date, fixed, gettext, ngettext, pgettext, use_language
from csdiag.reason.diagnosis import (
    CaseResult,
    Conclusion,
    Evidence,
    ShownRemedy,
    Undetermined,
    source_label,
)
from csdiag.reason.settle import RULE_OUT_ABOVE
from csdiag.render.audience import for_client
from csdiag.render.layout import display, styled, width, wrap

SHOWN_QUESTIONS = 5


def _styled(lines: list[str], style: str) -> list[str]:
    """Lines in a style of layout.STYLES (when the display is coloured)."""
    return [styled(line, style) for line in lines]


def severity_word(severity: str | None) -> str:
    """A severity in the language in use ('-' for none)."""
    words = {"low": pgettext("severity", "low"), "medium": pgettext("severity", "medium"),
             "high": pgettext("severity", "high"),
             "critical": pgettext("severity", "critical")}
    return words.get(severity or "", "-")


def category_word(category: str) -> str:
    """A built-in category in the language in use; a writer's own category as written."""
    words = {"people": pgettext("category", "people"),
             "training": pgettext("category", "training"),
             "leadership": pgettext("category", "leadership"),
             "culture": pgettext("category", "culture"),
             "strategy": pgettext("category", "strategy"),
             "measurement": pgettext("category", "measurement"),
             "operations": pgettext("category", "operations"),
             "general": pgettext("category", "general")}
    return words.get(category, category)


def date_text(iso: str) -> str:
    """A case's date as the language writes dates; a date csdiag cannot read, as given."""
    try:
        return date(datetime.date.fromisoformat(iso))
    except ValueError:
        return iso


class _Sourced(Protocol):
    source: str | None
    note: str | None
    confidence: float | None


def origin_text(item: _Sourced) -> str:
    """Where a value came from (a piece of evidence, or a case's fact): its source, the
    note beside it, how sure it is."""
    # Typographic quotes: notes often quote someone with straight ones.
    parts = [source_word(item.source) if item.source else None,
             gettext("“{note}”").format(note=item.note) if item.note else None,
             gettext("an estimate, confidence {confidence}").format(
                 confidence=fixed(item.confidence, 1)) if item.confidence else None]
    return gettext(", ").join(x for x in parts if x)


def source_word(source: str) -> str:
    """Where a fact came from, in the language in use (a source csdiag does not know, as
    the case gives it)."""
    words = {"document": pgettext("fact source", "document"),
             "interview": pgettext("fact source", "interview"),
             "observation": pgettext("fact source", "observation"),
             "survey": pgettext("fact source", "survey"),
             "data": pgettext("fact source", "data")}
    return words.get(source, source)


def evidence_text(item: Evidence) -> str:
    """The evidence in plain language, with where its value came from."""
    origin = origin_text(item)
    return gettext("{evidence} ({origin})").format(evidence=item.text, origin=origin) \
        if origin else item.text


def ruled_out_reason(conclusion: Conclusion) -> str:
    """The deciding evidence of a ruled-out diagnosis, in one phrase ('' if none)."""
    return evidence_text(conclusion.evidence[0]) if conclusion.evidence else ""


def _evidence_lines(evidence: list[Evidence], indent: str) -> list[str]:
    lines = []
    for item in evidence:
        lines += wrap(f"- {item.text}", indent)
        origin = origin_text(item)
        if origin:
            lines += wrap(origin, f"{indent}    ")
    return lines


def remedy_text(action: object, only_if: str, figure: str = "") -> str:
    """A remedy's action, with its cost when stated; 'If ...:' first when it presupposes
    what the case leaves unknown."""
    text = gettext("{action} {figure}").format(action=action, figure=figure) if figure \
        else str(action)
    if not only_if:
        return text
    return gettext("If {condition} (not known yet): {action}").format(condition=only_if,
                                                                      action=text)


def plan_words(effort: str | None, horizon: str | None, owner: str | None) -> list[str]:
    """What an action plan needs of a remedy, in the language in use: how much it takes,
    when it shows, who carries it out (each left out where the rule does not say)."""
    efforts = {"low": pgettext("remedy effort", "low effort"),
               "medium": pgettext("remedy effort", "medium effort"),
               "high": pgettext("remedy effort", "high effort")}
    horizons = {"weeks": pgettext("remedy horizon", "shows within weeks"),
                "months": pgettext("remedy horizon", "shows within months"),
                "year_plus": pgettext("remedy horizon", "takes a year or more")}
    owners = {"board": pgettext("remedy owner", "the board"),
              "head_of_service": pgettext("remedy owner", "the head of customer service"),
              "operations": pgettext("remedy owner", "operations"),
              "workforce_planning": pgettext("remedy owner", "workforce planning"),
              "hr": pgettext("remedy owner", "HR"),
              "line_managers": pgettext("remedy owner", "line managers"),
              "training": pgettext("remedy owner", "learning and development"),
              "quality": pgettext("remedy owner", "quality and customer insight"),
              "finance": pgettext("remedy owner", "finance"),
              "it": pgettext("remedy owner", "IT"),
              "marketing": pgettext("remedy owner", "marketing and sales")}
    words = [efforts.get(effort or ""), horizons.get(horizon or "")]
    if owner:
        words.append(gettext("owner: {owner}").format(owner=owners.get(owner, owner)))
    return [w for w in words if w]


def plan_line(effort: str | None, horizon: str | None, owner: str | None) -> str:
    return " · ".join(plan_words(effort, horizon, owner))


def remedy_with_reason(shown: ShownRemedy) -> str:
    return gettext("{action} Why: {why}").format(
        action=remedy_text(shown.remedy.action, shown.only_if, shown.figure),
        why=shown.remedy.why)


def contribution_lines(conclusion: Conclusion, indent: str) -> list[str]:
    """How the certainty was reached, when more than one rule or weight entered it."""
    parts = conclusion.contributions
    if for_client():
        return []  # the arithmetic names rules and findings: a rule writer's view
    if len(parts) == 1 and not parts[0].weights and parts[0].rule is conclusion.rule:
        return []
    lines = [indent + gettext("Certainty from:")]
    for part in parts:
        template = (N_("{certainty} for: {title} [{id}]") if part.certainty > 0
                    else N_("{certainty} against: {title} [{id}]"))
        line = gettext(template).format(certainty=_signed(part.certainty),
                                        title=part.rule.title, id=part.rule.id)
        if part.weights:
            weights = gettext("; ").join(f"{weight_label(name)} {fixed(value)}"
                                         for name, value in part.weights.items())
            line = gettext("{line} (rule {certainty} times the weakest of: {weights})").format(
                line=line, certainty=_signed(part.rule.certainty), weights=weights)
        lines += wrap(line, indent + "  ")
    if len(parts) > 1:
        lines.append(indent + "  " + gettext("combined: {certainty}").format(
            certainty=fixed(conclusion.certainty)))
    return lines


def weight_label(name: str) -> str:
    """What scaled a certainty, in words: 'finding ID' and 'estimate FACT' are translated;
    a band reads as its condition, the same in every language."""
    kind, _, subject = name.partition(" ")
    if kind == "finding":
        return gettext("finding {id}").format(id=subject)
    if kind == "estimate":
        return gettext("estimate {fact}").format(fact=subject)
    # A band names its own weight ('…, weight 0.375'); the figure follows it once.
    return name.rsplit(", weight ", 1)[0]


def _signed(value: float) -> str:
    return ("+" if value >= 0 else "-") + fixed(abs(value))


def summary_line(result: CaseResult) -> str:
    partial = result.partial_signals()
    weak = len(result.weak_signals) + len(partial)
    parts = [ngettext("{count} diagnosed", "{count} diagnosed", len(result.diagnoses))]
    counts = [len(result.diagnoses)]
    if weak:
        parts.append(ngettext("{count} weak signal", "{count} weak signals", weak))
        counts.append(weak)
    unassessed = len(result.undetermined) - len(partial)
    parts += [ngettext("{count} not assessable", "{count} not assessable", unassessed),
              ngettext("{count} ruled out", "{count} ruled out", len(result.ruled_out))]
    counts += [unassessed, len(result.ruled_out)]
    listed = gettext(", ").join(part.format(count=n) for part, n in zip(parts, counts,
                                                                           strict=True))
    known = ngettext("{count} fact known", "{count} facts known", len(result.case.facts))
    return gettext("{counts} ({known})").format(counts=listed,
                                                known=known.format(count=len(result.case.facts)))


def _symptom_lines(symptoms: list[str], indent: str) -> list[str]:
    if not symptoms:
        return []
    lines = [indent + gettext("What the case shows:")]
    for sentence in symptoms:
        lines += wrap(f"- {sentence}", indent + "  ")
    return lines


def _settled_by(item: Undetermined, indent: str) -> list[str]:
    if not item.missing_facts:
        return []
    lines = [indent + gettext("would be settled by:")]
    for m in item.missing_facts:
        lines += wrap(f"- {m.question}" if for_client() else f"{m.fact}: {m.question}",
                      indent + "  ", hang=2)
    return lines


def _against_lines(item: Undetermined, indent: str) -> list[str]:
    """Why weak counter-evidence did not rule the cause out."""
    if not item.against:
        return []
    lines = wrap(gettext("Evidence against it has strength {strength}, not above the {line} "
                         "needed to rule it out (it rests on estimates):").format(
                             strength=fixed(item.against), line=fixed(RULE_OUT_ABOVE, 1)),
                 indent)
    return lines + _evidence_lines(item.counter_evidence, indent + "  ")


def _title_line(title: object, rule_id: str, certainty: float) -> str:
    if for_client():
        return gettext("- {title}, certainty {certainty}").format(
            title=title, certainty=fixed(certainty))
    return gettext("- {title} [{id}], certainty {certainty}").format(
        title=title, id=rule_id, certainty=fixed(certainty))


def _weak_signal_lines(result: CaseResult) -> list[str]:
    partial = result.partial_signals()
    if not result.weak_signals and not partial:
        return []
    count = len(result.weak_signals) + len(partial)
    out = ["", *_styled(wrap(gettext(
        "WEAK SIGNALS ({count}): some evidence, not enough for a diagnosis (certainty below "
        "{threshold})").format(count=count, threshold=fixed(result.threshold))), "heading")]
    for c in result.weak_signals:
        out += _styled(wrap(_title_line(c.rule.title, c.rule.id, c.certainty), "  "), "weak")
        out += wrap(str(c.rule.description), "    ")
        out += _symptom_lines(c.symptoms, "    ")
        out += contribution_lines(c, "    ")
        out.append("    " + gettext("Evidence:"))
        out += _evidence_lines(c.evidence, "      ")
    for u in partial:
        signs = ngettext("{present} of {count} sign present", "{present} of {count} signs present",
                         u.signs).format(present=u.signs_present, count=u.signs)
        out += _styled(wrap(gettext("{item}: {signs}").format(
            item=_title_line(u.rule.title, u.rule.id, u.certainty), signs=signs), "  "), "weak")
        out += wrap(str(u.rule.description), "    ")
        out += _symptom_lines(u.symptoms, "    ")
        out.append("    " + gettext("Present:"))
        out += _evidence_lines(u.present, "      ")
        out += _against_lines(u, "    ")
        out += _settled_by(u, "    ")
    return out


def _case_heading(result: CaseResult) -> list[str]:
    case = result.case
    if for_client():
        return [*_styled(wrap(str(case.organisation)), "heading"),
                *wrap(gettext("Assessed {date} by {assessor}").format(
                    date=date_text(case.date), assessor=case.assessor)), ""]
    return [*_styled(wrap(gettext("{organisation} — case {case}").format(
                organisation=case.organisation, case=case.id)), "heading"),
            *wrap(gettext("{file} · assessed {date} by {assessor}").format(
                file=case.file, date=date_text(case.date), assessor=case.assessor)), ""]


def _with_id(lines: list[str], rule_id: str, indent: str) -> list[str]:
    """A heading's lines with '  [id]' after it, on the last line when it fits."""
    if for_client():
        return lines
    tag = f"[{rule_id}]"
    if width(lines[-1]) + 2 + width(tag) <= display().columns:
        return [*lines[:-1], f"{lines[-1]}  {tag}"]
    return [*lines, indent + tag]


def _diagnosis_lines(result: CaseResult) -> list[str]:
    if not result.diagnoses:
        return _styled(wrap(gettext("DIAGNOSES: none. csdiag found no known cause of poor "
                                    "service in the facts given.")), "heading")
    out = _styled(wrap(gettext("DIAGNOSES ({count}), most severe and certain first").format(
        count=len(result.diagnoses))), "heading")
    for n, c in enumerate(result.diagnoses, 1):
        rule = c.rule
        out += ["", *_styled(_with_id(wrap(f"{n}. {rule.title}"), rule.id,
                                      " " * len(f"{n}. ")), "diagnosis"),
                *wrap(gettext("certainty {certainty} · severity {severity} · category "
                              "{category}").format(certainty=fixed(c.certainty),
                                                   severity=severity_word(rule.severity),
                                                   category=category_word(rule.category)),
                      "   ")]
        out += wrap(str(rule.description), "   ")
        out += _symptom_lines(c.symptoms, "   ")
        out += contribution_lines(c, "   ")
        out.append("   " + gettext("Evidence:"))
        out += _evidence_lines(c.evidence, "     ")
        out.append("   " + gettext("Remedies:"))
        for shown in c.remedies:
            out += wrap("- " + remedy_with_reason(shown), "     ")
            plan = plan_line(shown.remedy.effort, shown.remedy.horizon, shown.remedy.owner)
            if plan:
                out += wrap(plan, "       ")
        out += wrap(gettext("Sources: {sources}").format(
            sources=gettext("; ").join(source_label(s, for_client()) for s in rule.sources)),
            "   ")
    return out


def _unassessed_lines(result: CaseResult) -> list[str]:
    unassessed = [u for u in result.undetermined if not u.is_weak_signal]
    if not unassessed:
        return []
    out = ["", *_styled(wrap(gettext(
        "NOT ASSESSABLE ({count}): the case does not say enough").format(
            count=len(unassessed))), "heading")]
    for u in unassessed:
        template = (N_("- {title}, severity {severity}") if for_client()
                    else N_("- {title} [{id}], severity {severity}"))
        out += wrap(gettext(template).format(
            title=u.rule.title, id=u.rule.id, severity=severity_word(u.rule.severity)), "  ")
        out += _against_lines(u, "    ")
        out += _settled_by(u, "    ")
    return out


def _question_lines(result: CaseResult) -> list[str]:
    if not result.questions:
        return []
    shown_questions = result.questions[:SHOWN_QUESTIONS]
    out = ["", *_styled(wrap(ngettext(
        "ASK FIRST: {shown} of the {count} unknown fact above, those that could settle the "
        "most",
        "ASK FIRST: {shown} of the {count} unknown facts above, those that could settle the "
        "most", len(result.questions)).format(shown=len(shown_questions),
                                              count=len(result.questions))), "heading")]
    titles = conclusion_titles(result)
    for n, q in enumerate(shown_questions, 1):
        if for_client():
            out += wrap(f"{n}. {q.question}", "  ", hang=3)
            out += wrap(gettext("could settle: {titles}").format(titles=gettext("; ").join(
                titles.get(i, i) for i in q.decides)), "     ")
            continue
        settles = ngettext("{n}. {fact} — could settle {count} diagnosis: {ids}",
                           "{n}. {fact} — could settle {count} diagnoses: {ids}",
                           len(q.decides))
        out += wrap(settles.format(n=n, fact=q.fact, count=len(q.decides),
                                   ids=gettext(", ").join(q.decides)), "  ")
        out += wrap(str(q.question), "     ")
    if not for_client():
        # A case read from standard input is asked about once it is saved to a file.
        file = "CASE.yaml" if result.case.file == STDIN_NAME else result.case.file
        out += wrap(gettext("'csdiag interview {file} -o NEW.yaml' asks them, most useful "
                            "first, and saves the answers.").format(file=file), "  ")
    return out


def conclusion_titles(result: CaseResult) -> dict[str, str]:
    """Every conclusion the report names, by rule id: what a client reads instead."""
    titles = {c.rule.id: str(c.rule.title)
              for c in [*result.diagnoses, *result.weak_signals, *result.findings,
                        *result.ruled_out]}
    titles.update({u.rule.id: str(u.rule.title) for u in result.undetermined})
    return titles


def render_case(result: CaseResult) -> str:
    """One case's report, in the language the case was diagnosed in."""
    with use_language(result.language):
        return _render_case(result)


def _render_case(result: CaseResult) -> str:
    out = _case_heading(result) + _diagnosis_lines(result) + _weak_signal_lines(result)
    if result.findings and not for_client():  # steps of the rules' reasoning
        out += ["", *_styled(wrap(gettext(
            "FINDINGS (intermediate conclusions used by the rules)")), "heading")]
        for c in result.findings:
            out += wrap(_title_line(c.rule.title, c.rule.id, c.certainty), "  ")
    out += _unassessed_lines(result) + _question_lines(result)
    if result.ruled_out:
        out += ["", *_styled(wrap(gettext(
            "RULED OUT ({count}): checked and not present").format(
                count=len(result.ruled_out))), "heading")]
        for c in result.ruled_out:
            why = ruled_out_reason(c)
            item = (gettext("- {title}").format(title=c.rule.title) if for_client() else
                    gettext("- {title} [{id}]").format(title=c.rule.title, id=c.rule.id))
            if why:
                item = gettext("{item} — {why}").format(item=item, why=why)
            out += _styled(wrap(item, "  "), "ruled-out")
    if result.remedies:
        out += ["", styled(gettext("REMEDIES IN PRIORITY ORDER"), "heading")]
        titles = conclusion_titles(result)
        for n, planned in enumerate(result.remedies, 1):
            addresses = ([titles.get(i, i) for i in planned.addresses] if for_client()
                         else planned.addresses)
            out += wrap(gettext("{n}. {remedy} (addresses: {ids})").format(
                n=n, remedy=remedy_text(planned.action, planned.only_if, planned.figure),
                ids=(gettext("; ") if for_client() else gettext(", ")).join(addresses)), "  ")
            plan = plan_line(planned.effort, planned.horizon, planned.owner)
            if plan:
                out += wrap(plan, " " * (len(str(n)) + 4))
    out += ["", *_styled(wrap(gettext("Summary: {summary}.").format(
        summary=summary_line(result))), "heading")]
    return "\n".join(out)


def render_text(results: list[CaseResult]) -> str:
    """A section per case, then, for several, an overall summary."""
    from csdiag.render.stream import TextStream  # the one implementation, streamed or not

    stream = TextStream()
    return stream.start() + "".join(stream.case(r) for r in results) + stream.end()

