"""The HTML and PDF reports (`diagnose --format html|pdf`, `-o`): a self-contained
document that escapes every piece of user text, in the case's language, and a PDF
printed from it; and -o never loses a file the user wrote."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from markupsafe import escape

from csdiag import Workspace
from csdiag.i18n import gettext, use_language
from csdiag.render import render_html
from csdiag.render.chart import short_title

from conftest import REPO, assert_user_error, run_cli

CASES = REPO / "cases"
NORTHWIND = CASES / "northwind-telecom.yaml"
CHINESE = CASES / "hongyuan-logistics.yaml"  # language: zh


@pytest.fixture(scope="module")
def workspace() -> Workspace:
    return Workspace()


@pytest.fixture(scope="module")
def northwind_html() -> str:
    result = run_cli("diagnose", NORTHWIND, "--format", "html")
    assert result.exit_code == 0, result.output
    return result.stdout


def _part(html: str, css_class: str) -> str:
    """The element whose class attribute starts with `css_class`, up to its end tag."""
    start = html.index(f'class="{css_class}')
    return html[start:html.index("</section>", start)]


def _case_file(tmp_path: Path, name: str, **changes: object) -> Path:
    """A copy of the Northwind case with some top-level fields changed."""
    document = yaml.safe_load(NORTHWIND.read_text(encoding="utf-8"))
    document.update(changes)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_the_report_shows_each_diagnosis_the_summary_and_the_chart(workspace,
                                                                   northwind_html) -> None:
    html = northwind_html
    result = workspace.diagnose(workspace.load_case(NORTHWIND))
    assert result.diagnoses and result.remedies
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    for conclusion in result.diagnoses:
        assert f"{escape(conclusion.rule.title)} " in html, conclusion.rule.id
        assert f'<code class="rule-id">{conclusion.rule.id}</code>' in html
    summary = _part(html, "executive-summary")
    for conclusion in result.diagnoses[:3]:
        assert str(escape(conclusion.rule.title)) in summary
    first = result.remedies[0]
    assert str(escape(first.action)) in summary
    chart = html[html.index('<figure class="chart">'):html.index("</figure>")]
    assert "<svg" in chart and "</svg>" in chart
    # A label for every diagnosis and weak signal, and the threshold in the legend.
    dots = len(result.diagnoses) + len(result.weak_signals) + len(result.partial_signals())
    assert len(re.findall(r"<text [^>]*class=\"label\"", chart)) == dots
    assert str(escape(short_title(str(result.diagnoses[0].rule.title)))) in chart
    assert "threshold 0.60" in chart
    for heading in ("Weak signals", "What could not be assessed",
                    "Questions to settle it, most useful first",
                    "What was ruled out, and why", "Remedies in priority order",
                    "Appendix: sources"):
        assert f">{heading}</h" in html, heading
    assert 'lang="en"' in html[:200]


def test_the_report_fetches_nothing_and_runs_nothing(northwind_html) -> None:
    html = northwind_html
    assert "<script" not in html.lower()
    assert not re.search(r"<(link|img|iframe|object|embed|audio|video|source)\b", html, re.I)
    assert not re.search(r"<[^>]+\ssrc\s*=", html, re.I)
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", html, re.I)
    assert "@import" not in html and "googleapis" not in html
    assert not re.search(r"\son[a-z]+\s*=", html, re.I)  # no event handler attribute
    # The only addresses are links to cited sources, for a reader to follow.
    for match in re.finditer(r"(href|xlink:href)=\"([^\"]+)\"", html):
        assert match.group(2).startswith(("#", "https://", "http://")), match.group(0)
        if not match.group(2).startswith("#"):
            assert match.group(0) in html[html.index('class="citations"'):]


def test_user_text_is_shown_literally_never_as_markup(tmp_path) -> None:
    case = _case_file(tmp_path, "markup", organisation="<b>x</b>",
                      assessor='"A" & <i>B</i>')
    html = run_cli("diagnose", case, "--format", "html").stdout
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    assert "&#34;A&#34; &amp; &lt;i&gt;B&lt;/i&gt;" in html and "<i>B</i>" not in html
    assert "<title>&lt;b&gt;x&lt;/b&gt;" in html


def test_rule_text_is_escaped_in_cards_chart_and_citations(tmp_path, mini_rules) -> None:
    rule = mini_rules / "cost-staffing.yaml"
    text = rule.read_text(encoding="utf-8")
    text = text.replace("title: Staffing planned by cost",
                        "title: \"<img src=x onerror=alert(1)>\"")
    text = text.replace('  - citation: "Ton (2012)"',
                        '  - citation: "Ton (2012) </li><script>alert(2)</script>"\n'
                        '    url: "javascript:alert(3)"\n'
                        '  - citation: "A real source"\n'
                        '    url: "https://example.org/a?b=1&c=\\"2\\""')
    rule.write_text(text, encoding="utf-8")
    case = tmp_path / "case.yaml"
    case.write_text("case: mini\norganisation: Mini\ndate: 2026-11-01\nassessor: T\n"
                    "facts: {ops.staffing_basis: budget_cap, staff.attrition_pct: 20}\n",
                    encoding="utf-8")
    result = run_cli("diagnose", case, "--rules", mini_rules, "--no-builtin-rules",
                     "--format", "html")
    assert result.exit_code == 0, result.output
    html = result.stdout
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the card's title, and the chart's
    assert html.count("&lt;img src=x") >= 3  # summary, card, chart label
    assert "<img" not in html and "<script" not in html
    assert "javascript:" not in html.replace("&lt;script&gt;", "")  # shown, not linked
    assert 'href="https://example.org/a?b=1&amp;c=&#34;2&#34;"' in html


def test_a_chinese_case_is_reported_in_chinese(workspace) -> None:
    result = run_cli("diagnose", CHINESE, "--format", "html")
    assert result.exit_code == 0, result.output
    html = result.stdout
    assert '<html lang="zh">' in html and '<section class="case" id="c1" lang="zh">' in html
    with use_language("zh"):
        headings = [gettext("Executive summary"), gettext("Severity and certainty"),
                    gettext("Diagnoses, most severe and certain first")]
    for heading in headings:
        assert heading.isascii() is False and f">{heading}</h" in html, heading
    case = workspace.load_case(CHINESE)
    with use_language("zh"):
        title = str(workspace.diagnose(case).diagnoses[0].rule.title)
    assert not title.isascii() and title in html
    assert "Executive summary" not in html[html.index("<body>"):]


def test_a_case_with_no_diagnosis_is_reported(tmp_path) -> None:
    case = tmp_path / "empty.yaml"
    case.write_text("case: empty\norganisation: Empty Ltd\ndate: 2026-11-01\n"
                    "assessor: T\nfacts: {}\n", encoding="utf-8")
    result = run_cli("diagnose", case, "--format", "html")
    assert result.exit_code == 0, result.output
    html = result.stdout
    assert html.rstrip().endswith("</html>") and "Empty Ltd" in html
    assert html.count("None: no known cause of poor service was found") == 2
    assert "Questions to settle it" in html  # what to ask to assess anything at all
    assert 'class="card severity-' not in html and "First actions" not in html


def test_several_cases_make_one_document_with_a_section_each(workspace) -> None:
    files = [NORTHWIND, CHINESE, CASES / "volga-bank.yaml"]
    result = run_cli("diagnose", *files, "--format", "html")
    assert result.exit_code == 0, result.output
    html = result.stdout
    assert html.count("<html") == 1 and html.count("</html>") == 1
    toc = html[html.index('<nav class="toc">'):html.index("</nav>")]
    for number, path in enumerate(files, 1):
        case = workspace.load_case(path)
        assert f'href="#c{number}"' in toc and str(escape(case.organisation)) in toc
        assert f'<section class="case" id="c{number}" lang="{case.language or "en"}">' in html
    assert html.count('<figure class="chart">') == 3
    # Ids are unique across the sections (pygal's own ids are stripped).
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    # The cases' languages differ: the document's is the one in use.
    assert '<html lang="en">' in html
    assert render_html([]).count("No case was diagnosed.") == 1


pdf_support = pytest.mark.skipif(
    not __import__("importlib").util.find_spec("weasyprint"),
    reason="weasyprint is not installed (pip install 'csdiag[pdf]')")


@pdf_support
def test_the_pdf_is_printed_from_the_html(tmp_path) -> None:
    out = tmp_path / "northwind.pdf"
    result = run_cli("diagnose", NORTHWIND, "-o", out)  # the suffix picks the format
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    assert len(data) > 20_000
    piped = run_cli("diagnose", CHINESE, "--format", "pdf")  # stdout is not a terminal
    assert piped.exit_code == 0 and piped.stdout_bytes.startswith(b"%PDF")


def test_pdf_without_the_extra_names_the_extra(monkeypatch, tmp_path) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint fails
    out = tmp_path / "report.pdf"
    result = run_cli("diagnose", NORTHWIND, "--format", "pdf", "-o", out)
    assert_user_error(result, "--format pdf", "error: PDF output needs the 'pdf' extra",
                      "fix: pip install 'csdiag[pdf]'")
    assert result.stderr.count("\n") == 2 and result.stdout == ""
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_pdf_is_not_written_to_a_terminal(monkeypatch) -> None:
    monkeypatch.setattr("csdiag.cli.output.stdout_is_terminal", lambda: True)
    result = run_cli("diagnose", NORTHWIND, "--format", "pdf")
    assert_user_error(result, "--format pdf", "not written to a terminal",
                      "add -o report.pdf")
    assert result.stdout == ""


def test_output_never_replaces_a_file_without_force(tmp_path) -> None:
    mine = tmp_path / "report.html"
    mine.write_text("my own notes", encoding="utf-8")
    result = run_cli("diagnose", NORTHWIND, "-o", mine)
    assert_user_error(result, f"{mine}: error: the file exists; nothing was written",
                      "--force")
    assert mine.read_text(encoding="utf-8") == "my own notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]  # no leftovers
    forced = run_cli("diagnose", NORTHWIND, "-o", mine, "--force")
    assert forced.exit_code == 0 and forced.stdout == ""
    assert mine.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    # Not even --force writes a report over a case being diagnosed.
    case = _case_file(tmp_path, "precious")
    before = case.read_bytes()
    refused = run_cli("diagnose", case, "-o", case, "--force", "--format", "html")
    assert_user_error(refused, str(case), "one of the case files being diagnosed")
    assert case.read_bytes() == before
    missing = run_cli("diagnose", NORTHWIND, "-o", tmp_path / "no-such-folder" / "r.html")
    assert_user_error(missing, "no-such-folder", "its folder does not exist")


def test_the_output_file_holds_what_stdout_would(tmp_path) -> None:
    for suffix, expected in ((".html", "<!DOCTYPE html>"), (".md", "# Northwind Telecom"),
                             (".json", "{\n  \"csdiag_version\""), (".txt", "Northwind")):
        out = tmp_path / f"report{suffix}"
        assert run_cli("diagnose", NORTHWIND, "-o", out).exit_code == 0
        assert out.read_text(encoding="utf-8").startswith(expected), suffix
    markdown = run_cli("diagnose", NORTHWIND, "--format", "markdown").stdout
    assert (tmp_path / "report.md").read_text(encoding="utf-8") == markdown
    # --format, when given, wins over the suffix.
    chosen = tmp_path / "chosen.html"
    assert run_cli("diagnose", NORTHWIND, "--format", "json", "-o", chosen).exit_code == 0
    assert chosen.read_text(encoding="utf-8").startswith("{")


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI"):  # .ci/run installs it: missing there is a failure
        pytest.fail("chromium is not installed (apt-get install chromium)")
    pytest.skip("chromium is not installed (apt-get install chromium)")


def test_a_browser_prints_the_report(tmp_path) -> None:
    browser = _chromium()
    report = tmp_path / "report.html"
    assert run_cli("diagnose", NORTHWIND, CHINESE, "-o", report).exit_code == 0
    pdf = tmp_path / "x.pdf"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--no-first-run",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}",
                    report.as_uri()], capture_output=True, timeout=120, check=False)
    assert pdf.exists(), "chromium printed no PDF"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
