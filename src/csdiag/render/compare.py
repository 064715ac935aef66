"""`csdiag compare` as text, Markdown, JSON or HTML: two assessments of one organisation,
side by side. Every word is chosen here, once, in the comparison's language (the views
below); each format only lays the words out. For the client's readers (render.audience)
the views leave out rule and remedy ids, fact names, file names and the warnings meant
for whoever ran the comparison; JSON is the same for both."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from csdiag import __version__
from csdiag.features.compare import (
    CaseComparison,
    CauseChange,
    ChangeCheck,
    FactChange,
    Progress,
    RemedyProgress,
)
from csdiag.formats.case import Case, KnownFact
from csdiag.formats.vocabulary import FactDefinition
from csdiag.i18n import N_, fixed, gettext, number, use_language
from csdiag.model.outcome import Verdict
from csdiag.reason.wording import amount, case_value, label
from csdiag.render.audience import for_client
from csdiag.render.json_text import indented
from csdiag.render.layout import wrap
from csdiag.render.markdown import cell, escaped
from csdiag.render.text import date_text, origin_text

FORMAT_VERSION = 1

_STANDING = {
    Verdict.DIAGNOSED: N_("diagnosed, certainty {certainty}"),
    Verdict.WEAK_SIGNAL: N_("weak signal, certainty {certainty}"),
    Verdict.RULED_OUT: N_("ruled out"),
    Verdict.NOT_ASSESSABLE: N_("not assessable"),
}
_MOVED = {
    Verdict.DIAGNOSED: N_("diagnosed, certainty {old} → {new}"),
    Verdict.WEAK_SIGNAL: N_("weak signal, certainty {old} → {new}"),
}
_PROGRESS = {
    Progress.CARRIED_OUT: N_("carried out"),
    Progress.PARTLY: N_("partly carried out"),
    Progress.IN_PLACE: N_("in place now; the earlier assessment did not say whether it was "
                          "before"),
}


# In a client's view the ids and fact names below are '' (each format leaves them out).


@dataclass
class CauseLine:
    title: str
    rule_id: str
    severity: str
    change: str  # 'diagnosed, certainty 0.72 → ruled out'


@dataclass
class FactLine:
    label: str
    fact: str
    old: str
    new: str
    old_origin: str = ""
    new_origin: str = ""


@dataclass
class ChangeLine:
    """One change a remedy declares: the fact before and now, and what the remedy asks."""

    label: str
    fact: str
    old: str
    new: str
    target: str


@dataclass
class RemedyLine:
    action: str
    remedy_id: str
    progress: str
    addresses: str
    changes: list[ChangeLine] = field(default_factory=list)


@dataclass
class Section:
    key: str  # cleared, unsettled, appeared, changed, persisting, facts, remedies
    heading: str  # 'Cleared'
    about: str  # 'diagnosed before, not now'
    causes: list[CauseLine] = field(default_factory=list)


@dataclass
class ComparisonView:
    """What a comparison shows, each word in its language."""

    language: str
    title: str
    before: str
    now: str
    summary: str
    warnings: list[str]
    sections: list[Section]  # of causes
    facts_section: Section
    facts: list[FactLine]
    remedies_section: Section
    remedies: list[RemedyLine]
    none: str


def standing(verdict: Verdict, certainty: float) -> str:
    """Where a cause stands, in words: 'diagnosed, certainty 0.72', 'ruled out'."""
    return gettext(_STANDING.get(verdict, N_("not assessable"))).format(
        certainty=fixed(certainty))


def fact_value(known: KnownFact | None, definition: FactDefinition) -> str:
    return case_value(known, definition) if known is not None else gettext("not known")


def fact_origin(known: KnownFact | None) -> str:
    """Where a value came from: its source, the note beside it, how sure it is."""
    return origin_text(known) if known is not None else ""


def _assessment(case: Case) -> str:
    if for_client():  # the file is the consultant's
        return gettext("assessed {date} by {assessor}").format(
            date=date_text(case.date), assessor=case.assessor)
    return gettext("{file} · assessed {date} by {assessor}").format(
        file=case.file, date=date_text(case.date), assessor=case.assessor)


def _code(text: str) -> str:
    """An id or fact name, or '' in a client's report."""
    return "" if for_client() else text


