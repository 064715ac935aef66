"""The report as one self-contained HTML document, a consultant's deliverable: it opens
offline (no script, no web font, no linked file; the chart is inline SVG) and prints
well. Each case is rendered, in its own language, into a section as soon as it is
diagnosed; the document around the sections (a table of contents for several cases) is
put together at the end.

Every word comes from here, through gettext, and the templates only lay it out; Jinja2
escapes every value, since all text comes from case and rule files, which are user data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from csdiag import __version__
from csdiag.i18n import current_language, fixed, gettext, ngettext, one_line, use_language
from csdiag.reason.diagnosis import (
    CaseResult,
    Conclusion,
    Evidence,
    MissingFact,
    ShownRemedy,
    source_label,
)
from csdiag.reason.portfolio import Portfolio
from csdiag.render.audience import for_client
from csdiag.render.chart import severity_certainty_svg
from csdiag.render.portfolio import portfolio_view
from csdiag.render.text import (
    category_word,
    date_text,
    origin_text,
    plan_words,
    remedy_text,
    ruled_out_reason,
    severity_word,
    summary_line,
)

if TYPE_CHECKING:
    from jinja2 import Environment

HEADLINE_DIAGNOSES = 3  # the executive summary's "what matters most"
FIRST_ACTIONS = 3
SHOWN_QUESTIONS = 10  # the most useful; the interview asks the rest
SETTLED_BY_SHOWN = 3  # per weak signal, so that its card stays short


@dataclass
class Line:
    """A statement and, under it, where it comes from or what qualifies it."""

    text: str
    detail: str = ""


@dataclass
class RemedyView:
    action: str
    why: str
    addresses: list[str] = field(default_factory=list)  # titles of the diagnoses
    # What else a reader needs to plan it, shown as 'a · b · c' under the action (for
    # the effort, horizon and owner of a remedy, once rules state them).
    facts: list[str] = field(default_factory=list)


@dataclass
class Card:
    """A diagnosis or a weak signal."""

    anchor: str
    title: str
    rule_id: str
    meta: str  # certainty · severity · category
    severity: str  # low, medium, high or critical: the card's colour
    description: str
    symptoms: list[str] = field(default_factory=list)
    evidence: list[Line] = field(default_factory=list)
    remedies: list[RemedyView] = field(default_factory=list)
    sources: list[tuple[int, str]] = field(default_factory=list)  # (number, anchor)
    settled_by: list[Line] = field(default_factory=list)  # weak signals: fact, question
    more_settled_by: str = ""


@dataclass
class Citation:
    number: int
    anchor: str
    label: str
    url: str | None  # only http(s) addresses become links
    note: str


@dataclass
class Question:
    question: str
    fact: str
    settles: str  # the causes its answer could settle


@dataclass
class CaseView:
    """Everything one case's section shows, each word in the case's language."""

    anchor: str
    language: str
    organisation: str
    case_id: str
    date: str
    assessor: str
    file: str
    summary: str
    headline: list[tuple[str, str, str]]  # (title, first sentence, anchor)
    more_diagnoses: str
    first_actions: list[RemedyView]
    chart: str  # inline SVG ('' when nothing can be placed on it)
    diagnoses: list[Card]
    weak_signals: list[Card]
    unassessed: list[Line]
    questions: list[Question]
    more_questions: str
    ruled_out: list[Line]
    remedies: list[RemedyView]
    citations: list[Citation]
    # For the client's readers: no rule ids, file names or fact names (render.audience).
    client: bool = False


@dataclass
class Section:
    """One case, rendered, and what the table of contents says of it."""

    anchor: str
    language: str
    organisation: str
    case_id: str
    summary: str
    html: str


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“«(]?[A-ZА-ЯЁ0-9])|(?<=[。！？])")


def first_sentence(text: str) -> str:
    """The first sentence of a description: what the executive summary says of a cause."""
    return _SENTENCE_END.split(one_line(text).strip(), maxsplit=1)[0]


def _labels() -> dict[str, str]:
    """The report's headings and labels, in the language in use."""
    return {
        "report": gettext("Customer service diagnostic report"),
        "case": gettext("Case"), "date": gettext("Date"), "assessor": gettext("Assessor"),
        "file": gettext("Case file"),
        "executive_summary": gettext("Executive summary"),
        "matters_most": gettext("What matters most"),
        "first_actions": gettext("First actions"),
        "no_diagnoses": gettext("None: no known cause of poor service was found in the "
                                "facts given."),
        "chart": gettext("Severity and certainty"),
        "chart_caption": gettext(
            "Each dot is a cause: a diagnosis, or a weak signal (some evidence, not "
            "enough). Further right is more certain, higher is more severe; causes at "
            "the dashed line's right reach the threshold of a diagnosis."),
        "diagnoses": gettext("Diagnoses, most severe and certain first"),
        "shows": gettext("What the case shows:"), "evidence": gettext("Evidence:"),
        "remedies_of": gettext("Remedies:"), "why": gettext("Why:"),
        "sources": gettext("Sources:"), "addresses": gettext("Addresses:"),
        "weak_signals": gettext("Weak signals"),
        "settled_by": gettext("Would be settled by:"),
        "unassessed": gettext("What could not be assessed"),
        "questions": gettext("Questions to settle it, most useful first"),
        "question": gettext("Question"),
        "settles": gettext("Could settle"),
        "ruled_out": gettext("What was ruled out, and why"),
        "remedies": gettext("Remedies in priority order"),
        "appendix": gettext("Appendix: sources"),
        "separator": gettext("; "),
    }


