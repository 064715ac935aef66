"""`csdiag facts` and `csdiag schema`: the vocabulary, for people and for editors."""

from __future__ import annotations

import json
from pathlib import Path

import click

from csdiag import SCHEMA_KINDS
from csdiag.cli.options import echo, format_option, knowledge_options, open_workspace
from csdiag.render import render_facts_json, render_facts_text


@click.command()
@format_option("text", "json")
@knowledge_options
def facts(output_format: str, rules: tuple[Path, ...], no_builtin_rules: bool) -> None:
    """List the fact vocabulary: each fact, its type, allowed values and the question to ask.

    \b
    Example:
      csdiag facts | grep training
    """
    definitions = open_workspace(rules, no_builtin_rules).facts()
    render = render_facts_json if output_format == "json" else render_facts_text
    echo(render(definitions), nl=False)


@click.command()
@click.argument("kind", type=click.Choice(SCHEMA_KINDS))
@knowledge_options
def schema(kind: str, rules: tuple[Path, ...], no_builtin_rules: bool) -> None:
    """Print the JSON Schema of a rule, case or fixture file, for editors.

    The schema lists every declared fact, so an editor completes fact names and
    flags wrong values as you type. The built-in schemas ship in schemas/; with
    --rules, the schema covers your facts too.

    \b
    Examples:
      csdiag schema case > case.schema.json
      csdiag schema rule --rules ~/my-rules > ~/my-rules/rule.schema.json
    """
    document = open_workspace(rules, no_builtin_rules).schema(kind)
    echo(json.dumps(document, indent=2, ensure_ascii=False))
