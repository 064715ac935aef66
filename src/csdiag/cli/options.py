"""Options that several commands share, declared once."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from csdiag import DEFAULT_THRESHOLD, Workspace, printable

Command = TypeVar("Command", bound=Callable[..., Any])


def rules_option(command: Command) -> Command:
    """--rules DIR (repeatable): the user's rule folders, on top of the built-in pack."""
    return click.option(
        "--rules", "rules", multiple=True, type=click.Path(path_type=Path),
        help="A folder of rule files (and optionally a vocabulary.yaml) to use as well as the "
             "built-in rules. Repeatable. Default: the folders in $CSDIAG_RULES.")(command)


def no_builtin_option(command: Command) -> Command:
    """--no-builtin-rules: the given folders stand alone."""
    return click.option(
        "--no-builtin-rules", is_flag=True,
        help="Leave out the built-in knowledge base: the rule folders given stand alone, "
             "with their own vocabulary and findings.")(command)


def knowledge_options(command: Command) -> Command:
    """--rules and --no-builtin-rules: which knowledge base a command uses."""
    return rules_option(no_builtin_option(command))


def format_option(*choices: str) -> Callable[[Command], Command]:
    """--format, with the formats this command can print."""
    def decorate(command: Command) -> Command:
        return click.option("--format", "output_format", type=click.Choice(list(choices)),
                            default=choices[0], show_default=True,
                            help="How to print the result.")(command)
    return decorate


def _finite(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not math.isfinite(value):  # FloatRange lets nan through: it compares false
        raise click.BadParameter(f"{value} is not a number from 0 to 1")
    return value


def threshold_option(command: Command) -> Command:
    return click.option(
        "--threshold", type=click.FloatRange(0, 1), default=DEFAULT_THRESHOLD,
        show_default=True, callback=_finite, help="Combined certainty below which a "
        "diagnosis is listed as a weak signal.")(command)


def case_argument(command: Command) -> Command:
    """One case file."""
    return click.argument("case_path", metavar="CASE",
                          type=click.Path(path_type=Path, dir_okay=False))(command)


def open_workspace(rules: tuple[Path, ...], no_builtin_rules: bool) -> Workspace:
    """The workspace the knowledge options name: the built-in pack (unless left out) and
    the --rules folders, or else those in $CSDIAG_RULES."""
    return Workspace(list(rules) if rules else None, builtin=not no_builtin_rules)


def echo(text: str, err: bool = False, nl: bool = True) -> None:
    """click.echo, with control characters from files and arguments made harmless."""
    click.echo(printable(text), err=err, nl=nl)
