"""Reports written one case at a time, so a folder of any size is diagnosed in memory
that does not grow with the number of cases. Each writer returns text for the start,
for each case as it is diagnosed, and for the end; the whole-report renderers
(render_text, render_markdown, render_json, render_html) are these writers run over a
list. The HTML and PDF documents are the exception: one document with a table of
contents, written at the end (each case's section is rendered as it is diagnosed, and
only the rendered sections are kept); the PDF writer returns bytes.

Every format but JSON Lines ends a report of several cases with their portfolio
(csdiag.reason.portfolio), gathered from a small summary of each case as it goes by."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Protocol

from csdiag import __version__
from csdiag.collector import collector_paused
from csdiag.features.explain import Explanation
from csdiag.i18n import current_language, ngettext, use_language
from csdiag.reason.diagnosis import CaseResult
from csdiag.reason.portfolio import Portfolio, PortfolioBuilder
from csdiag.render import layout, markdown, text
from csdiag.render.audience import for_client
from csdiag.render.json_report import FORMAT_VERSION, case_data
from csdiag.render.json_text import indented_at
from csdiag.render.portfolio import portfolio_data, portfolio_lines, portfolio_markdown

if TYPE_CHECKING:
    from csdiag.render import html

LISTED_CASES = 1_000  # cases named one by one in the text summary; past it, only counts


class ReportStream(Protocol):
    def start(self) -> str: ...

    def case(self, result: CaseResult,
             explanations: dict[str, Explanation] | None = None) -> str: ...

    def end(self) -> str: ...


class _Counted:
    def __init__(self) -> None:
        self.cases = 0
        self.with_diagnoses = 0
        self.skipped = 0  # files with problems, not diagnosed: set before end() (--keep-going)
        self.gathered = self.portfolio_builder()

    def portfolio_builder(self) -> PortfolioBuilder | None:
        """What gathers the portfolio as the cases go by (None: the format has none)."""
        return PortfolioBuilder()

    def count(self, result: CaseResult) -> None:
        self.cases += 1
        self.with_diagnoses += bool(result.diagnoses)
        if self.gathered is not None:
            self.gathered.add(result)

    def portfolio(self) -> Portfolio | None:
        """The portfolio across the cases, when more than one was diagnosed."""
        if self.gathered is None or self.cases < 2:
            return None
        return self.gathered.portfolio(self.skipped)


class TextStream(_Counted):
    """The text report: a section per case, then, for several, an overall summary."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    @property
    def separator(self) -> str:
        """The rule between cases, as wide as the report's lines."""
        return "\n\n" + "=" * layout.display().columns + "\n\n"

    def start(self) -> str:
        return ""

    def case(self, result: CaseResult,
             explanations: dict[str, Explanation] | None = None) -> str:
        self.count(result)
        if self.cases <= LISTED_CASES:
            # A client knows the case by its organisation; the id is the consultant's label.
            name = result.case.organisation if for_client() else result.case.id
            self.lines += layout.wrap(f"{name}: {text.summary_line(result)}", "  ",
                                      hang=layout.width(name) + 2)
        with collector_paused(), use_language(result.language):
            return (self.separator if self.cases > 1 else "") + text.render_case(result)

    def end(self) -> str:
        if self.cases <= 1:
            return "\n"
        lines = [*(layout.styled(line, "heading") for line in layout.wrap(ngettext(
            "OVERALL: {count} case, {diagnosed} with at least one diagnosis",
            "OVERALL: {count} cases, {diagnosed} with at least one diagnosis",
            self.cases).format(count=self.cases, diagnosed=self.with_diagnoses))),
            *self.lines]
        if self.cases > LISTED_CASES:
            more = self.cases - LISTED_CASES
            lines.append(ngettext("  … {count} more case: each section above ends with its "
                                  "summary", "  … {count} more cases: each section above "
                                  "ends with its summary", more).format(count=f"{more:,}"))
        portfolio = self.portfolio()
        if portfolio is not None:
            lines += ["", *portfolio_lines(portfolio)]
        return self.separator + "\n".join(lines) + "\n"


