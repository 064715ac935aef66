"""The portfolio across several cases (csdiag.reason.portfolio) as text, Markdown, JSON
data and the view the HTML report lays out (with its heat map of cases × causes). Every
word is in the language in use: a portfolio spans cases of several languages."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from csdiag.i18n import fixed, gettext, ngettext, number, percent
from csdiag.reason.portfolio import CaseSummary, CauseCount, Portfolio
from csdiag.render.audience import for_client
from csdiag.render.layout import wrap
from csdiag.render.markdown import cell
from csdiag.render.text import date_text, severity_word

SHOWN_MISSING = 10  # the facts most often missing; JSON gives them all


def _share(share: float) -> str:
    return percent(math.floor(share * 100 + 0.5))  # half up: 2 of 16 is 13%


def _cases_of(count: int, total: int) -> str:
    return ngettext("{count} of {total} case", "{count} of {total} cases", total).format(
        count=number(count), total=number(total))


def _skipped(portfolio: Portfolio) -> str:
    return ngettext(
        "{count} file with problems was skipped: they are listed on the error output.",
        "{count} files with problems were skipped: they are listed on the error output.",
        portfolio.skipped).format(count=number(portfolio.skipped))


def _heading(portfolio: Portfolio) -> str:
    return ngettext("PORTFOLIO: what {count} case has in common",
                    "PORTFOLIO: what the {count} cases have in common",
                    portfolio.cases).format(count=number(portfolio.cases))


def _top(portfolio: Portfolio, summary: CaseSummary) -> str:
    top = summary.top
    if top is None:
        return gettext("no diagnosis")
    if for_client():
        return gettext("first diagnosis: {title}, certainty {certainty}").format(
            title=portfolio.title(top[0]), certainty=fixed(top[1]))
    return gettext("first diagnosis: {title} [{id}], certainty {certainty}").format(
        title=portfolio.title(top[0]), id=top[0], certainty=fixed(top[1]))


def _first(portfolio: Portfolio, summary: CaseSummary) -> str:
    """The first diagnosis, in a column headed so."""
    top = summary.top
    if top is None:
        return gettext("no diagnosis")
    return gettext("{title}, certainty {certainty}").format(title=portfolio.title(top[0]),
                                                           certainty=fixed(top[1]))


def _more_ranked(portfolio: Portfolio) -> str:
    return ngettext("… {count} more case, less severe than those above",
                    "… {count} more cases, less severe than those above",
                    portfolio.unranked).format(count=number(portfolio.unranked))


def _more_missing(count: int) -> str:
    return ngettext("… and {count} more fact missing in some case",
                    "… and {count} more facts missing in some case", count).format(
                        count=number(count))


def portfolio_lines(portfolio: Portfolio) -> list[str]:
    """The portfolio as text lines, for the end of the text report."""
    total = portfolio.cases
    out = wrap(_heading(portfolio))
    if portfolio.skipped:
        out += wrap(_skipped(portfolio), "  ")
    out += ["", *wrap(gettext("Causes diagnosed, most often first:"))]
    causes = portfolio.diagnosed_causes
    client = for_client()
    for n, cause in enumerate(causes, 1):
        out += wrap(f"{n}. {cause.rule.title}" + ("" if client else f" [{cause.id}]"), "  ")
        out += wrap(gettext("diagnosed in {cases} ({share}), mean certainty {certainty}"
                            ).format(cases=_cases_of(cause.cases, total),
                                     share=_share(cause.share),
                                     certainty=fixed(cause.mean_certainty or 0.0)),
                    "  " + " " * len(f"{n}. "))
    if not causes:
        out += wrap(gettext("None: no cause was diagnosed in any case."), "  ")
    if portfolio.missing:
        out += ["", *wrap(gettext("Facts most often missing (the questions to ask in every "
                                  "case):"))]
        for n, missing in enumerate(portfolio.missing[:SHOWN_MISSING], 1):
            cases = gettext("missing in {cases}").format(cases=_cases_of(missing.cases, total))
            if client:  # the question, not the fact's name
                out += wrap(f"{n}. {missing.question}", "  ")
                out += wrap(cases, "  " + " " * len(f"{n}. "))
                continue
            out += wrap(gettext("{n}. {fact} — {missing}").format(
                n=n, fact=missing.fact, missing=cases), "  ")
            out += wrap(str(missing.question), "  " + " " * len(f"{n}. "))
        more = len(portfolio.missing) - SHOWN_MISSING
        if more > 0:
            out += wrap(_more_missing(more), "  ")
    out += ["", *wrap(gettext("Cases by severity-weighted certainty (severity weight × "
                              "certainty, summed over the diagnoses and weak signals), "
                              "worst first:"))]
    for n, summary in enumerate(portfolio.ranking, 1):
        if client:  # the case id is the consultant's label for the file: the name instead
            line = gettext("{n}. {organisation} ({date}): {score}").format(
                n=n, organisation=summary.organisation, date=date_text(summary.date),
                score=fixed(summary.score))
        else:
            line = gettext("{n}. {case} ({organisation}, {date}): {score}").format(
                n=n, case=summary.case_id, organisation=summary.organisation,
                date=date_text(summary.date), score=fixed(summary.score))
        out += wrap(line, "  ")
        out += wrap(_top(portfolio, summary), "  " + " " * len(f"{n}. "))
    if portfolio.unranked:
        out += wrap(_more_ranked(portfolio), "  ")
    return out


def portfolio_markdown(portfolio: Portfolio) -> str:
    """The portfolio as a Markdown section, for the end of the Markdown report."""
    total = portfolio.cases
    client = for_client()
    out = ["## " + gettext("Portfolio"), "",
           ngettext("{count} case diagnosed, {diagnosed} with at least one diagnosis.",
                    "{count} cases diagnosed, {diagnosed} with at least one diagnosis.",
                    total).format(count=number(total),
                                  diagnosed=number(portfolio.with_diagnoses))]
    if portfolio.skipped:
        out += ["", _skipped(portfolio)]
    out += ["", "### " + gettext("Causes diagnosed, most often first"), ""]
    causes = portfolio.diagnosed_causes
    if causes:
        out += [gettext("| # | cause | diagnosed in | share | mean certainty |"),
                "|---|---|---|---|---|"]
        out += [f"| {n} | {cell(c.rule.title)}{'' if client else f' (`{c.id}`)'} | "
                f"{_cases_of(c.cases, total)} | {_share(c.share)} | "
                f"{fixed(c.mean_certainty or 0.0)} |" for n, c in enumerate(causes, 1)]
    else:
        out.append(gettext("None: no cause was diagnosed in any case."))
    if portfolio.missing:
        out += ["", "### " + gettext("Facts most often missing: the questions to ask in "
                                     "every case"), ""]
        shown = portfolio.missing[:SHOWN_MISSING]
        if client:
            out += [gettext("| # | question | missing in |"), "|---|---|---|"]
            out += [f"| {n} | {cell(m.question)} | {_cases_of(m.cases, total)} |"
                    for n, m in enumerate(shown, 1)]
        else:
            out += [gettext("| # | fact | question | missing in |"), "|---|---|---|---|"]
            out += [f"| {n} | `{m.fact}` | {cell(m.question)} | {_cases_of(m.cases, total)} |"
                    for n, m in enumerate(shown, 1)]
        more = len(portfolio.missing) - SHOWN_MISSING
        if more > 0:
            out += ["", _more_missing(more)]
    out += ["", "### " + gettext("Cases by severity-weighted certainty, worst first"), "",
            _ranking_caption(), ""]
    out += ([gettext("| # | organisation | date | score | first diagnosis |"),
             "|---|---|---|---|---|"] if client else
            [gettext("| # | case | organisation | date | score | first diagnosis |"),
             "|---|---|---|---|---|---|"])
    for n, summary in enumerate(portfolio.ranking, 1):
        top = summary.top
        if top is None:
            first = gettext("no diagnosis")
        elif client:
            first = gettext("{title}, certainty {certainty}").format(
                title=cell(portfolio.title(top[0])), certainty=fixed(top[1]))
        else:
            first = gettext("{title} (`{id}`), {certainty}").format(
                title=cell(portfolio.title(top[0])), id=top[0], certainty=fixed(top[1]))
        case = "" if client else f"`{summary.case_id}` | "
        out.append(f"| {n} | {case}{cell(summary.organisation)} | "
                   f"{date_text(summary.date)} | {fixed(summary.score)} | {first} |")
    if portfolio.unranked:
        out += ["", _more_ranked(portfolio)]
    return "\n".join(out)


def _ranking_caption() -> str:
    return gettext("Severity weight (low 1, medium 2, high 3, critical 4) × certainty, "
                   "summed over the case's diagnoses and weak signals.")


def _cause_data(portfolio: Portfolio, cause: CauseCount) -> dict[str, Any]:
    return {"id": cause.id, "title": portfolio.title(cause.id),
            "severity": cause.rule.severity, "cases": cause.cases, "share": cause.share,
            "mean_certainty": cause.mean_certainty, "weak_signal_cases": cause.weak_cases}


def portfolio_data(portfolio: Portfolio, language: str) -> dict[str, Any]:
    """The JSON report's "portfolio" (docs/json-output.md)."""
    return {
        "language": language,
        "cases": portfolio.cases, "cases_with_diagnoses": portfolio.with_diagnoses,
        "skipped_files": portfolio.skipped,
        "causes": [_cause_data(portfolio, c) for c in portfolio.causes],
        "missing_facts": [{"fact": m.fact, "question": str(m.question), "cases": m.cases,
                           "share": m.share} for m in portfolio.missing],
        "ranking": [{"case": s.case_id, "organisation": s.organisation, "date": s.date,
                     "file": s.file,
                     "score": s.score, "diagnoses": len(s.diagnosed),
                     "top_diagnosis": ({"id": s.top[0], "title": portfolio.title(s.top[0]),
                                        "certainty": s.top[1]} if s.top else None)}
                    for s in portfolio.ranking],
        "cases_not_ranked": portfolio.unranked,
    }


