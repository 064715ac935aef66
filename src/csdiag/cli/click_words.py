"""click's own words (usage line, headings, its usage errors) in the language in use.

click marks its messages for gettext but reads them from the process-wide 'messages'
domain; these are the ones a csdiag user meets, kept in csdiag's catalogues, and
`install` points click's lookups at csdiag's gettext."""

from __future__ import annotations

from typing import IO, Any

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

from csdiag.i18n import N_, gettext, ngettext

# The exact messages click 8 passes to gettext (see its sources), for extraction.
MESSAGES = (
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Show this message and exit."),
    N_("Show the version and exit."), N_("default: {default}"), N_("required"),
    N_("Error: {message}"), N_("Try '{command} {option}' for help."),
    N_("Invalid value for {param_hint}: {message}"), N_("Invalid value: {message}"),
    N_("Missing argument"), N_("Missing option"), N_("Missing parameter"),
    N_("Missing {param_type}"), N_("No such option {name!r}."),
    N_("No such command {name!r}."), N_("Missing command."), N_("Aborted!"),
    N_("{value!r} is not a valid {number_type}."), N_("{value} is not in the range {range}."),
    N_("{name} {filename!r} does not exist."), N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is a file."), N_("file"), N_("directory"), N_("path"),
)


def _plural_messages() -> None:  # never called: marks click's plural messages
    ngettext("Got unexpected extra argument ({args})",
             "Got unexpected extra arguments ({args})", 1)
    ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 1)
    ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 1)
    ngettext("Option {name!r} requires an argument.",
             "Option {name!r} requires {nargs} arguments.", 1)


def install() -> None:
    """Let click's messages come from csdiag's catalogues, in the language in use."""
    for module in (click.core, click.decorators, click.exceptions, click.formatting,
                   click.parser, click.types):
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    click.exceptions.UsageError.show = _show_usage_error  # type: ignore[method-assign]


def _show_usage_error(self: click.exceptions.UsageError, file: IO[Any] | None = None) -> None:
    """A usage error as csdiag says every user error: what, where, and how to fix it."""
    command = self.ctx.command_path if self.ctx is not None else "csdiag"
    click.echo(f"{command}: error: {self.format_message()}", file=file, err=True)
    click.echo("    fix: " + gettext("'{command} --help' shows what it takes, with examples"
                                     ).format(command=command), file=file, err=True)
