"""The coverage section of `csdiag rules test --coverage`."""

from __future__ import annotations

from csdiag.authoring.rule_tests import RuleTestReport


def render_coverage(report: RuleTestReport) -> str:
    by_rule: dict[str, list] = {}
    for entry in report.coverage.values():
        by_rule.setdefault(entry.rule.id, []).append(entry)
    lines = ["coverage (a condition is covered when fixtures made it both true and false):"]
    for rule_id in sorted(by_rule):
        entries = by_rule[rule_id]
        covered = sum(e.covered for e in entries)
        lines.append(f"  {rule_id:42} {covered}/{len(entries)} conditions "
                     f"({100 * covered / len(entries):.0f}%)")
        for e in entries:
            if not e.covered:
                line, column = e.rule.doc.position(e.atom.path)
                never = " and ".join(side for side, seen in (("true", e.seen_true),
                                                            ("false", e.seen_false)) if not seen)
                lines.append(f"    {e.rule.file}:{line}:{column} {e.atom.describe()}: "
                             f"never {never}")
    total = len(report.coverage)
    covered = sum(e.covered for e in report.coverage.values())
    if report.untested_rules:
        lines.append("  rules with no fixtures: "
                     + ", ".join(sorted(r.id for r in report.untested_rules)))
    lines.append(f"total condition coverage: {covered}/{total} "
                 f"({100 * report.coverage_share():.1f}%)")
    return "\n".join(lines)
