"""What `csdiag rules lint`, `rules test` and `rules new` print."""

from __future__ import annotations

from csdiag.authoring.lint import LintReport
from csdiag.authoring.rule_tests import RuleTestReport
from csdiag.authoring.scaffold import NewRuleReport
from csdiag.render.coverage import render_coverage


def render_lint_text(report: LintReport) -> str:
    lines = [str(problem) for problem in report.problems]
    lines.append(f"{len(report.errors)} errors, {len(report.warnings)} warnings "
                 f"({report.silenced} silenced) in {report.rules} rules")
    return "\n".join(lines) + "\n"


def render_test_text(report: RuleTestReport, coverage: bool = False) -> str:
    lines = [f"FAIL {f.file}:{f.line} {f.rule} / {f.name}: {f.difference}"
             for f in report.failed]
    if coverage:
        lines.append(render_coverage(report))
    lines.append(f"{len(report.results) - len(report.failed)} passed, "
                 f"{len(report.failed)} failed")
    return "\n".join(lines) + "\n"


def render_new_rule_text(report: NewRuleReport) -> str:
    lines = [f"wrote {path}" for path in report.written]
    lines += [str(problem) for problem in report.problems]
    lines.append(f"lint: {sum(p.severity == 'error' for p in report.problems)} errors; "
                 f"tests: {report.passed} passed, {report.failed} failed")
    lines.append("next: fill in the TODOs (description, remedies, sources, fixture names), "
                 "add conditions, then run 'csdiag rules lint' and 'csdiag rules test' on "
                 "the folder.")
    return "\n".join(lines) + "\n"