class MarkdownStream(_Counted):
    def start(self) -> str:
        return ""

    def case(self, result: CaseResult,
             explanations: dict[str, Explanation] | None = None) -> str:
        self.count(result)
        with collector_paused(), use_language(result.language):
            return ("\n\n---\n\n" if self.cases > 1 else "") + markdown.render_case(result)

    def end(self) -> str:
        portfolio = self.portfolio()
        return "\n" if portfolio is None else "\n\n" + portfolio_markdown(portfolio) + "\n"


class JsonStream(_Counted):
    """The JSON report (docs/json-output.md), written as its cases are diagnosed."""

    def start(self) -> str:
        return (f'{{\n  "csdiag_version": {json.dumps(__version__)},\n'
                f'  "format_version": {FORMAT_VERSION},\n  "cases": [')

    def case(self, result: CaseResult,
             explanations: dict[str, Explanation] | None = None) -> str:
        self.count(result)
        with collector_paused():
            data = case_data(result, explanations)
            return (",\n    " if self.cases > 1 else "\n    ") + indented_at(data, 2)

    def end(self) -> str:
        summary = {"cases": self.cases, "cases_with_diagnoses": self.with_diagnoses}
        portfolio = self.portfolio()
        return (("\n  ]" if self.cases else "]") + ',\n  "summary": '
                + indented_at(summary, 1)
                + ("" if portfolio is None else ',\n  "portfolio": '
                   + indented_at(portfolio_data(portfolio, current_language()), 1))
                + "\n}")


class JsonLinesStream(_Counted):
    """One JSON object per line, one line per case (the 'cases' entries of the JSON
    report), each written as soon as its case is diagnosed. No portfolio: a line is a
    case."""

    def portfolio_builder(self) -> PortfolioBuilder | None:
        return None

    def start(self) -> str:
        return ""

    def case(self, result: CaseResult,
             explanations: dict[str, Explanation] | None = None) -> str:
        self.count(result)
        with collector_paused():
            return json.dumps(case_data(result, explanations), ensure_ascii=False) + "\n"

    def end(self) -> str:
        return ""


class HtmlStream(_Counted):
    """The HTML report: each case's section rendered as it is diagnosed, the document
    (with a table of contents for several cases) written at the end."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[html.Section] = []

    def portfolio_builder(self) -> PortfolioBuilder | None:
        # Every case's row, for the heat map (the sections are all kept anyway).
        return PortfolioBuilder(None, rows=True)

    def start(self) -> str:
        return ""

    def case(self, result: CaseResult,
             explanations: dict[str, Explanation] | None = None) -> str:
        self.count(result)
        from csdiag.render import html  # Jinja2 and the templates, for this format only

        with collector_paused():
            self.sections.append(html.render_section(result, self.cases))
        return ""

    def end(self) -> str:
        from csdiag.render import html

        return html.render_document(self.sections, self.portfolio())


class PdfStream:
    """The HTML report printed to PDF (bytes, written at the end)."""

    def __init__(self) -> None:
        self.html = HtmlStream()

    @property
    def skipped(self) -> int:
        return self.html.skipped

    @skipped.setter
    def skipped(self, count: int) -> None:
        self.html.skipped = count

    def start(self) -> bytes:
        return b""

    def case(self, result: CaseResult,
             explanations: dict[str, Explanation] | None = None) -> bytes:
        self.html.case(result, explanations)
        return b""

    def end(self) -> bytes:
        from csdiag.render import pdf

        return pdf.html_to_pdf(self.html.end())


STREAMS: dict[str, type[TextStream | MarkdownStream | JsonStream | JsonLinesStream
                        | HtmlStream | PdfStream]] = {
    "text": TextStream, "markdown": MarkdownStream, "json": JsonStream,
    "jsonl": JsonLinesStream, "html": HtmlStream, "pdf": PdfStream,
}
BINARY_FORMATS = frozenset({"pdf"})  # never written to a terminal
