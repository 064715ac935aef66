"""Where a report goes: standard output, or the file that -o names.

A file is written whole or not at all (into a temporary file beside it, renamed over it
at the end), never over an existing file without --force, and never over a case file
being diagnosed; nothing the user wrote is lost. Binary output (PDF) never goes to a
terminal. Text is written as it would be printed (control characters made harmless),
in UTF-8, so `-o FILE` and `> FILE` give the same bytes on a UTF-8 system. '-' is no
file to write: it names standard input, where a case may come from.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from csdiag import STDIN, Problem, UserError, printable
from csdiag.i18n import gettext
from csdiag.render import display, printable_styled

# The format a file name asks for, when --format is not given.
SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf", ".md": "markdown",
                  ".markdown": "markdown", ".json": "json", ".jsonl": "jsonl",
                  ".txt": "text"}

Write = Callable[[str | bytes], None]


def format_of(path: Path | None) -> str | None:
    """The format `path`'s suffix names (None for none, or for a suffix csdiag does not
    write)."""
    return SUFFIX_FORMATS.get(path.suffix.lower()) if path is not None else None


def chosen_format(output: Path | None, given: str, explicit: bool,
                  formats: Iterable[str]) -> str:
    """The report's format: --format when given, else the one the -o file's suffix
    names; a suffix naming none of `formats` is refused rather than written as text."""
    if explicit or output is None or not output.suffix:
        return given
    named = format_of(output)
    allowed = list(formats)
    if named not in allowed:
        suffixes = ", ".join(s for s, f in SUFFIX_FORMATS.items() if f in allowed)
        raise _refuse(output, gettext("csdiag does not write '{suffix}' files").format(
            suffix=output.suffix), gettext("give --format, or a file name ending in one of: "
                                           "{suffixes}").format(suffixes=suffixes))
    return named


def stdout_is_terminal() -> bool:
    return sys.stdout is not None and sys.stdout.isatty()


def _target(path: Path) -> Path:
    """The file written: a symlink is written through, as a saved case is."""
    return path.resolve() if path.is_symlink() else path


def _refuse(path: Path | str, message: str, hint: str) -> UserError:
    return UserError([Problem(str(path), None, None, message, hint)])


def check_output(path: Path | None, force: bool, output_format: str, binary: bool) -> None:
    """Refuse, before any case is run, an output that could not be written, or that
    would replace a file without --force, or put binary output on a terminal."""
    if path is not None and str(path) == STDIN:
        raise _refuse(path, gettext("'-' names standard input, not a file to write"),
                      gettext("leave out -o to write the report to standard output"))
    if path is None:
        if binary and stdout_is_terminal():
            raise _refuse(f"--format {output_format}", gettext(
                "this output is binary, and is not written to a terminal"),
                gettext("add -o report.{suffix}, or redirect the output to a file").format(
                    suffix=output_format))
        return
    target = _target(path)
    if target.is_dir():
        raise _refuse(path, gettext("this is a folder; the report is written to a file"),
                      gettext("give the path of a file, e.g. -o report.html"))
    if target.exists() and not target.is_file():
        raise _refuse(path, gettext("this is not a regular file (a device or a pipe), so "
                                    "the report is not written over it"),
                      gettext("give the path of a file, or leave out -o and redirect the "
                              "output"))
    if not target.parent.is_dir():
        raise _refuse(path, gettext("its folder does not exist"),
                      gettext("create the folder first, or give another file"))
    if target.exists() and not force:
        raise _refuse(path, gettext("the file exists; nothing was written"),
                      gettext("give another -o file, or add --force to replace it"))


def check_not_a_case(path: Path, cases: Iterable[Path]) -> None:
    """Refuse, even with --force, to write the report over a case being diagnosed."""
    target = _target(path)
    if not target.exists():
        return  # nothing there to lose, and no need to walk the cases again
    for case in cases:
        if str(case) != STDIN and case.exists() and os.path.samefile(case, target):
            raise _refuse(path, gettext("this is one of the case files being diagnosed; "
                                        "the report would replace it"),
                          gettext("give another -o file"))


def _to_stdout(chunk: str | bytes) -> None:
    # click.echo writes bytes to the binary stream beneath stdout, as they are; text in
    # colour keeps its own styles, and nothing else that could drive the terminal.
    shown = printable_styled if display().colour else printable
    click.echo(chunk if isinstance(chunk, bytes) else shown(chunk), nl=False)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def report_output(path: Path | None, force: bool) -> Iterator[Write]:
    """A function that writes the report's pieces in turn: to stdout, or to a temporary
    file that replaces `path` only when the whole report is written."""
    if path is None:
        yield _to_stdout
        return
    target = _target(path)
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                        suffix=".part")
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            def write(chunk: str | bytes) -> None:
                handle.write(chunk if isinstance(chunk, bytes)
                             else printable(chunk).encode("utf-8"))
            yield write
        if target.exists() and not force:  # it appeared while the cases ran
            raise _refuse(path, gettext("the file exists; nothing was written"),
                          gettext("give another -o file, or add --force to replace it"))
        os.chmod(temporary, 0o666 & ~_umask())  # as any new file (mkstemp makes 0600)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
