"""`csdiag rules`: list, lint, test and scaffold the rules of a knowledge base."""

from __future__ import annotations

from pathlib import Path

import click

from csdiag import RULE_KINDS, NewRule, Workspace, default_user_folders, parse_value
from csdiag.cli.errors import check_failed
from csdiag.cli.help import LocalisedGroup
from csdiag.cli.options import (
    echo,
    format_option,
    global_options,
    knowledge_options,
    no_builtin_option,
    open_workspace,
)
from csdiag.i18n import N_, gettext
from csdiag.render import (
    render_lint_text,
    render_new_rule_text,
    render_rules_json,
    render_rules_text,
    render_test_text,
)

HELP_RULES_GROUP = N_("""Inspect, check and write the rules of the knowledge base.""")


@click.group(name="rules", cls=LocalisedGroup, help=HELP_RULES_GROUP)
def rules_group() -> None:
    pass


def _checked(folders: tuple[Path, ...], no_builtin_rules: bool) -> Workspace:
    """The folders to check, on top of the built-in pack; with none, the built-in pack."""
    if not folders:
        return Workspace([])
    return Workspace(list(folders), builtin=not no_builtin_rules)


HELP_RULES_LIST = N_("""List every rule: id, kind, severity, certainty and title.

\b
Example:
  csdiag rules list --format json""")


@rules_group.command(name="list", help=HELP_RULES_LIST)
@format_option("text", "json")
@knowledge_options
def rules_list(output_format: str, rules: tuple[Path, ...], no_builtin_rules: bool) -> None:
    listed = open_workspace(rules, no_builtin_rules).rules()
    render = render_rules_json if output_format == "json" else render_rules_text
    echo(render(listed), nl=False)


HELP_RULES_LINT = N_("""Check rule folders: every problem, with file:line:column and a fix.

With no FOLDERS, lints the built-in rules. Other folders are read on top of
the built-in pack (its facts and findings), and only their own problems are
reported; a folder that holds the built-in pack (or a copy of it) is checked as
the pack it is. Exit code 1 when any error is found (with --strict, any warning
too).

\b
Examples:
  csdiag rules lint
  csdiag rules lint ~/my-rules --strict""")


@rules_group.command(name="lint", help=HELP_RULES_LINT)
@click.argument("folders", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help=N_("Fail on warnings too."))
@no_builtin_option
@global_options
def rules_lint(folders: tuple[Path, ...], strict: bool, no_builtin_rules: bool) -> None:
    report = _checked(folders, no_builtin_rules).lint()
    echo(render_lint_text(report), nl=False)
    if report.errors or (strict and report.warnings):
        check_failed()


HELP_RULES_TEST = N_(
    """Run the fixtures beside each rule (<rule-id>.test.yaml) through the real engine.

Prints one line per failing fixture and a 'N passed, N failed' line; exit code 1
when any fixture fails (or coverage is below --min-coverage).

\b
Examples:
  csdiag rules test
  csdiag rules test ~/my-rules --coverage --min-coverage 100""")


@rules_group.command(name="test", help=HELP_RULES_TEST)
@click.argument("folders", nargs=-1, type=click.Path(path_type=Path))
@click.option("--coverage", "show_coverage", is_flag=True,
              help=N_("Report, per rule and condition, whether fixtures made it true and false."))
@click.option("--min-coverage", type=click.FloatRange(0, 100), default=None,
              help=N_("Fail when the share of conditions covered both ways is below this %."))
@no_builtin_option
@global_options
def rules_test(folders: tuple[Path, ...], show_coverage: bool, min_coverage: float | None,
               no_builtin_rules: bool) -> None:
    workspace = _checked(folders, no_builtin_rules)
    report = workspace.test_rules()
    if not report.results:
        where = ", ".join(str(f) for f in workspace.checked_folders()[0])
        echo(gettext("no fixtures in {folders}: write <rule-id>.test.yaml beside each rule "
                     "(docs/writing-rules.md, 'Fixture file')").format(folders=where),
             err=True)
        check_failed()
    echo(render_test_text(report, show_coverage or min_coverage is not None), nl=False)
    too_low = min_coverage is not None and report.coverage_share() * 100 < min_coverage
    if report.failed or too_low:
        check_failed()


HELP_RULES_NEW = N_("""Scaffold a rule file and its fixtures, valid from the start.

Writes FOLDER/RULE_ID.yaml and FOLDER/RULE_ID.test.yaml (and JSON Schemas for
editors), never overwriting a file, then lints and tests them. Flags not given
are asked for.

\b
Example:
  csdiag rules new chronic-under-capacity --folder my-rules --kind diagnosis \
    --title "Chronic under-capacity" --fact ops.occupancy_pct --op gt --value 85""")


@rules_group.command(name="new", help=HELP_RULES_NEW)
@click.argument("rule_id")
@click.option("--folder", type=click.Path(path_type=Path), prompt=N_("Folder for the rule"),
              default=lambda: str((default_user_folders() or [Path("my-rules")])[0]),
              help=N_("Where to write the rule (default: the first $CSDIAG_RULES folder)."))
@click.option("--kind", type=click.Choice(RULE_KINDS), prompt=N_("Kind"),
              default="diagnosis", help=N_("A diagnosis is reported; a finding feeds other rules."))
@click.option("--title", prompt=N_("Title"), help=N_(
    "A short title, e.g. 'Repeat contacts swamp the front line'."))
@click.option("--fact", prompt=N_("Fact the rule tests ('csdiag facts' lists them)"),
              help=N_("The declared fact the first condition tests."))
@click.option("--op", type=click.Choice(["eq", "ne", "gt", "ge", "lt", "le", "in", "not_in"]),
              prompt=N_("Operator"), help=N_("How the fact is compared."))
@click.option("--value", prompt=N_("Value"), help=N_("The value compared with, e.g. 70, false, "
              "budget_cap or '[a, b]'."))
@click.option("--severity", type=click.Choice(["low", "medium", "high", "critical"]),
              default="medium", show_default=True)
@click.option("--category", default="general", show_default=True)
@no_builtin_option
@global_options
def rules_new(rule_id: str, folder: Path, kind: str, title: str, fact: str, op: str, value: str,
              severity: str, category: str, no_builtin_rules: bool) -> None:
    request = NewRule(rule_id, kind, title, fact, op, parse_value(value), severity, category)
    report = Workspace([folder], builtin=not no_builtin_rules).new_rule(request)
    echo(render_new_rule_text(report), nl=False)
