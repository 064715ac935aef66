"""Markdown is read in viewers that render HTML: whatever the user wrote (a case's notes
and names, the words of their own rules) shows there as written, never as markup that
runs; csdiag's own Markdown (headings, tables, emphasis, code) is left as it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MINI, run_cli

NOTE = '<script>alert("note")</script> &amp; so on'
ORGANISATION = "Mini <b>One</b> & Co"
TITLE = "New hires are <img src=x onerror=alert(1)> not trained"


@pytest.fixture
def hostile(tmp_path: Path, mini_rules: Path) -> tuple[Path, tuple[str, ...]]:
    """A case whose organisation and note hold HTML, and a rule whose title does."""
    text = (MINI / "cases" / "all-known.yaml").read_text(encoding="utf-8")
    text = text.replace("organisation: Mini One", f'organisation: "{ORGANISATION}"')
    assert "  training.new_hire_days: 2\n" in text
    text = text.replace("  training.new_hire_days: 2\n", "  training.new_hire_days:\n"
                        f"    value: 3\n    note: '{NOTE}'\n")
    case = tmp_path / "hostile.yaml"
    case.write_text(text, encoding="utf-8")
    rule = mini_rules / "untrained.yaml"
    rule.write_text(rule.read_text(encoding="utf-8").replace(
        "title: New hires are not trained", f"title: '{TITLE}'"), encoding="utf-8")
    return case, ("--rules", str(mini_rules), "--no-builtin-rules")


def _no_html_from_the_user(report: str) -> None:
    for tag in ("<script", "</script", "<b>", "</b>", "<img"):
        assert tag not in report, tag


def test_what_the_user_wrote_shows_as_text_in_a_markdown_report(hostile) -> None:
    case, pack = hostile
    result = run_cli("diagnose", case, *pack, "--format", "markdown")
    assert result.exit_code == 0, result.output
    report = result.stdout
    _no_html_from_the_user(report)
    # Escaped, so that a viewer shows exactly what was written, '&amp;' included.
    assert report.startswith("# Mini &lt;b>One&lt;/b> & Co (`all-known`)\n")
    assert '&lt;script>alert("note")&lt;/script> &amp;amp; so on' in report
    assert "### New hires are &lt;img src=x onerror=alert(1)> not trained (`untrained`)" \
        in report
    # csdiag's own Markdown is untouched.
    assert "\n## Diagnoses\n" in report and "| evidence | source |" in report
    assert f"Source: `{case}`." in report


def test_the_portfolio_and_a_comparison_in_markdown_escape_it_too(hostile) -> None:
    case, pack = hostile
    plain = MINI / "cases" / "all-known.yaml"
    portfolio = run_cli("diagnose", plain, case, *pack, "--format", "markdown").stdout
    section = portfolio[portfolio.index("## Portfolio"):]
    _no_html_from_the_user(section)
    assert "Mini &lt;b>One&lt;/b> & Co" in section
    assert "New hires are &lt;img src=x onerror=alert(1)> not trained" in section
    compared = run_cli("compare", plain, case, *pack, "--format", "markdown").stdout
    _no_html_from_the_user(compared)
    assert compared.startswith("# Mini &lt;b>One&lt;/b> & Co — two assessments compared")
    assert '&lt;script>alert("note")&lt;/script> &amp;amp; so on' in compared


def test_a_file_name_with_backticks_stays_inside_its_code(tmp_path: Path) -> None:
    case = tmp_path / "a`<img src=x>`.yaml"
    case.write_text((MINI / "cases" / "all-known.yaml").read_text(encoding="utf-8"),
                    encoding="utf-8")
    report = run_cli("diagnose", case, "--rules", MINI / "rules", "--no-builtin-rules",
                     "--format", "markdown").stdout
    assert f"Source: ``{case}``." in report  # a longer fence: the name cannot close it


def test_a_line_break_in_a_name_does_not_start_a_heading(tmp_path: Path) -> None:
    text = (MINI / "cases" / "all-known.yaml").read_text(encoding="utf-8")
    text = text.replace("organisation: Mini One", 'organisation: "Acme\\n\\n# Injected"')
    case = tmp_path / "newline.yaml"
    case.write_text(text, encoding="utf-8")
    report = run_cli("diagnose", case, "--rules", MINI / "rules", "--no-builtin-rules",
                     "--format", "markdown").stdout
    assert report.startswith("# Acme # Injected") and "\n# Injected" not in report
