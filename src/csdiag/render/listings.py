"""`csdiag rules list` and `csdiag facts`: the knowledge base as a table or as JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping

from csdiag.formats.rule import Rule
from csdiag.formats.vocabulary import FactDefinition
from csdiag.i18n import fixed, gettext, ngettext, pgettext
from csdiag.render.layout import pad, width, wrap
from csdiag.render.text import severity_word


def render_rules_text(rules: list[Rule]) -> str:
    kinds = {"diagnosis": pgettext("rule kind", "diagnosis"),
             "finding": pgettext("rule kind", "finding")}
    # Columns as wide as their widest entry, in the language in use.
    kind_width = max((width(kinds.get(r.kind, r.kind)) for r in rules), default=0)
    severity_width = max((width(severity_word(r.severity)) for r in rules), default=0)
    lines = [f"{r.id:40} {pad(kinds.get(r.kind, r.kind), kind_width)} "
             f"{pad(severity_word(r.severity), severity_width)} {fixed(r.certainty)}  {r.title}"
             + (" " + gettext("[thresholds by sector: {sectors}]").format(
                 sectors=", ".join(r.sector_profiles)) if r.sector_profiles else "")
             for r in rules]
    diagnoses = sum(r.kind == "diagnosis" and r.is_primary for r in rules)
    findings = sum(r.kind == "finding" and r.is_primary for r in rules)
    adding = len(rules) - diagnoses - findings  # rules that add evidence to another's
    counts = gettext("{rules} ({diagnoses}, {findings})") if not adding else gettext(
        "{rules} ({diagnoses}, {findings}, {adding})")
    lines += ["", counts.format(
        rules=ngettext("{count} rule", "{count} rules", len(rules)).format(count=len(rules)),
        diagnoses=ngettext("{count} diagnosis", "{count} diagnoses", diagnoses).format(
            count=diagnoses),
        findings=ngettext("{count} finding", "{count} findings", findings).format(
            count=findings),
        adding=ngettext("{count} adding evidence to other rules",
                        "{count} adding evidence to other rules", adding).format(count=adding))]
    return "\n".join(lines) + "\n"


def render_rules_json(rules: list[Rule]) -> str:
    return json.dumps([{"id": r.id, "kind": r.kind, "title": str(r.title),
                        "sector_profiles": r.sector_profiles, "category": r.category,
                        "severity": r.severity, "certainty": r.certainty, "file": r.file}
                       for r in rules], indent=2, ensure_ascii=False) + "\n"


def render_facts_text(definitions: list[FactDefinition],
                      sector_thresholds: Mapping[str, dict[str, list[str]]] | None = None
                      ) -> str:
    lines = []
    for d in definitions:
        # A unit's plural forms ('month|months') read as alternatives.
        unit = f", {str(d.unit).replace('|', '/')}" if d.unit else ""
        lines += wrap(f"{d.name}  ({d.type}{unit}; {d.allowed()})", hang=4)
        lines += wrap(str(d.meaning), "    ")
        lines += wrap(gettext("ask: {question}").format(question=d.question), "    ", hang=5)
        for rule_id, sectors in (sector_thresholds or {}).get(d.name, {}).items():
            lines += wrap(gettext("thresholds by sector in {rule}: {sectors}; any other sector "
                                  "takes the rule's default").format(
                              rule=rule_id, sectors=", ".join(sectors)), "    ", hang=2)
    lines += ["", ngettext("{count} fact", "{count} facts", len(definitions)).format(
        count=len(definitions))]
    return "\n".join(lines) + "\n"


def render_facts_json(definitions: list[FactDefinition],
                      sector_thresholds: Mapping[str, dict[str, list[str]]] | None = None
                      ) -> str:
    return json.dumps([{"name": d.name, "type": d.type, "unit": str(d.unit) if d.unit else None,
                        "allowed": d.allowed(), "meaning": str(d.meaning),
                        "question": str(d.question),
                        "sector_thresholds": (sector_thresholds or {}).get(d.name, {})}
                       for d in definitions], indent=2, ensure_ascii=False) + "\n"
