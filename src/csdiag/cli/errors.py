"""Exit codes and how failures reach the user: one policy for every command.

0  the run worked (whether or not causes were found)
1  a check you asked for failed (rules lint, rules test)
2  a user error: a bad file, option or value, said with its location and a fix
3  an internal error in csdiag: one line, where to report it, and how to see more
130 stopped by Ctrl-C or by the end of input at a prompt
"""

from __future__ import annotations

import io
import os
import sys
import traceback
from typing import Any, NoReturn

import click

from csdiag import PROBLEMS_SHOWN, RECURSION, UserError, printable
from csdiag.cli.help import LocalisedGroup
from csdiag.entry import INTERRUPTED
from csdiag.i18n import (
    DEFAULT_LANGUAGE,
    N_,
    checked_language,
    gettext,
    language_from_environment,
    ngettext,
    number,
    set_language,
)

OK, CHECK_FAILED, USER_ERROR, INTERNAL_ERROR = 0, 1, 2, 3
DEBUG_VARIABLE = "CSDIAG_DEBUG"

EXIT_CODES_HELP = N_("""\b
Exit codes:
    0  the run worked (whether or not causes were found)
    1  a check you asked for failed (rules lint, rules test)
    2  a user error: bad file, option or value (said with file:line and a fix)
    3  an internal error in csdiag (--debug or CSDIAG_DEBUG=1 shows the traceback)
  130  stopped by Ctrl-C, or by the end of input at a prompt
""")


def debugging(ctx: click.Context | None = None) -> bool:
    """--debug on the command line, or CSDIAG_DEBUG=1 in the environment."""
    if os.environ.get(DEBUG_VARIABLE, "").strip() not in ("", "0"):
        return True
    root = ctx.find_root() if ctx is not None else None
    return bool(root is not None and isinstance(root.obj, dict) and root.obj.get("debug"))


def io_error_message(error: OSError) -> str:
    where = str(error.filename) if error.filename else gettext("the output")
    return ("error: " + gettext("could not read or write ({where}): {reason}").format(
        where=where, reason=error.strerror or error) + "\n    fix: "
        + gettext("check the disk space, the path and its permissions"))


def prepare_streams() -> None:
    """Output in any encoding (PYTHONIOENCODING=latin-1, say): what it cannot show
    becomes '?', never an error; and Python may recurse as deep as csdiag's ceilings."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")
    sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION))


def quiet_stdout() -> None:
    """Point stdout at /dev/null, so the flush at exit cannot fail again."""
    if sys.stdout is None:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def finish(code: int) -> int:
    """Flush what was printed: a closed pipe ends quietly, a full disk says so."""
    if sys.stdout is None:  # started with stdout closed: there was nowhere to print
        return code
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_stdout()
    except OSError as error:
        quiet_stdout()
        click.echo(io_error_message(error), err=True)
        return USER_ERROR if code == OK else code
    return code


def check_failed() -> NoReturn:
    sys.exit(CHECK_FAILED)


def _shown_problems(error: UserError) -> str:
    """Every problem, but at most PROBLEMS_SHOWN per file: a file with thousands of
    mistakes is broken as a whole, and the first ones say how."""
    lines: list[str] = []
    shown: dict[str, int] = {}
    for problem in error.problems:
        shown[problem.file] = shown.get(problem.file, 0) + 1
        if shown[problem.file] <= PROBLEMS_SHOWN and len(lines) < PROBLEMS_SHOWN * 10:
            lines.append(str(problem))
    for file, count in list(shown.items())[:PROBLEMS_SHOWN]:
        if count > PROBLEMS_SHOWN:
            more = count - PROBLEMS_SHOWN
            lines.append(ngettext("{file}: … and {count} more problem in this file",
                                  "{file}: … and {count} more problems in this file",
                                  more).format(file=file, count=number(more)))
    if len(error.problems) > len(lines):
        total = len(error.problems)
        lines.append(gettext("{problems} {in_files} in all; the first are shown").format(
            problems=ngettext("{count} problem", "{count} problems", total).format(
                count=number(total)),
            in_files=ngettext("in {count} file", "in {count} files", len(shown)).format(
                count=number(len(shown)))))
    return "\n".join(lines)


def _language_asked(args: list[str]) -> str | None:
    """The language a `--lang` anywhere on the command line names (None if none, or if
    it names none of csdiag's: the option itself then says so)."""
    for index, arg in enumerate(args):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else (
            args[index + 1] if arg == "--lang" and index + 1 < len(args) else None)
        if value is not None:
            try:
                return checked_language(value)
            except ValueError:
                return None
    return None


class ReportingGroup(LocalisedGroup):
    """A click group that turns every failure under it into the policy above: no
    exception reaches the user as a raw traceback."""

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        # The language is chosen before click parses anything, so that '--help' and
        # click's own usage errors are in it wherever '--lang' stands.
        if parent is None:
            set_language(_language_asked(args) or language_from_environment()
                         or DEFAULT_LANGUAGE)
        return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException):
            raise  # click's own: --help, usage errors (exit 2)
        except UserError as error:
            click.echo(printable(_shown_problems(error)), err=True)
            count = len(error.problems)
            if error.written:
                click.echo(gettext("written before the problems were found: {files}").format(
                    files=", ".join(str(p) for p in error.written)), err=True)
            elif count > 1:
                click.echo(ngettext("{count} problem; nothing was run or written.",
                                    "{count} problems; nothing was run or written.",
                                    count).format(count=number(count)), err=True)
            sys.exit(USER_ERROR)
        except (click.Abort, KeyboardInterrupt, EOFError):
            click.echo("\n" + gettext("Stopped."), err=True)
            sys.exit(INTERRUPTED)
        except BrokenPipeError:
            quiet_stdout()  # the reader went away (e.g. `| head`): nobody to tell
            sys.exit(OK)
        except OSError as error:  # a full disk, a read-only folder, a vanished file
            click.echo(io_error_message(error), err=True)
            sys.exit(USER_ERROR)
        except Exception as error:  # everything else is a defect in csdiag
            if debugging(ctx):
                traceback.print_exc()
                sys.exit(INTERNAL_ERROR)
            kind = type(error).__name__
            detail = str(error).splitlines()[0] if str(error) else ""
            what = f"{kind}: {detail}" if detail else kind
            click.echo(gettext("internal error ({error}): a defect in csdiag, not in your "
                               "files. Please report it to the csdiag maintainers with the "
                               "command and files used; run again with --debug (or "
                               "{variable}=1) to see the traceback.").format(
                                   error=what, variable=DEBUG_VARIABLE), err=True)
            sys.exit(INTERNAL_ERROR)
