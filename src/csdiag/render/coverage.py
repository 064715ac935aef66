"""The coverage section of `csdiag rules test --coverage`."""

from __future__ import annotations

from csdiag.authoring.rule_tests import RuleTestReport
from csdiag.i18n import N_, fixed, gettext, number


def render_coverage(report: RuleTestReport) -> str:
    by_rule: dict[str, list] = {}
    for entry in report.coverage.values():
        by_rule.setdefault(entry.rule.id, []).append(entry)
    lines = [gettext("coverage (a condition is covered when fixtures made it both true and "
                     "false):")]
    for rule_id in sorted(by_rule):
        entries = by_rule[rule_id]
        covered = sum(e.covered for e in entries)
        lines.append(f"  {rule_id:42} " + gettext("{covered}/{count} conditions ({share}%)"
                                                  ).format(covered=covered, count=len(entries),
                                                           share=number(100 * covered
                                                                        / len(entries), 0)))
        for e in entries:
            if not e.covered:
                line, column = e.rule.doc.position(e.atom.path)
                never = (N_("never true and false") if not (e.seen_true or e.seen_false)
                         else N_("never true") if not e.seen_true else N_("never false"))
                lines.append(f"    {e.rule.file}:{line}:{column} {e.atom.describe()}: "
                             + gettext(never))
    total = len(report.coverage)
    covered = sum(e.covered for e in report.coverage.values())
    if report.untested_rules:
        lines.append("  " + gettext("rules with no fixtures: {ids}").format(
            ids=", ".join(sorted(r.id for r in report.untested_rules))))
    lines.append(gettext("total condition coverage: {covered}/{total} ({share}%)").format(
        covered=covered, total=total, share=fixed(100 * report.coverage_share(), 1)))
    return "\n".join(lines)
