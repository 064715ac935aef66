"""`csdiag rules list` and `csdiag facts`: the knowledge base as a table or as JSON."""

from __future__ import annotations

import json

from csdiag.formats.rule import Rule
from csdiag.formats.vocabulary import FactDefinition


def render_rules_text(rules: list[Rule]) -> str:
    lines = [f"{r.id:40} {r.kind:9} {r.severity or '-':8} {r.certainty:4.2f}  {r.title}"
             for r in rules]
    diagnoses = sum(r.kind == "diagnosis" and r.is_primary for r in rules)
    findings = sum(r.kind == "finding" and r.is_primary for r in rules)
    adding = len(rules) - diagnoses - findings  # rules that add evidence to another's
    lines += ["", f"{len(rules)} rules ({diagnoses} diagnoses, {findings} findings"
              + (f", {adding} adding evidence to other rules)" if adding else ")")]
    return "\n".join(lines) + "\n"


def render_rules_json(rules: list[Rule]) -> str:
    return json.dumps([{"id": r.id, "kind": r.kind, "title": str(r.title), "category": r.category,
                        "severity": r.severity, "certainty": r.certainty, "file": r.file}
                       for r in rules], indent=2, ensure_ascii=False) + "\n"


def render_facts_text(definitions: list[FactDefinition]) -> str:
    lines = []
    for d in definitions:
        unit = f", {d.unit}" if d.unit else ""
        lines += [f"{d.name}  ({d.type}{unit}; {d.allowed()})", f"    {d.meaning}",
                  f"    ask: {d.question}"]
    lines += ["", f"{len(definitions)} facts"]
    return "\n".join(lines) + "\n"


def render_facts_json(definitions: list[FactDefinition]) -> str:
    return json.dumps([{"name": d.name, "type": d.type, "unit": str(d.unit) if d.unit else None,
                        "allowed": d.allowed(), "meaning": str(d.meaning),
                        "question": str(d.question)} for d in definitions],
                      indent=2, ensure_ascii=False) + "\n"
