"""`csdiag facts` and `csdiag schema`: the vocabulary, for people and for editors."""

from __future__ import annotations

import json
from pathlib import Path

import click

from csdiag import SCHEMA_KINDS
from csdiag.cli.help import LocalisedCommand
from csdiag.cli.options import echo, format_option, knowledge_options, open_workspace
from csdiag.i18n import N_
from csdiag.render import render_facts_json, render_facts_text

HELP_FACTS = N_(
    """List the fact vocabulary: each fact, its type, allowed values and the question to ask.

\b
Example:
  csdiag facts | grep training""")


@click.command(cls=LocalisedCommand, help=HELP_FACTS)
@format_option("text", "json")
@knowledge_options
def facts(output_format: str, rules: tuple[Path, ...], no_builtin_rules: bool) -> None:
    workspace = open_workspace(rules, no_builtin_rules)
    render = render_facts_json if output_format == "json" else render_facts_text
    echo(render(workspace.facts(), workspace.sector_thresholds()), nl=False)


HELP_SCHEMA = N_("""Print the JSON Schema of a rule, case or fixture file, for editors.

The schema lists every declared fact, so an editor completes fact names and
flags wrong values as you type. The built-in schemas ship in schemas/; with
--rules, the schema covers your facts too.

\b
Examples:
  csdiag schema case > case.schema.json
  csdiag schema rule --rules ~/my-rules > ~/my-rules/rule.schema.json""")


@click.command(cls=LocalisedCommand, help=HELP_SCHEMA)
@click.argument("kind", type=click.Choice(SCHEMA_KINDS))
@knowledge_options
def schema(kind: str, rules: tuple[Path, ...], no_builtin_rules: bool) -> None:
    document = open_workspace(rules, no_builtin_rules).schema(kind)
    echo(json.dumps(document, indent=2, ensure_ascii=False))