# --- HTML ------------------------------------------------------------------------------

HEAT_LEVELS = 5  # shades of the heat map, lightest (certainty up to 0.2) to darkest
HEAT_COLUMNS = 16  # causes per table of the heat map: more go to the next table, so that
# each fits the page (a printed table cannot scroll)


@dataclass
class HeatCell:
    text: str  # the certainty, as the language writes it ('' for neither)
    level: int  # 1..HEAT_LEVELS, 0 for an empty cell
    diagnosed: bool
    label: str  # what the cell says, in words (its title attribute)


@dataclass
class HeatRow:
    anchor: str  # the case's section
    case_id: str  # '' in a client's report: the organisation names the row
    organisation: str
    date: str
    cells: list[HeatCell]


@dataclass
class HeatTable:
    """Part of the heat map: every case, HEAT_COLUMNS causes at most."""

    columns: list[tuple[str, str, str]]
    rows: list[HeatRow]


@dataclass
class PortfolioRow:
    """A row of one of the portfolio's tables: its cells, the first one a title."""

    cells: list[str]
    code: str = ""  # an id or fact name shown beside the first cell ('' for a client)
    anchor: str = ""  # where the first cell links to


@dataclass
class PortfolioView:
    """Everything the HTML report's portfolio shows, each word in the document's
    language; the template lays it out."""

    intro: str
    skipped: str
    causes: list[PortfolioRow]
    missing: list[PortfolioRow]
    more_missing: str
    ranking: list[PortfolioRow]
    more_ranked: str
    columns: list[tuple[str, str, str]]  # heat map: (number, title, id), most often first
    heat: list[HeatTable]
    labels: dict[str, str] = field(default_factory=dict)


