"""Renderers: each turns a result of the library into text, Markdown, JSON or HTML, and
returns it as a string (a PDF as bytes); nothing here prints or reads a file."""

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
from csdiag.render.layout import wrap
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

__all__ = [
    "BINARY_FORMATS",
    "STREAMS",
    "ReportStream",
    "check_pdf_support",
    "explanation_data",
    "html_to_pdf",
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
    "wrap",
]
