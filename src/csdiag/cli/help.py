"""Command help in the language in use: click formats help from the English texts the
commands declare (marked with N_ for the catalogues); these classes translate them at
the moment help is printed, after --lang or the locale has chosen the language."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from csdiag.i18n import gettext


@contextmanager
def _translated(command: click.Command) -> Iterator[None]:
    """The command's help, epilog and option help in the language in use, for a moment."""
    saved: list[tuple[Any, str, Any]] = []

    def swap(owner: Any, name: str) -> None:
        value = getattr(owner, name, None)
        if isinstance(value, str) and value:
            saved.append((owner, name, value))
            setattr(owner, name, gettext(value))

    for name in ("help", "short_help", "epilog"):
        swap(command, name)
    for param in command.params:
        swap(param, "help")
    try:
        yield
    finally:
        for owner, name, value in reversed(saved):
            setattr(owner, name, value)


class LocalisedCommand(click.Command):
    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated(self):
            super().format_help(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        with _translated(self):
            return super().get_short_help_str(limit)


class LocalisedGroup(LocalisedCommand, click.Group):
    """A group whose help, and whose commands' help, is translated the same way."""

    command_class = LocalisedCommand


LocalisedGroup.group_class = LocalisedGroup
