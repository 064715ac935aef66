"""The report for a person at a terminal."""

from __future__ import annotations

import re
import textwrap

from csdiag.reason.diagnosis import CaseResult, Conclusion, Evidence, source_label

WIDTH = 88
SHOWN_QUESTIONS = 5


def wrap(text: str, indent: str, hang: int | None = None) -> list[str]:
    """Wrap to the terminal width; a list item ('- ', '12. ') hangs under its first word.
    Hyphens do not break lines, so rule ids stay whole and can be copied."""
    text = " ".join(text.split())
    if hang is None:
        bullet = re.match(r"- |\d+\. ", text)
        hang = bullet.end() if bullet else 0
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + " " * hang,
                         break_on_hyphens=False, break_long_words=False) or [indent]


def value_text(item: Evidence) -> str:
    if item.finding is not None:
        return f"certainty {item.certainty:.2f}" if item.certainty is not None else "ruled out"
    if item.value is None:
        return "unknown"
    shown = str(item.value).lower() if isinstance(item.value, bool) else str(item.value)
    # Typographic quotes: notes often quote someone with straight ones.
    origin = ", ".join(x for x in (item.source, f"“{item.note}”" if item.note else None) if x)
    return f"{shown} ({origin})" if origin else shown


def ruled_out_reason(conclusion: Conclusion) -> str:
    """The deciding evidence of a ruled-out diagnosis, in one phrase ('' if none)."""
    if not conclusion.evidence:
        return ""
    first = conclusion.evidence[0]
    return f"{first.condition}, case: {value_text(first)}"


def _evidence_lines(evidence: list[Evidence], indent: str) -> list[str]:
    lines = []
    for item in evidence:
        lines.append(f"{indent}- {item.condition}")
        lines += wrap(f"case: {value_text(item)}", f"{indent}    ", hang=6)
    return lines


def contribution_lines(conclusion: Conclusion, indent: str) -> list[str]:
    """How the certainty was reached, when more than one rule or weight entered it."""
    parts = conclusion.contributions
    if len(parts) == 1 and not parts[0].weights and parts[0].rule is conclusion.rule:
        return []
    lines = [f"{indent}Certainty from:"]
    for part in parts:
        sign = "for" if part.certainty > 0 else "against"
        weights = "; ".join(f"{name} {value:.2f}" for name, value in part.weights.items())
        scaled = (f" (rule {part.rule.certainty:+.2f} times the weakest of: {weights})"
                  if weights else "")
        lines += wrap(f"{part.certainty:+.2f} {sign}: {part.rule.title} [{part.rule.id}]"
                       f"{scaled}", indent + "  ")
    if len(parts) > 1:
        lines.append(f"{indent}  combined: {conclusion.certainty:.2f}")
    return lines


def summary_line(result: CaseResult) -> str:
    weak = f", {len(result.weak_signals)} weak signals" if result.weak_signals else ""
    return (f"{len(result.diagnoses)} diagnosed{weak}, {len(result.undetermined)} not "
            f"assessable, {len(result.ruled_out)} ruled out "
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
            out += wrap(rule.description, "   ")
            out += contribution_lines(c, "   ")
            out.append("   Evidence:")
            out += _evidence_lines(c.evidence, "     ")
            out.append("   Remedies:")
            for remedy in rule.remedies:
                out += wrap(f"- {remedy.action} Why: {remedy.why}", "     ")
            out += wrap("Sources: " + "; ".join(source_label(s) for s in rule.sources), "   ")
    else:
        out.append("DIAGNOSES: none. csdiag found no known cause of poor service in the facts "
                   "given.")
    if result.weak_signals:
        out += ["", f"WEAK SIGNALS ({len(result.weak_signals)}): some evidence, below the "
                    "reporting threshold"]
        for c in result.weak_signals:
            out.append(f"  - {c.rule.title} [{c.rule.id}], certainty {c.certainty:.2f}")
            out += contribution_lines(c, "    ")
    if result.findings:
        out += ["", "FINDINGS (intermediate conclusions used by the rules)"]
        for c in result.findings:
            out.append(f"  - {c.rule.title} [{c.rule.id}], certainty {c.certainty:.2f}")
    if result.undetermined:
        out += ["", f"NOT ASSESSABLE ({len(result.undetermined)}): the case does not say enough"]
        for u in result.undetermined:
            out += wrap(f"- {u.rule.title} [{u.rule.id}], severity {u.rule.severity}", "  ")
            out.append("    would be settled by:")
            for m in u.missing_facts:
                out += wrap(f"{m.fact}: {m.question}", "      ", hang=2)
    if result.questions:
        shown = result.questions[:SHOWN_QUESTIONS]
        out += ["", f"ASK FIRST: {len(shown)} of the {len(result.questions)} unknown facts "
                    "above, those that could settle the most"]
        for n, q in enumerate(shown, 1):
            settles = f"{len(q.decides)} diagnos{'is' if len(q.decides) == 1 else 'es'}"
            out += wrap(f"{n}. {q.fact} — could settle {settles}: {', '.join(q.decides)}", "  ")
            out += wrap(q.question, "     ")
        out += wrap(f"'csdiag interview {result.case.file} -o NEW.yaml' asks them, most "
                    "useful first, and saves the answers.", "  ")
    if result.ruled_out:
        out += ["", f"RULED OUT ({len(result.ruled_out)}): checked and not present"]
        for c in result.ruled_out:
            why = ruled_out_reason(c)
            out += wrap(f"- {c.rule.title} [{c.rule.id}]{' — ' + why if why else ''}", "  ")
    if result.remedies:
        out += ["", "REMEDIES IN PRIORITY ORDER"]
        for n, planned in enumerate(result.remedies, 1):
            out += wrap(f"{n}. {planned.action} (addresses: {', '.join(planned.addresses)})",
                        "  ")
    out += ["", f"Summary: {summary_line(result)}."]
    return "\n".join(out)


def render_text(results: list[CaseResult]) -> str:
    """A section per case, then, for several, an overall summary."""
    from csdiag.render.stream import TextStream  # the one implementation, streamed or not

    stream = TextStream()
    return stream.start() + "".join(stream.case(r) for r in results) + stream.end()