def _heat_cell(portfolio: Portfolio, summary: CaseSummary, cause: str) -> HeatCell:
    diagnosed = dict(summary.diagnosed)
    weak = dict(summary.weak)
    if cause in diagnosed:
        certainty, is_diagnosed = diagnosed[cause], True
        label = gettext("{case}: {cause} diagnosed, certainty {certainty}")
    elif cause in weak:
        certainty, is_diagnosed = weak[cause], False
        label = gettext("{case}: {cause} a weak signal, certainty {certainty}")
    else:
        return HeatCell("", 0, False, "")
    level = min(HEAT_LEVELS, max(1, math.ceil(round(certainty * HEAT_LEVELS, 6))))
    return HeatCell(fixed(certainty), level, is_diagnosed, label.format(
        case=summary.organisation if for_client() else summary.case_id,
        cause=portfolio.title(cause), certainty=fixed(certainty)))


def portfolio_view(portfolio: Portfolio) -> PortfolioView:
    """What the HTML portfolio shows; call it in the document's language."""
    total = portfolio.cases
    causes = portfolio.diagnosed_causes
    rows = portfolio.rows if portfolio.rows is not None else portfolio.ranking
    client = for_client()  # no rule ids or fact names
    columns = [c for c in portfolio.causes if c.cases or c.weak_cases]
    heads = [(str(n), portfolio.title(c.id), "" if client else c.id)
             for n, c in enumerate(columns, 1)]
    heat = [HeatRow(f"c{s.number}", "" if client else s.case_id, s.organisation,
                    date_text(s.date),
                    [_heat_cell(portfolio, s, c.id) for c in columns]) for s in rows]
    more_missing = len(portfolio.missing) - SHOWN_MISSING
    return PortfolioView(
        intro=ngettext("{count} case diagnosed, {diagnosed} with at least one diagnosis.",
                       "{count} cases diagnosed, {diagnosed} with at least one diagnosis.",
                       total).format(count=number(total),
                                     diagnosed=number(portfolio.with_diagnoses)),
        skipped=_skipped(portfolio) if portfolio.skipped else "",
        causes=[PortfolioRow([portfolio.title(c.id), _cases_of(c.cases, total),
                              _share(c.share), fixed(c.mean_certainty or 0.0),
                              severity_word(c.rule.severity)], "" if client else c.id)
                for c in causes],
        missing=[PortfolioRow([str(m.question), _cases_of(m.cases, total), _share(m.share)],
                              "" if client else m.fact)
                 for m in portfolio.missing[:SHOWN_MISSING]],
        more_missing=_more_missing(more_missing) if more_missing > 0 else "",
        ranking=[PortfolioRow([s.organisation, date_text(s.date), fixed(s.score),
                               _first(portfolio, s)], "" if client else s.case_id,
                              f"c{s.number}")
                 for s in portfolio.ranking],
        more_ranked=_more_ranked(portfolio) if portfolio.unranked else "",
        columns=heads,
        heat=[HeatTable(heads[start:start + HEAT_COLUMNS],
                        [HeatRow(r.anchor, r.case_id, r.organisation, r.date,
                                 r.cells[start:start + HEAT_COLUMNS]) for r in heat])
              for start in range(0, len(heads), HEAT_COLUMNS)],
        labels=_labels())


def _labels() -> dict[str, str]:
    return {
        "portfolio": gettext("Portfolio"),
        "causes": gettext("Causes diagnosed, most often first"),
        "no_causes": gettext("None: no cause was diagnosed in any case."),
        "cause": gettext("Cause"), "diagnosed_in": gettext("Diagnosed in"),
        "share": gettext("Share"), "mean_certainty": gettext("Mean certainty"),
        "severity": gettext("Severity"),
        "missing": gettext("Facts most often missing: the questions to ask in every case"),
        "question": gettext("Question"), "missing_in": gettext("Missing in"),
        "ranking": gettext("Cases by severity-weighted certainty, worst first"),
        "ranking_caption": _ranking_caption(),
        "case": gettext("Case"), "date": gettext("Date"), "score": gettext("Score"),
        "first_diagnosis": gettext("First diagnosis"),
        "heat_map": gettext("Cases × causes"),
        "heat_caption": gettext(
            "One row per case, worst first; one column per cause diagnosed or a weak signal "
            "in some case, most often diagnosed first. Each cell holds the cause's "
            "certainty in the case, shaded darker the more certain: in bold when "
            "diagnosed, in brackets when only a weak signal; empty when neither."),
        "key": gettext("Causes, by column"),
    }
