"""`csdiag interview`: the terminal side of a consultation (features.interview is the
session itself)."""

from __future__ import annotations

import io
import os
import shutil
import sys
from pathlib import Path

import click

from csdiag import STDIN, Interview, OpenQuestion, Problem, UserError, Workspace
from csdiag.cli.help import LocalisedCommand
from csdiag.cli.options import chosen_language, echo, knowledge_options, open_workspace
from csdiag.i18n import (
    DEFAULT_LANGUAGE,
    N_,
    current_language,
    fixed,
    gettext,
    ngettext,
    set_language,
)
from csdiag.render import summary_line, wrap


class _StopAsking(Exception):
    pass


HELP_INTERVIEW = N_("""Ask for the facts that matter, most useful first, and save a case file.

Starts from CASE (or from nothing) and asks, one at a time, for the unknown fact
that decides the most undetermined diagnoses (weighted by severity), keeping to one
topic (or, with --group-by respondent, to one person to ask) while it has questions
worth asking, and stops by itself when no answer left could change a diagnosis.

Answer with a value (38%, 8 days, at least 20, 15-25, yes, a word of a listed
value), followed if you like by 'note: where it comes from' and '~0.6' for an
estimate. Or: unknown, skip (ask later), back (take the last answer back), why
(what it could settle), stop, help or ?. Every answer is saved at once, so Ctrl-C
or end of input loses nothing; what nobody knew is saved as unknown and asked
last when the case is resumed. Answers can be piped.

\b
Examples:
  csdiag interview -o acme.yaml --organisation "Acme Ltd"
  csdiag interview cases/swiftcart-quickwin.yaml -o swiftcart-visit-2.yaml
  csdiag interview acme.yaml -o acme.yaml --force      # resume, in place""")


@click.command(cls=LocalisedCommand, help=HELP_INTERVIEW)
@click.argument("case_path", metavar="[CASE]", required=False,
                type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", required=True,
              type=click.Path(path_type=Path, dir_okay=False),
              help=N_("The case file to write. An existing file is replaced only with "
                      "--force."))
@click.option("--force", is_flag=True,
              help=N_("Replace the -o file if it exists (resume a case in place)."))
@click.option("--group-by", type=click.Choice(["topic", "respondent"]), default="topic",
              show_default=True,
              help=N_("Keep to one topic, or to one person to ask (head of service, "
                      "operations, HR, front line, finance), while it has questions."))
@click.option("--organisation", default=None,
              help=N_("For a new case (default: 'Unnamed organisation', in the language "
                      "of the interview)."))
@click.option("--assessor", default=None,
              help=N_("For a new case (default: $USER, else 'an unnamed assessor', in the "
                      "language of the interview)."))
