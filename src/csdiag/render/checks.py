"""What `csdiag rules lint`, `rules test` and `rules new` print."""

from __future__ import annotations

from csdiag.authoring.lint import LintReport
from csdiag.authoring.rule_tests import RuleTestReport
from csdiag.authoring.scaffold import NewRuleReport
from csdiag.authoring.validate import ValidationReport
from csdiag.i18n import gettext, ngettext
from csdiag.render.coverage import render_coverage
from csdiag.render.layout import wrap


def render_lint_text(report: LintReport) -> str:
    lines = [str(problem) for problem in report.problems]
    errors, warnings = len(report.errors), len(report.warnings)
    lines.append(gettext("{errors}, {warnings} ({silenced} silenced) {in_rules}").format(
        errors=ngettext("{count} error", "{count} errors", errors).format(count=errors),
        warnings=ngettext("{count} warning", "{count} warnings", warnings).format(
            count=warnings),
        silenced=report.silenced,
        in_rules=ngettext("in {count} rule", "in {count} rules", report.rules).format(
            count=report.rules)))
    return "\n".join(lines) + "\n"


def render_test_text(report: RuleTestReport, coverage: bool = False) -> str:
    lines = [f"FAIL {f.file}:{f.line} {f.rule} / {f.name}: {f.difference}"
             for f in report.failed]
    if coverage:
        lines.append(render_coverage(report))
    lines.append(gettext("{passed} passed, {failed} failed").format(
        passed=len(report.results) - len(report.failed), failed=len(report.failed)))
    return "\n".join(lines) + "\n"


def render_new_rule_text(report: NewRuleReport) -> str:
    lines = [gettext("wrote {file}").format(file=path) for path in report.written]
    lines += [str(problem) for problem in report.problems]
    errors = sum(p.severity == "error" for p in report.problems)
    lines.append(gettext("lint: {errors}; tests: {passed} passed, {failed} failed").format(
        errors=ngettext("{count} error", "{count} errors", errors).format(count=errors),
        passed=report.passed, failed=report.failed))
    lines += wrap(gettext("next: fill in the TODOs (description, remedies, sources, fixture "
                          "names), add conditions, then run 'csdiag rules lint' and 'csdiag "
                          "rules test' on the folder."))
    return "\n".join(lines) + "\n"


def render_validation_text(report: ValidationReport) -> str:
    """Every problem, then what was checked: '3 case files, 1 rule file: 2 problems'."""
    lines = [str(problem) for problem in report.problems]
    counted = {
        "case": lambda n: ngettext("{count} case file", "{count} case files", n),
        "rule": lambda n: ngettext("{count} rule file", "{count} rule files", n),
        "fixture": lambda n: ngettext("{count} fixture file", "{count} fixture files", n),
        "vocabulary": lambda n: ngettext("{count} vocabulary file", "{count} vocabulary files",
                                         n)}
    checked = gettext(", ").join(
        counted[kind](len(files)).format(count=len(files))
        for kind, files in report.files.items() if files) or gettext("no file")
    problems = len(report.problems)
    lines.append(gettext("checked {files}: {problems}").format(
        files=checked, problems=ngettext("{count} problem", "{count} problems", problems).format(
            count=problems) if problems else gettext("no problems")))
    return "\n".join(lines) + "\n"
