"""Options that several commands share, declared once."""

from __future__ import annotations

import math
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from csdiag import AUDIENCES, DEFAULT_THRESHOLD, printable, use_audience
from csdiag.i18n import LANGUAGES, N_, checked_language, gettext, set_language
from csdiag.render import WIDTH, terminal_columns, use_display

if TYPE_CHECKING:
    from csdiag import Workspace

Command = TypeVar("Command", bound=Callable[..., Any])


def rules_option(command: Command) -> Command:
    """--rules DIR (repeatable): the user's rule folders, on top of the built-in pack."""
    return click.option(
        "--rules", "rules", multiple=True, type=click.Path(path_type=Path),
        help=N_("A folder of rule files (and optionally a vocabulary.yaml) to use as well as the "
             "built-in rules. Repeatable. Default: the folders in $CSDIAG_RULES."))(command)


def no_builtin_option(command: Command) -> Command:
    """--no-builtin-rules: the given folders stand alone."""
    return click.option(
        "--no-builtin-rules", is_flag=True,
        help=N_("Leave out the built-in knowledge base: the rule folders given stand alone, "
             "with their own vocabulary and findings."))(command)


def knowledge_options(command: Command) -> Command:
    """--rules and --no-builtin-rules: which knowledge base a command uses; and --lang and
    --no-color, how it speaks, which every such command takes."""
    return rules_option(no_builtin_option(global_options(command)))


def format_option(*choices: str) -> Callable[[Command], Command]:
    """--format, with the formats this command can print."""
    def decorate(command: Command) -> Command:
        return click.option("--format", "output_format", type=click.Choice(list(choices)),
                            default=choices[0], show_default=True,
                            help=N_("How to print the result."))(command)
    return decorate


