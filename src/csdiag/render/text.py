"""The report for a person at a terminal."""

from __future__ import annotations

import re
import textwrap

from csdiag.reason.diagnosis import (
    CaseResult,
    Conclusion,
    Evidence,
    Undetermined,
    source_label,
)
from csdiag.reason.settle import RULE_OUT_ABOVE

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


def origin_text(item: Evidence) -> str:
    """Where a value came from: its source, the note beside it, how sure it is."""
    # Typographic quotes: notes often quote someone with straight ones.
    parts = [item.source, f"“{item.note}”" if item.note else None,
             f"an estimate, confidence {item.confidence:g}" if item.confidence else None]
    return ", ".join(x for x in parts if x)


def evidence_text(item: Evidence) -> str:
    """The evidence in plain language, with where its value came from."""
    origin = origin_text(item)
    return f"{item.text} ({origin})" if origin else item.text


def ruled_out_reason(conclusion: Conclusion) -> str:
    """The deciding evidence of a ruled-out diagnosis, in one phrase ('' if none)."""
    return evidence_text(conclusion.evidence[0]) if conclusion.evidence else ""


def _evidence_lines(evidence: list[Evidence], indent: str) -> list[str]:
    lines = []
    for item in evidence:
        lines += wrap(f"- {item.text}", indent)
        origin = origin_text(item)
        if origin:
            lines += wrap(origin, f"{indent}    ")
    return lines


def remedy_text(action: str, only_if: str) -> str:
    """A remedy's action; 'If ...:' first when it presupposes what the case leaves unknown."""
    return f"If {only_if} (not known yet): {action}" if only_if else action


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
    partial = result.partial_signals()
    weak = len(result.weak_signals) + len(partial)
    weak_text = f", {weak} weak signal{'s' if weak != 1 else ''}" if weak else ""
    return (f"{len(result.diagnoses)} diagnosed{weak_text}, "
            f"{len(result.undetermined) - len(partial)} not assessable, "
            f"{len(result.ruled_out)} ruled out ({len(result.case.facts)} facts known)")


def _symptom_lines(symptoms: list[str], indent: str) -> list[str]:
    if not symptoms:
        return []
    lines = [f"{indent}What the case shows:"]
    for sentence in symptoms:
        lines += wrap(f"- {sentence}", indent + "  ")
    return lines


def _settled_by(item: Undetermined, indent: str) -> list[str]:
    if not item.missing_facts:
        return []
    lines = [f"{indent}would be settled by:"]
    for m in item.missing_facts:
        lines += wrap(f"{m.fact}: {m.question}", indent + "  ", hang=2)
    return lines


def _against_lines(item: Undetermined, indent: str) -> list[str]:
    """Why weak counter-evidence did not rule the cause out."""
    if not item.against:
        return []
    lines = wrap(f"Evidence against it has strength {item.against:.2f}, not above the "
                 f"{RULE_OUT_ABOVE:g} needed to rule it out (it rests on estimates):", indent)
    return lines + _evidence_lines(item.counter_evidence, indent + "  ")


def _weak_signal_lines(result: CaseResult) -> list[str]:
    partial = result.partial_signals()
    if not result.weak_signals and not partial:
        return []
    count = len(result.weak_signals) + len(partial)
    out = ["", f"WEAK SIGNALS ({count}): some evidence, not enough for a diagnosis "
               f"(certainty below {result.threshold:.2f})"]
    for c in result.weak_signals:
        out += wrap(f"- {c.rule.title} [{c.rule.id}], certainty {c.certainty:.2f}", "  ")
        out += wrap(c.rule.description, "    ")
        out += _symptom_lines(c.symptoms, "    ")
        out += contribution_lines(c, "    ")
        out.append("    Evidence:")
        out += _evidence_lines(c.evidence, "      ")
    for u in partial:
        out += wrap(f"- {u.rule.title} [{u.rule.id}], certainty {u.certainty:.2f}: "
                    f"{u.signs_present} of {u.signs} signs present", "  ")
        out += wrap(u.rule.description, "    ")
        out += _symptom_lines(u.symptoms, "    ")
        out.append("    Present:")
        out += _evidence_lines(u.present, "      ")
        out += _against_lines(u, "    ")
        out += _settled_by(u, "    ")
    return out


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
            out += _symptom_lines(c.symptoms, "   ")
            out += contribution_lines(c, "   ")
            out.append("   Evidence:")
            out += _evidence_lines(c.evidence, "     ")
            out.append("   Remedies:")
            for shown in c.remedies:
                out += wrap(f"- {remedy_text(shown.remedy.action, shown.only_if)} "
                            f"Why: {shown.remedy.why}", "     ")
            out += wrap("Sources: " + "; ".join(source_label(s) for s in rule.sources), "   ")
    else:
        out.append("DIAGNOSES: none. csdiag found no known cause of poor service in the facts "
                   "given.")
    out += _weak_signal_lines(result)
    if result.findings:
        out += ["", "FINDINGS (intermediate conclusions used by the rules)"]
        for c in result.findings:
            out.append(f"  - {c.rule.title} [{c.rule.id}], certainty {c.certainty:.2f}")
    unassessed = [u for u in result.undetermined if not u.is_weak_signal]
    if unassessed:
        out += ["", f"NOT ASSESSABLE ({len(unassessed)}): the case does not say enough"]
        for u in unassessed:
            out += wrap(f"- {u.rule.title} [{u.rule.id}], severity {u.rule.severity}", "  ")
            out += _against_lines(u, "    ")
            out += _settled_by(u, "    ")
    if result.questions:
        shown_questions = result.questions[:SHOWN_QUESTIONS]
        out += ["", f"ASK FIRST: {len(shown_questions)} of the {len(result.questions)} unknown "
                    "facts above, those that could settle the most"]
        for n, q in enumerate(shown_questions, 1):
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
            out += wrap(f"{n}. {remedy_text(planned.action, planned.only_if)} "
                        f"(addresses: {', '.join(planned.addresses)})", "  ")
    out += ["", f"Summary: {summary_line(result)}."]
    return "\n".join(out)


def render_text(results: list[CaseResult]) -> str:
    """A section per case, then, for several, an overall summary."""
    from csdiag.render.stream import TextStream  # the one implementation, streamed or not

    stream = TextStream()
    return stream.start() + "".join(stream.case(r) for r in results) + stream.end()