def _cause(change: CauseChange) -> CauseLine:
    if change.old is change.new and change.old in _MOVED:
        words = gettext(_MOVED[change.old]).format(old=fixed(change.old_certainty),
                                                   new=fixed(change.new_certainty))
    else:
        words = gettext("{old} → {new}").format(
            old=standing(change.old, change.old_certainty),
            new=standing(change.new, change.new_certainty))
    return CauseLine(str(change.rule.title), _code(change.rule.id), change.rule.severity or "",
                     words)


def _fact(change: FactChange) -> FactLine:
    return FactLine(label(change.definition), _code(change.fact),
                    fact_value(change.old, change.definition),
                    fact_value(change.new, change.definition),
                    fact_origin(change.old), fact_origin(change.new))


def _target(check: ChangeCheck) -> str:
    shown = amount(check.target, check.definition)
    if check.direction > 0:
        shown = gettext("at least {amount}").format(amount=shown)
    elif check.direction < 0:
        shown = gettext("at most {amount}").format(amount=shown)
    return gettext("the remedy: {target}").format(target=shown)


def _remedy(progress: RemedyProgress, titles: dict[str, str]) -> RemedyLine:
    changes = [ChangeLine(label(c.definition), _code(c.fact), fact_value(c.old, c.definition),
                          fact_value(c.new, c.definition), _target(c))
               for c in progress.changes]
    return RemedyLine(str(progress.remedy.action), _code(progress.remedy.id),
                      gettext(_PROGRESS[progress.progress]),
                      gettext("; ").join(titles.get(i, i) for i in progress.addresses),
                      changes)


def comparison_view(comparison: CaseComparison) -> ComparisonView:
    """The comparison's words; call it in the comparison's language."""
    old, new = comparison.old, comparison.new
    organisation = new.case.organisation
    titles = {c.rule.id: str(c.rule.title) for c in old.diagnoses}
    sections = [
        Section("cleared", gettext("Cleared"), gettext("diagnosed before, ruled out now"),
                [_cause(c) for c in comparison.cleared]),
        Section("unsettled", gettext("No longer diagnosed, not settled"),
                gettext("diagnosed before; now a weak signal or not assessable, as the new "
                        "assessment does not say enough (or says it by estimates)"),
                [_cause(c) for c in comparison.unsettled]),
        Section("appeared", gettext("New"), gettext("diagnosed now, not before"),
                [_cause(c) for c in comparison.appeared]),
        Section("changed", gettext("Certainty changed"),
                gettext("diagnoses and weak signals, before → now"),
                [_cause(c) for c in comparison.changed]),
        Section("persisting", gettext("Still diagnosed"),
                gettext("diagnosed before and now"),
                [_cause(c) for c in comparison.persisting]),
    ]
    return ComparisonView(
        language=comparison.language,
        title=gettext("{organisation} — two assessments compared").format(
            organisation=organisation),
        before=gettext("Before: {assessment}").format(assessment=_assessment(old.case)),
        now=gettext("Now: {assessment}").format(assessment=_assessment(new.case)),
        summary=gettext("Diagnosed: {old} → {new}. Severity-weighted certainty of the "
                        "diagnoses and weak signals: {old_burden} → {new_burden}.").format(
                            old=number(len(old.diagnoses)), new=number(len(new.diagnoses)),
                            old_burden=fixed(comparison.burden_before),
                            new_burden=fixed(comparison.burden_now)),
        # The warnings are for whoever ran the comparison (and name case ids).
        warnings=[] if for_client() else list(comparison.warnings), sections=sections,
        facts_section=Section("facts", gettext("Facts changed"),
                              gettext("the value before → the value now, with sources")),
        facts=[_fact(f) for f in comparison.facts],
        remedies_section=Section("remedies", gettext("Remedies carried out"), gettext(
            "remedies of the earlier diagnoses whose declared changes now hold")),
        remedies=[_remedy(r, titles) for r in comparison.remedies],
        none=gettext("none"))


# --- text ------------------------------------------------------------------------------


