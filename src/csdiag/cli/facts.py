"""`csdiag facts` and `csdiag schema`: the vocabulary, for people and for editors."""

from __future__ import annotations

import json
from pathlib import Path

import click

from csdiag import SCHEMA_KINDS, NewFact, default_user_folders
from csdiag.cli.help import LocalisedCommand, LocalisedGroup
from csdiag.cli.options import (
    echo,
    format_option,
    knowledge_options,
    no_builtin_option,
    open_workspace,
)
from csdiag.i18n import N_, gettext
from csdiag.render import render_facts_json, render_facts_text

HELP_FACTS = N_(
    """List the fact vocabulary: each fact, its type, allowed values and the question to ask.

\b
Example:
  csdiag facts | grep training""")


@click.group(cls=LocalisedGroup, help=HELP_FACTS, invoke_without_command=True)
@format_option("text", "json")
@knowledge_options
@click.pass_context
def facts(context: click.Context, output_format: str, rules: tuple[Path, ...],
          no_builtin_rules: bool) -> None:
    if context.invoked_subcommand is not None:
        return
    workspace = open_workspace(rules, no_builtin_rules)
    render = render_facts_json if output_format == "json" else render_facts_text
    echo(render(workspace.facts(), workspace.sector_thresholds()), nl=False)


HELP_FACTS_NEW = N_("""Declare a new fact in your rules folder's vocabulary.yaml.

The fact is added at the end of the file (made if missing), so your comments and
order stay; it is checked as csdiag reads it, and nothing is written if it would
not load. Then a rule can test it: 'csdiag rules new ID --fact NAME ...'.

\b
Examples:
  csdiag facts new measure.fcr_tracked --folder my-rules --type boolean \\
    --meaning "First-contact resolution is measured." \\
    --question "Is first-contact resolution measured?"
  csdiag facts new wfm.abandon_pct --folder my-rules --type percentage \\
    --unit "% of calls" --meaning "Share of calls abandoned last quarter." \\
    --question "What share of calls was abandoned last quarter?"
""")


@facts.command("new", cls=LocalisedCommand, help=HELP_FACTS_NEW)
@click.argument("name")
@click.option("--folder", type=click.Path(path_type=Path, file_okay=False), default=None,
              help=N_("The rules folder whose vocabulary.yaml gets the fact (default: the "
                      "first $CSDIAG_RULES folder)."))
@click.option("--type", "fact_type", required=True,
              type=click.Choice(["boolean", "integer", "number", "percentage", "score",
                                 "enum"]), help=N_("What kind of value the fact takes."))
@click.option("--meaning", required=True,
              help=N_("What the fact says, as a report states it (a sentence)."))
@click.option("--question", required=True,
              help=N_("The question the interview asks to establish it."))
@click.option("--unit", default=None,
              help=N_("For a number: what it counts, plural forms with '|' "
                      "(e.g. 'day|days', '% of staff'). Required for numbers."))
@click.option("--values", default=None,
              help=N_("For an enum: its values, comma-separated (e.g. none,ad_hoc,monthly)."))
@click.option("--min", "minimum", type=float, default=None, help=N_("The lowest value."))
@click.option("--max", "maximum", type=float, default=None, help=N_("The highest value."))
@no_builtin_option
def facts_new(name: str, folder: Path | None, fact_type: str, meaning: str, question: str,
              unit: str | None, values: str | None, minimum: float | None,
              maximum: float | None, no_builtin_rules: bool) -> None:
    folders = (folder,) if folder is not None else tuple(default_user_folders()[:1])
    workspace = open_workspace(folders, no_builtin_rules)
    written = workspace.new_fact(NewFact(
        name, fact_type, meaning, question, unit,
        [v.strip() for v in values.split(",") if v.strip()] if values else [],
        minimum, maximum))
    echo(gettext("declared {fact} in {file}").format(fact=name, file=written))
    echo(gettext("next: 'csdiag rules new ID --fact {fact} ...' writes a rule that tests it, "
                 "or add it to a rule's 'when:'").format(fact=name))


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