def _evidence(evidence: list[Evidence]) -> list[Line]:
    return [Line(e.text, origin_text(e)) for e in evidence]


def _shown(remedy: ShownRemedy) -> RemedyView:
    return RemedyView(remedy_text(remedy.remedy.action, remedy.only_if, remedy.figure),
                      str(remedy.remedy.why), facts=plan_words(
                          remedy.remedy.effort, remedy.remedy.horizon, remedy.remedy.owner))


class _Citations:
    """The case's sources, numbered once each in the order the report first cites them."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.found: dict[tuple[str, str | None, str], Citation] = {}

    def cite(self, sources: list[object]) -> list[tuple[int, str]]:
        numbers = []
        for source in sources:
            url = getattr(source, "url", None)
            # A source's note is the rule writer's, in English: a report in another
            # language cites the work alone rather than mix in an English sentence.
            note = getattr(source, "note", None) if current_language() == "en" else None
            key = (source_label(source, for_client()), url, note or "")
            if key not in self.found:
                number = len(self.found) + 1
                self.found[key] = Citation(
                    number, f"{self.prefix}-src{number}", key[0],
                    url if url and url.startswith(("https://", "http://")) else None, key[2])
            numbers.append((self.found[key].number, self.found[key].anchor))
        return sorted(set(numbers))


def _card(conclusion: Conclusion, anchor: str, citations: _Citations,
          weak: bool = False) -> Card:
    rule = conclusion.rule
    if weak:
        meta = gettext("certainty {certainty} · severity {severity}").format(
            certainty=fixed(conclusion.certainty), severity=severity_word(rule.severity))
    else:
        meta = gettext("certainty {certainty} · severity {severity} · category "
                       "{category}").format(certainty=fixed(conclusion.certainty),
                                            severity=severity_word(rule.severity),
                                            category=category_word(rule.category))
    description = one_line(str(rule.description))
    return Card(anchor, str(rule.title), rule.id, meta, rule.severity or "",
                # A weak signal is one to watch: its first sentence says what it is.
                first_sentence(description) if weak else description, conclusion.symptoms,
                _evidence(conclusion.evidence),
                [] if weak else [_shown(r) for r in conclusion.remedies],
                citations.cite(list(rule.sources)),
                *_settled_by(conclusion.missing_facts))


def _settled_by(missing: list[MissingFact]) -> tuple[list[Line], str]:
    """The first questions that would settle a weak signal, and how many more there are
    (all of them are in the case's questions, and the interview asks them)."""
    more = len(missing) - SETTLED_BY_SHOWN
    return ([Line(m.fact, str(m.question)) for m in missing[:SETTLED_BY_SHOWN]],
            ngettext("… and {count} more.", "… and {count} more.", more).format(count=more)
            if more > 0 else "")


def _weak_signals(result: CaseResult, prefix: str, citations: _Citations) -> list[Card]:
    cards = [_card(c, f"{prefix}-w{n}", citations, weak=True)
             for n, c in enumerate(result.weak_signals, 1)]
    for n, u in enumerate(result.partial_signals(), len(cards) + 1):
        signs = ngettext("{present} of {count} sign present",
                         "{present} of {count} signs present",
                         u.signs).format(present=u.signs_present, count=u.signs)
        meta = gettext("certainty {certainty} · severity {severity}").format(
            certainty=fixed(u.certainty), severity=severity_word(u.rule.severity))
        cards.append(Card(f"{prefix}-w{n}", str(u.rule.title), u.rule.id,
                          gettext("{meta} · {signs}").format(meta=meta, signs=signs),
                          u.rule.severity or "", first_sentence(str(u.rule.description)),
                          u.symptoms, _evidence(u.present), [],
                          citations.cite(list(u.rule.sources)),
                          *_settled_by(u.missing_facts)))
    return cards


def case_view(result: CaseResult, number: int) -> CaseView:
    """What the section of the `number`-th case shows; call it in the case's language."""
    case = result.case
    prefix = f"c{number}"
    citations = _Citations(prefix)
    diagnoses = [_card(c, f"{prefix}-d{n}", citations)
                 for n, c in enumerate(result.diagnoses, 1)]
    weak = _weak_signals(result, prefix, citations)
    titles = {c.rule.id: str(c.rule.title) for c in result.diagnoses}
    titles.update({c.rule.id: str(c.rule.title) for c in result.weak_signals})
    titles.update({u.rule.id: str(u.rule.title) for u in result.undetermined})
    remedies = [RemedyView(remedy_text(r.action, r.only_if, r.figure), str(r.why),
                           [titles.get(i, i) for i in r.addresses],
                           plan_words(r.effort, r.horizon, r.owner))
                for r in result.remedies]
    unassessed = []
    for u in result.undetermined:
        if u.is_weak_signal:
            continue
        detail = gettext("severity {severity}").format(severity=severity_word(u.rule.severity))
        if u.against:
            detail = gettext("{detail}; evidence against it (strength {strength}) rests on "
                             "estimates, too weak to rule it out").format(
                                 detail=detail, strength=fixed(u.against))
        unassessed.append(Line(str(u.rule.title), detail))
    questions = [Question(str(q.question), q.fact,
                          gettext("; ").join(titles.get(i, i) for i in q.decides))
                 for q in result.questions[:SHOWN_QUESTIONS]]
    more = len(result.questions) - len(questions)
    hidden = len(result.diagnoses) - HEADLINE_DIAGNOSES
    return CaseView(
        anchor=prefix, language=result.language, organisation=case.organisation,
        case_id=case.id, date=date_text(case.date), assessor=case.assessor, file=case.file,
        summary=gettext("Summary: {summary}.").format(summary=summary_line(result)),
        headline=[(card.title, first_sentence(card.description), card.anchor)
                  for card in diagnoses[:HEADLINE_DIAGNOSES]],
        more_diagnoses=ngettext("… and {count} more diagnosis, below.",
                                "… and {count} more diagnoses, below.",
                                hidden).format(count=hidden) if hidden > 0 else "",
        first_actions=remedies[:FIRST_ACTIONS],
        chart=severity_certainty_svg(result, prefix),
        diagnoses=diagnoses, weak_signals=weak, unassessed=unassessed, questions=questions,
        more_questions=ngettext(
            "… and {count} more question: 'csdiag interview {file} -o NEW.yaml' asks "
            "them all, most useful first.",
            "… and {count} more questions: 'csdiag interview {file} -o NEW.yaml' asks "
            "them all, most useful first.", more).format(count=more, file=case.file)
        if more > 0 and not for_client() else "",
        ruled_out=[Line(str(c.rule.title), ruled_out_reason(c)) for c in result.ruled_out],
        remedies=remedies, citations=list(citations.found.values()), client=for_client())


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # Jinja2 only when a report is written in HTML: other formats do not pay its import.
    from jinja2 import Environment, PackageLoader, StrictUndefined

    # autoescape=True, not by file name: the templates end in .j2, which
    # select_autoescape would leave unescaped.
    return Environment(loader=PackageLoader("csdiag.render", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True)


def render_section(result: CaseResult, number: int) -> Section:
    """The `number`-th case's section, rendered in the case's language."""
    with use_language(result.language):
        view = case_view(result, number)
        html = _environment().get_template("case.html.j2").render(case=view, t=_labels())
        # A client's contents name the organisation only: the case id is the consultant's.
        return Section(view.anchor, view.language, view.organisation,
                       "" if view.client else view.case_id, view.summary, html)


def render_document(sections: list[Section], portfolio: Portfolio | None = None) -> str:
    """The whole document around the rendered sections: in the cases' language when they
    share one, else in the language in use; with the portfolio across the cases, when
    given, after the table of contents."""
    languages = {s.language for s in sections}
    language = languages.pop() if len(languages) == 1 else current_language()
    with use_language(language):
        if len(sections) == 1:
            title = gettext("{organisation} — customer service diagnostic report").format(
                organisation=sections[0].organisation)
        else:
            title = ngettext("Customer service diagnostic report: {count} case",
                             "Customer service diagnostic report: {count} cases",
                             len(sections)).format(count=len(sections))
        labels = {"contents": gettext("Contents"),
                  "produced": gettext("Produced by csdiag {version}.").format(
                      version=__version__),
                  "none": gettext("No case was diagnosed.")}
        return _environment().get_template("report.html.j2").render(
            language=language, title=title, sections=sections, t=labels,
            portfolio=portfolio_view(portfolio) if portfolio is not None else None)


def render_html(results: list[CaseResult]) -> str:
    from csdiag.render.stream import HtmlStream  # the one implementation

    stream = HtmlStream()
    return stream.start() + "".join(stream.case(r) for r in results) + stream.end()