def _cause_lines(cause: CauseLine) -> list[str]:
    if not cause.rule_id:
        return wrap(gettext("- {title}: {change}").format(title=cause.title,
                                                          change=cause.change), "  ")
    return wrap(gettext("- {title} [{id}]: {change}").format(
        title=cause.title, id=cause.rule_id, change=cause.change), "  ")


def _fact_lines(fact: FactLine) -> list[str]:
    if fact.fact:
        head = gettext("- {label} [{fact}]: {old} → {new}").format(
            label=fact.label, fact=fact.fact, old=fact.old, new=fact.new)
    else:
        head = gettext("- {label}: {old} → {new}").format(label=fact.label, old=fact.old,
                                                          new=fact.new)
    lines = wrap(head, "  ")
    for word, origin in ((N_("before: {origin}"), fact.old_origin),
                         (N_("now: {origin}"), fact.new_origin)):
        if origin:
            lines += wrap(gettext(word).format(origin=origin), "      ", hang=2)
    return lines


def _remedy_lines(remedy: RemedyLine) -> list[str]:
    lines = wrap(f"- {remedy.action} [{remedy.remedy_id}]" if remedy.remedy_id
                 else f"- {remedy.action}", "  ")
    lines += wrap(gettext("{progress}; addresses: {titles}").format(
        progress=remedy.progress, titles=remedy.addresses), "      ", hang=2)
    for change in remedy.changes:
        lines += wrap(gettext("{fact}: {old} → {new} ({target})").format(
            fact=change.fact or change.label, old=change.old, new=change.new,
            target=change.target), "      ", hang=2)
    return lines


def _heading(section: Section, count: int) -> str:
    return gettext("{heading} ({count}): {about}").format(
        heading=section.heading.upper(), count=number(count), about=section.about)


def render_compare_text(comparison: CaseComparison) -> str:
    """The comparison for a person at a terminal."""
    with use_language(comparison.language):
        view = comparison_view(comparison)
        out = [*wrap(view.title), *wrap(view.before), *wrap(view.now), "",
               *wrap(view.summary)]
        for warning in view.warnings:
            out += wrap(gettext("warning: {warning}").format(warning=warning), hang=2)
        for section in view.sections:
            out += ["", *wrap(_heading(section, len(section.causes)))]
            for cause in section.causes:
                out += _cause_lines(cause)
            if not section.causes:
                out.append("  " + view.none)
        out += ["", *wrap(_heading(view.facts_section, len(view.facts)))]
        for fact in view.facts:
            out += _fact_lines(fact)
        if not view.facts:
            out.append("  " + view.none)
        out += ["", *wrap(_heading(view.remedies_section, len(view.remedies)))]
        for remedy in view.remedies:
            out += _remedy_lines(remedy)
        if not view.remedies:
            out.append("  " + view.none)
        return "\n".join(out) + "\n"


# --- Markdown --------------------------------------------------------------------------


def _markdown_heading(section: Section, count: int) -> list[str]:
    return ["", f"## {escaped(section.heading)} ({number(count)})", "",
            f"_{escaped(section.about)}_", ""]


def render_compare_markdown(comparison: CaseComparison) -> str:
    """The comparison as Markdown, for a consultant's write-up. The view's words are plain
    text (names and notes from the case files among them): each is escaped as put in."""
    with use_language(comparison.language):
        view = comparison_view(comparison)
        out = [f"# {escaped(view.title)}", "", f"- {escaped(view.before)}",
               f"- {escaped(view.now)}", "", f"**{escaped(view.summary)}**"]
        for warning in view.warnings:
            out += ["", "> " + escaped(gettext("warning: {warning}").format(warning=warning))]
        for section in view.sections:
            out += _markdown_heading(section, len(section.causes))
            out += [f"- **{escaped(c.title)}**" + (f" (`{c.rule_id}`)" if c.rule_id else "")
                    + f": {escaped(c.change)}" for c in section.causes] or [view.none]
        out += _markdown_heading(view.facts_section, len(view.facts))
        if view.facts:
            out += [gettext("| fact | before | now |"), "|---|---|---|"]
            for f in view.facts:
                old = f"{f.old} ({f.old_origin})" if f.old_origin else f.old
                new = f"{f.new} ({f.new_origin})" if f.new_origin else f.new
                fact = cell(f.label) + (f" (`{f.fact}`)" if f.fact else "")
                out.append(f"| {fact} | {cell(old)} | {cell(new)} |")
        else:
            out.append(view.none)
        out += _markdown_heading(view.remedies_section, len(view.remedies))
        for r in view.remedies:
            out += [f"- **{escaped(r.action)}**" + (f" (`{r.remedy_id}`)" if r.remedy_id else "")
                    + " " + escaped(gettext("{progress}; addresses: {titles}").format(
                        progress=r.progress, titles=r.addresses))]
            out += [f"  - {f'`{c.fact}`' if c.fact else escaped(c.label)}: {escaped(c.old)} → "
                    f"{escaped(c.new)} ({escaped(c.target)})" for c in r.changes]
        if not view.remedies:
            out.append(view.none)
        return "\n".join(out) + "\n"