def _finite(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not math.isfinite(value):  # FloatRange lets nan through: it compares false
        raise click.BadParameter(gettext("{value} is not a number from 0 to 1").format(
            value=value))
    return value


def threshold_option(command: Command) -> Command:
    return click.option(
        "--threshold", type=click.FloatRange(0, 1), default=DEFAULT_THRESHOLD,
        show_default=True, callback=_finite, help=N_("Combined certainty below which a "
        "diagnosis is listed as a weak signal."))(command)


_STDIN_NOTED = "csdiag.stdin-noted"


class CasePath(click.Path):
    """The path of a case file, or '-' for standard input. When standard input is a
    terminal, csdiag says it is waiting for the case there: '-' typed by mistake is not
    taken for a command that hangs."""

    def __init__(self, dir_okay: bool = False) -> None:
        super().__init__(path_type=Path, dir_okay=dir_okay, allow_dash=True)

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        from csdiag import STDIN  # here: it comes with the case formats, loaded on use

        path = super().convert(value, param, ctx)
        if str(path) == STDIN and ctx is not None and not ctx.resilient_parsing \
                and not ctx.meta.get(_STDIN_NOTED) and _stdin_is_terminal():
            ctx.meta[_STDIN_NOTED] = True
            click.echo(gettext("Reading a case from standard input (Ctrl-D ends it)."),
                       err=True)
        return path


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (OSError, ValueError):  # closed
        return False


def case_argument(command: Command) -> Command:
    """One case file ('-': standard input)."""
    return click.argument("case_path", metavar="CASE", type=CasePath())(command)


_LANGUAGE_KEY = "csdiag.language"


def _chosen_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        try:
            language = checked_language(value)  # a locale tag too: zh_CN, ru-RU
        except ValueError as error:
            raise click.BadParameter(str(error)) from None
        set_language(language)
        ctx.meta[_LANGUAGE_KEY] = language


def language_option(command: Command) -> Command:
    """--lang: the language of messages and reports (else the case's, else the locale's)."""
    return click.option(
        "--lang", metavar="[" + "|".join(LANGUAGES) + "]", default=None, expose_value=False,
        is_eager=True, callback=_chosen_language,
        help=N_("The language to write in: en, zh or ru. Default: a case's own 'language', "
             "else $LC_ALL, $LC_MESSAGES or $LANG, else English."))(command)


def terminal_display(no_color: bool) -> tuple[int, bool]:
    """The width and colour of what goes to standard output: a terminal's width (as
    $COLUMNS, else the terminal, says; within render's bounds) and colour, unless
    --no-color, $NO_COLOR (not empty: no-color.org) or TERM=dumb say otherwise; anything
    else (a file, a pipe, a test) gets WIDTH and no colour, the same wherever it runs."""
    from csdiag.cli.output import stdout_is_terminal

    if not stdout_is_terminal():
        return WIDTH, False
    columns = terminal_columns(shutil.get_terminal_size((WIDTH, 24)).columns)
    colour = not (no_color or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb")
    return columns, colour


def _chosen_display(ctx: click.Context, param: click.Parameter, no_color: bool) -> None:
    # On the csdiag group: how every command's output is laid out. On a command: only
    # --no-color, given there, changes it. Held for the whole command, as the audience is.
    if ctx.parent is None:
        columns, colour = terminal_display(no_color)
        ctx.with_resource(use_display(columns, colour))
    elif no_color:
        ctx.with_resource(use_display(colour=False))


def color_option(command: Command) -> Command:
    """--no-color: reports on a terminal without colour."""
    return click.option(
        "--no-color", is_flag=True, expose_value=False, callback=_chosen_display,
        help=N_("Print without colour. Colour is used only when standard output is a "
                "terminal, and never when $NO_COLOR is set."))(command)


def global_options(command: Command) -> Command:
    """--lang and --no-color, which the csdiag group and its commands take alike."""
    return language_option(color_option(command))


def _chosen_audience(ctx: click.Context, param: click.Parameter, value: str) -> None:
    # Held for the whole command, however the report is streamed: reports read it there.
    ctx.with_resource(use_audience(value))


def audience_option(command: Command) -> Command:
    """--audience: a consultant's report or a client's."""
    return click.option(
        "--audience", type=click.Choice(AUDIENCES), default="consultant", show_default=True,
        expose_value=False, callback=_chosen_audience,
        help=N_("Who the report is for. 'consultant' keeps rule ids, file names and how "
             "each certainty was reached; 'client' leaves them out, names questions "
             "instead of facts and cites sources by author, year and title. JSON and "
             "JSON Lines are the same for both."))(command)


def chosen_language() -> str | None:
    """The language --lang named, or None when it was not given."""
    context = click.get_current_context(silent=True)
    return context.meta.get(_LANGUAGE_KEY) if context else None


def open_workspace(rules: tuple[Path, ...], no_builtin_rules: bool) -> Workspace:
    """The workspace the knowledge options name: the built-in pack (unless left out) and
    the --rules folders, or else those in $CSDIAG_RULES; it writes in --lang if given."""
    from csdiag import Workspace  # here: the library is loaded by a command that uses it

    return Workspace(list(rules) if rules else None, builtin=not no_builtin_rules,
                     language=chosen_language())


def echo(text: str, err: bool = False, nl: bool = True) -> None:
    """click.echo, with control characters from files and arguments made harmless."""
    click.echo(printable(text), err=err, nl=nl)


OUTPUT_HELP = N_("Write to this file, not to standard output (an existing file is replaced "
                 "only with --force).")


def _plain_for_a_file(ctx: click.Context, param: click.Parameter,
                      output: Path | None) -> Path | None:
    # A report written to a file is the same as piped: WIDTH wide, never coloured.
    if output is not None:
        ctx.with_resource(use_display(WIDTH, colour=False))
    return output


def output_options(help_text: str = OUTPUT_HELP) -> Callable[[Command], Command]:
    """-o FILE and --force: the report written to a file, whole or not at all, laid out
    as for a pipe (`help_text` says which suffixes pick a format, where they do)."""
    def decorate(command: Command) -> Command:
        command = click.option("--force", is_flag=True,
                               help=N_("With -o: replace the file if it exists."))(command)
        return click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
                            default=None, callback=_plain_for_a_file,
                            help=help_text)(command)
    return decorate


def write_report(text: str, output: Path | None, force: bool) -> None:
    """The report to standard output, or to `output` whole (checked before: see
    check_output)."""
    from csdiag.cli.output import report_output

    with report_output(output, force) as write:
        write(text)
