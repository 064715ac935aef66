"""The report for a person at a terminal."""

from __future__ import annotations

import textwrap

from csdiag.diagnosis import CaseResult, Evidence, source_label

WIDTH = 88


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), WIDTH, initial_indent=indent,
                         subsequent_indent=indent) or [indent]


def value_text(item: Evidence) -> str:
    if item.finding is not None:
        return f"certainty {item.certainty:.2f}" if item.certainty is not None else "ruled out"
    if item.value is None:
        return "unknown"
    shown = str(item.value).lower() if isinstance(item.value, bool) else str(item.value)
    origin = ", ".join(x for x in (item.source, f'"{item.note}"' if item.note else None) if x)
    return f"{shown} ({origin})" if origin else shown


def _evidence_lines(evidence: list[Evidence], indent: str) -> list[str]:
    lines = []
    for item in evidence:
        lines.append(f"{indent}- {item.condition}")
        lines.append(f"{indent}    case: {value_text(item)}")
    return lines


def summary_line(result: CaseResult) -> str:
    return (f"{len(result.diagnoses)} diagnosed, {len(result.undetermined)} not assessable, "
            f"{len(result.ruled_out)} ruled out "
            f"({len(result.case.facts)} facts known)")


def render_case(result: CaseResult) -> str:
    case = result.case
    out = [f"{case.organisation} — case {case.id}",
           f"{case.file} · assessed {case.date} by {case.assessor}", ""]
    if result.diagnoses:
        out.append(f"DIAGNOSES ({len(result.diagnoses)}), most severe and certain first")
        for n, c in enumerate(result.diagnoses, 1):
            rule = c.rule
            out += ["", f"{n}. {rule.title}  [{rule.id}]",
                    f"   certainty {c.certainty:.2f} · severity {rule.severity} · "
                    f"category {rule.category}"]
            out += _wrap(rule.description, "   ")
            out.append("   Evidence:")
            out += _evidence_lines(c.evidence, "     ")
            out.append("   Remedies:")
            for remedy in rule.remedies:
                out += _wrap(f"- {remedy.action} Why: {remedy.why}", "     ")
            out += _wrap("Sources: " + "; ".join(source_label(s) for s in rule.sources), "   ")
    else:
        out.append("DIAGNOSES: none. csdiag found no known cause of poor service in the facts "
                   "given.")
    if result.findings:
        out += ["", "FINDINGS (intermediate conclusions used by the rules)"]
        for c in result.findings:
            out.append(f"  - {c.rule.title} [{c.rule.id}], certainty {c.certainty:.2f}")
    if result.undetermined:
        out += ["", f"NOT ASSESSABLE ({len(result.undetermined)}): the case does not say enough"]
        for u in result.undetermined:
            out.append(f"  - {u.rule.title} [{u.rule.id}], severity {u.rule.severity}")
            out.append("    would be settled by:")
            for m in u.missing_facts:
                out += _wrap(f"{m.fact}: {m.question}", "      ")
    if result.ruled_out:
        out += ["", f"RULED OUT ({len(result.ruled_out)}): checked and not present"]
        for c in result.ruled_out:
            first = c.evidence[0] if c.evidence else None
            why = f" — {first.condition}, case: {value_text(first)}" if first else ""
            out += _wrap(f"- {c.rule.title} [{c.rule.id}]{why}", "  ")
    if result.remedies:
        out += ["", "REMEDIES IN PRIORITY ORDER"]
        for n, remedy in enumerate(result.remedies, 1):
            out += _wrap(f"{n}. {remedy.action} (addresses: {', '.join(remedy.addresses)})",
                         "  ")
    out += ["", f"Summary: {summary_line(result)}."]
    return "\n".join(out)


def render_text(results: list[CaseResult]) -> str:
    sections = [render_case(r) for r in results]
    if len(results) > 1:
        lines = [f"OVERALL: {len(results)} cases, "
                 f"{sum(1 for r in results if r.diagnoses)} with at least one diagnosis"]
        lines += [f"  {r.case.id}: {summary_line(r)}" for r in results]
        sections.append("\n".join(lines))
    return ("\n\n" + "=" * WIDTH + "\n\n").join(sections) + "\n"