# --- JSON ------------------------------------------------------------------------------


def _known(known: KnownFact | None) -> dict[str, Any] | None:
    if known is None:
        return None
    data = {"value": known.value, "at_least": known.at_least, "at_most": known.at_most,
            "source": known.source, "note": known.note, "confidence": known.confidence}
    return {key: value for key, value in data.items() if value is not None}


def _cause_data(change: CauseChange) -> dict[str, Any]:
    return {"id": change.rule.id, "title": str(change.rule.title),
            "severity": change.rule.severity,
            "old": {"verdict": change.old.value, "certainty": change.old_certainty},
            "new": {"verdict": change.new.value, "certainty": change.new_certainty},
            "difference": change.difference}


def _case_data(comparison: CaseComparison, which: str) -> dict[str, Any]:
    result = comparison.old if which == "old" else comparison.new
    case = result.case
    return {"id": case.id, "organisation": case.organisation, "date": case.date,
            "assessor": case.assessor, "file": case.file, "facts_known": len(case.facts),
            "diagnoses": [c.rule.id for c in result.diagnoses],
            "burden": comparison.burden_before if which == "old" else comparison.burden_now}


def compare_data(comparison: CaseComparison) -> dict[str, Any]:
    """The comparison as JSON data (its text in the comparison's language)."""
    with use_language(comparison.language):
        return {
            "format_version": FORMAT_VERSION, "language": comparison.language,
            "old": _case_data(comparison, "old"), "new": _case_data(comparison, "new"),
            "warnings": list(comparison.warnings),
            "cleared": [_cause_data(c) for c in comparison.cleared],
            "unsettled": [_cause_data(c) for c in comparison.unsettled],
            "new_diagnoses": [_cause_data(c) for c in comparison.appeared],
            "certainty_changed": [_cause_data(c) for c in comparison.changed],
            "still_diagnosed": [_cause_data(c) for c in comparison.persisting],
            "facts_changed": [{"fact": f.fact, "old": _known(f.old), "new": _known(f.new)}
                              for f in comparison.facts],
            "remedies_carried_out": [
                {"id": r.remedy.id, "action": str(r.remedy.action),
                 "progress": r.progress.value, "addresses": r.addresses,
                 "changes": [{"fact": c.fact, "target": c.target,
                              "direction": c.direction, "before": c.before, "now": c.now,
                              "old": _known(c.old), "new": _known(c.new)}
                             for c in r.changes]}
                for r in comparison.remedies],
        }


def render_compare_json(comparison: CaseComparison) -> str:
    return indented(compare_data(comparison)) + "\n"


# --- HTML ------------------------------------------------------------------------------


def render_compare_html(comparison: CaseComparison) -> str:
    """One self-contained page in the report's style (no script, nothing fetched); every
    value escaped by the template."""
    from csdiag.render.html import _environment  # the report's own Jinja2 environment

    with use_language(comparison.language):
        view = comparison_view(comparison)
        labels = {"kicker": gettext("Two assessments compared"),
                  "fact": gettext("Fact"), "before": gettext("Before"),
                  "now": gettext("Now"), "addresses": gettext("Addresses:"),
                  "produced": gettext("Produced by csdiag {version}.").format(
                      version=__version__)}
        return _environment().get_template("compare.html.j2").render(view=view, t=labels)