@knowledge_options
def interview(case_path: Path | None, output: Path, force: bool, group_by: str,
              organisation: str | None, assessor: str | None, rules: tuple[Path, ...],
              no_builtin_rules: bool) -> None:
    if case_path is not None and str(case_path) == STDIN:
        raise UserError([Problem(STDIN, None, None, gettext(
            "the interview reads its answers from standard input, so it cannot read the "
            "case from there too"), gettext(
                "give the case as a file: save it first (e.g. '... > case.yaml'), then "
                "'csdiag interview case.yaml -o OUT.yaml'"))])
    if sys.stdin is None or sys.stdin.closed:
        raise UserError([Problem("interview", None, None, gettext(
            "there is no input to read answers from (standard input is closed)"),
            gettext("run it in a terminal, or pipe the answers in"))])
    if isinstance(sys.stdin, io.TextIOWrapper):
        # Bytes that are not UTF-8 become U+FFFD, which the answer parser refuses politely.
        sys.stdin.reconfigure(errors="replace")
    workspace = open_workspace(rules, no_builtin_rules)
    workspace.check_case_output(output)
    # Only answers are read from standard input: replacing a file is said with --force.
    if output.exists() and not force:
        raise UserError([Problem(str(output), None, None, gettext(
            "the file exists; nothing was written"),
            gettext("add --force to replace it (or resume it in place), or give another "
                    "-o file"))])
    if case_path is not None:
        case = workspace.load_case(case_path)
        case.file = str(output)
    else:
        # Said in the language of the interview, as the case file it goes into is.
        case = workspace.new_case(output, organisation or gettext("Unnamed organisation"),
                                  assessor or os.environ.get("USER")
                                  or gettext("an unnamed assessor"))
        # A new case is written in the language it was asked in.
        case.language = chosen_language() or (current_language() if current_language()
                                              != DEFAULT_LANGUAGE else None)
    set_language(workspace.report_language(case))
    session = workspace.interview(case)
    session.group_by = group_by
    say(gettext("Answer each question with a value, or: unknown, skip, back, why, stop, "
                "help."))
    group = None
    saver = _Saver(workspace, output)
    in_place = case_path is not None and output.exists() and \
        output.resolve() == case_path.resolve()
    shown = 0  # questions put so far, a skipped one included
    try:
        while (question := session.next_question()) is not None:
            shown += 1
            echo("")
            if session.group_of(question.fact) != group:
                group = session.group_of(question.fact)
                say(f"— {group} —")
            say(gettext("Question {n} of about {total}").format(
                n=shown, total=shown - 1 + session.about()))
            for line in wrap(f"[{question.fact}] {question.question}", hang=2):
                echo(line)
            count = len(question.decides)
            allowed = workspace.fact(question.fact).allowed()
            for line in wrap(ngettext("({allowed}; could settle {count} diagnosis)",
                                      "({allowed}; could settle {count} diagnoses)",
                                      count).format(allowed=allowed, count=count), "  ",
                             hang=1):
                echo(line)
            _ask(session, question, saver)
        echo("")
        say(gettext("Nothing left to ask could change the result."))
    except (_StopAsking, click.Abort, KeyboardInterrupt, EOFError):
        echo("")
        say(gettext("Stopped."))
    if not saver.saved:
        # Nothing answered, nothing written: a case of no facts (from input that ended at
        # once, say) helps no one, and a resumed case is left exactly as it was.
        say(gettext("No answer was given, so {file} was not written.").format(file=output)
            if not in_place else
            gettext("No answer was given; {file} is unchanged.").format(file=output))
        return
    result = session.result
    assert result is not None
    known = len(session.case.facts)
    say(gettext("Saved {file}: {known}; asked {asked} (the vocabulary has {total}).").format(
        file=output,
        known=ngettext("{count} fact known", "{count} facts known", known).format(count=known),
        asked=ngettext("{count} question", "{count} questions", session.asked).format(
            count=session.asked),
        total=ngettext("{count} fact", "{count} facts", len(workspace.facts())).format(
            count=len(workspace.facts()))))
    say(gettext("Result: {summary}.").format(summary=summary_line(result)))
    for conclusion in result.diagnoses:
        say(gettext("  - {title} [{id}], certainty {certainty}").format(
            title=conclusion.rule.title, id=conclusion.rule.id,
            certainty=fixed(conclusion.certainty)))


def say(text: str) -> None:
    """Print `text` wrapped to the terminal's width, keeping its indentation."""
    indent = text[:len(text) - len(text.lstrip(" "))]
    for line in wrap(text, indent, hang=2):  # continuation lines hang under the first
        echo(line)


def _stdin_is_piped() -> bool:
    try:
        return not os.isatty(sys.stdin.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        return False  # not a real file (click's test runner echoes answers itself)


MAX_LINE = 4096  # characters read of one piped answer; the rest of the line is skipped


def _read_piped() -> str:
    """One answer from a pipe, reading at most MAX_LINE characters of it (a line of
    gigabytes is skipped, not held); end of input is EOFError."""
    echo("> ", nl=False)
    line = sys.stdin.readline(MAX_LINE)
    if not line:
        raise EOFError
    rest = line
    while len(rest) == MAX_LINE and not rest.endswith("\n"):
        rest = sys.stdin.readline(MAX_LINE)
    return line.rstrip("\n")


class _Saver:
    """Saves the case after each answer. Before it first replaces a file that exists (a
    case resumed in place with --force), the file is kept as FILE.bak: the case is
    written anew, and the comments and layout of the original would be lost."""

    def __init__(self, workspace: Workspace, output: Path) -> None:
        self.workspace = workspace
        self.output = output
        self.saved = False

    def save(self, session: Interview) -> None:
        if not self.saved and self.output.is_file():
            backup = self.output.with_name(self.output.name + ".bak")
            shutil.copy2(self.output, backup)
            say(gettext("  (the file as it was is kept as {backup})").format(backup=backup))
        self.workspace.save_case(session.case, self.output)
        self.saved = True


def _ask(session: Interview, question: OpenQuestion, saver: _Saver) -> None:
    """One question, asked until it gets a usable answer."""
    piped = _stdin_is_piped()
    while True:
        if piped:
            text = _read_piped()
        else:
            text = click.prompt(">", prompt_suffix=" ", default="", show_default=False)
        if piped:
            # A terminal echoes what was typed; a pipe does not (control keys shown as �).
            echo("".join(c if c.isprintable() else "\ufffd" for c in text.strip()))
        reply = session.respond(question, text)
        if reply.stop:
            raise _StopAsking
        if reply.changed:
            saver.save(session)
        for line in reply.lines:
            say(line)
        if reply.next:
            return
