"""Renderers: each turns a result of the library into text, Markdown, JSON or HTML, and
returns it as a string (a PDF as bytes); nothing here prints or reads a file."""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from csdiag.render.checks import (
        render_lint_text,
        render_new_rule_text,
        render_test_text,
        render_validation_text,
    )
    from csdiag.render.compare import (
        render_compare_html,
        render_compare_json,
        render_compare_markdown,
        render_compare_text,
    )
    from csdiag.render.coverage import render_coverage
    from csdiag.render.explanation import (
        explanation_data,
        render_explanation_json,
        render_explanation_text,
    )
    from csdiag.render.html import render_html
    from csdiag.render.json_report import render_json
    from csdiag.render.layout import (
        WIDTH,
        display,
        printable_styled,
        terminal_columns,
        use_display,
        wrap,
    )
    from csdiag.render.listings import (
        render_facts_json,
        render_facts_text,
        render_rules_json,
        render_rules_text,
    )
    from csdiag.render.markdown import render_markdown
    from csdiag.render.pdf import check_pdf_support, html_to_pdf
    from csdiag.render.plan import render_plan_json, render_plan_text
    from csdiag.render.stream import BINARY_FORMATS, STREAMS, ReportStream
    from csdiag.render.text import render_text, summary_line

# Renderers are imported on first use: a command pays only for the ones it calls (the
# HTML report's, the charts', the PDF's are the costly ones), as csdiag's own names are.
_EXPORTS: dict[str, str] = {
    "render_lint_text": "csdiag.render.checks",
    "render_new_rule_text": "csdiag.render.checks",
    "render_test_text": "csdiag.render.checks",
    "render_validation_text": "csdiag.render.checks",
    "render_compare_html": "csdiag.render.compare",
    "render_compare_json": "csdiag.render.compare",
    "render_compare_markdown": "csdiag.render.compare",
    "render_compare_text": "csdiag.render.compare",
    "render_coverage": "csdiag.render.coverage",
    "explanation_data": "csdiag.render.explanation",
    "render_explanation_json": "csdiag.render.explanation",
    "render_explanation_text": "csdiag.render.explanation",
    "render_html": "csdiag.render.html",
    "render_json": "csdiag.render.json_report",
    "WIDTH": "csdiag.render.layout",
    "display": "csdiag.render.layout",
    "printable_styled": "csdiag.render.layout",
    "terminal_columns": "csdiag.render.layout",
    "use_display": "csdiag.render.layout",
    "wrap": "csdiag.render.layout",
    "render_facts_json": "csdiag.render.listings",
    "render_facts_text": "csdiag.render.listings",
    "render_rules_json": "csdiag.render.listings",
    "render_rules_text": "csdiag.render.listings",
    "render_markdown": "csdiag.render.markdown",
    "check_pdf_support": "csdiag.render.pdf",
    "html_to_pdf": "csdiag.render.pdf",
    "render_plan_json": "csdiag.render.plan",
    "render_plan_text": "csdiag.render.plan",
    "BINARY_FORMATS": "csdiag.render.stream",
    "ReportStream": "csdiag.render.stream",
    "STREAMS": "csdiag.render.stream",
    "render_text": "csdiag.render.text",
    "summary_line": "csdiag.render.text",
}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'csdiag.render' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "BINARY_FORMATS",
    "STREAMS",
    "WIDTH",
    "ReportStream",
    "check_pdf_support",
    "display",
    "explanation_data",
    "html_to_pdf",
    "printable_styled",
    "render_compare_html",
    "render_compare_json",
    "render_compare_markdown",
    "render_compare_text",
    "render_coverage",
    "render_explanation_json",
    "render_explanation_text",
    "render_facts_json",
    "render_facts_text",
    "render_html",
    "render_json",
    "render_lint_text",
    "render_markdown",
    "render_new_rule_text",
    "render_plan_json",
    "render_plan_text",
    "render_rules_json",
    "render_rules_text",
    "render_test_text",
    "render_text",
    "render_validation_text",
    "summary_line",
    "terminal_columns",
    "use_display",
    "wrap",
]
