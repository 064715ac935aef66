"""Command help in the language in use: click formats help from the English texts the
commands declare (marked with N_ for the catalogues); these classes translate them at
the moment help is printed, after --lang or the locale has chosen the language."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from click.formatting import iter_rows, measure_table, term_len

from csdiag.i18n import gettext
from csdiag.render import wrap


def _wrap_text(text: str, width: int, indent: str = "") -> str:
    """click's paragraph wrapping by display width: Chinese help breaks between
    characters as it does in reports; a paragraph led by '\\b' keeps its lines."""
    paragraphs = []
    for paragraph in text.split("\n\n"):
        lines = paragraph.splitlines()
        if lines and lines[0].strip() == "\b":
            paragraphs.append("\n".join(indent + line for line in lines[1:]))
        elif lines:
            paragraphs.append("\n".join(wrap(" ".join(lines), indent, hang=0,
                                              columns=width)))
    return "\n\n".join(paragraphs)


class LocalisedFormatter(click.HelpFormatter):
    """click's help formatter, measuring display width (see _wrap_text)."""

    def write_text(self, text: str) -> None:
        self.write(_wrap_text(text, self.width, " " * self.current_indent) + "\n")

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(measure_table(rows)[0], col_max) + col_spacing
        for first, second in iter_rows(rows, 2):
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if term_len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - term_len(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = _wrap_text(second, max(self.width - first_col - 2, 10)).splitlines()
            self.write((lines[0] if lines else "") + "\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")


class LocalisedContext(click.Context):
    formatter_class = LocalisedFormatter


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
        swap(param, "prompt")
    try:
        yield
    finally:
        for owner, name, value in reversed(saved):
            setattr(owner, name, value)


class LocalisedCommand(click.Command):
    context_class = LocalisedContext

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        with _translated(self):  # the prompts for options not given
            return super().parse_args(ctx, args)

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
