"""The `csdiag` command: parses arguments and calls the library, nothing more.

Exit codes: 0 the run worked (whether or not causes were found); 1 checks the user
asked for failed (reserved for rule linting and rule tests); 2 a user error (bad
file, unknown fact, broken rule, bad option); 3 an internal error in csdiag.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from csdiag import __version__
from csdiag.api import Diagnoser, default_user_folders, rule_folders
from csdiag.authoring.lint import lint_folders
from csdiag.authoring.rule_tests import run_rule_tests
from csdiag.authoring.scaffold import NewRule, parse_value, write_new_rule
from csdiag.engine.run import EngineError
from csdiag.features.explain import Explainer
from csdiag.features.interview import Interview, changes, empty_case, save_case
from csdiag.features.plan import parse_settings, plan_case, with_changes
from csdiag.formats.errors import Problem, UserError
from csdiag.formats.json_schema import KINDS, json_schema
from csdiag.formats.rule_pack import builtin_rules_folder, load_knowledge_base, read_rule_pack
from csdiag.reason.diagnosis import DEFAULT_THRESHOLD, OpenQuestion
from csdiag.render.coverage import render_coverage
from csdiag.render.explanation import render_explanation_json, render_explanation_text
from csdiag.render.json_report import render_json
from csdiag.render.markdown import render_markdown
from csdiag.render.plan import render_plan_json, render_plan_text
from csdiag.render.text import render_text, summary_line

RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}


def _reports_errors(command: Callable[..., None]) -> Callable[..., None]:
    """Show user errors as located messages with exit code 2, never as a traceback."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except UserError as error:
            count = len(error.problems)
            click.echo(str(error), err=True)
            if count > 1:
                click.echo(f"{count} problems; nothing was run or written.", err=True)
            sys.exit(2)
        except EngineError as error:
            click.echo(f"internal error: {error}\nplease report this with the files used.",
                       err=True)
            sys.exit(3)

    return run


def _rules_options(command: Callable[..., None]) -> Callable[..., None]:
    command = click.option(
        "--rules", "rules", multiple=True, type=click.Path(path_type=Path),
        help="A folder of rule files (and optionally a vocabulary.yaml) to use as well as the "
             "built-in rules. Repeatable. Default: the folders in $CSDIAG_RULES.")(command)
    return click.option(
        "--no-builtin-rules", is_flag=True,
        help="Use only the folders given with --rules, not the built-in knowledge base.")(command)


def _knowledge_folders(rules: tuple[Path, ...], no_builtin_rules: bool) -> list[Path]:
    if no_builtin_rules and not rules:
        raise UserError([Problem(
            "--no-builtin-rules", None, None, "no rules left to use",
            "give at least one --rules DIR with --no-builtin-rules")])
    return rule_folders(list(rules), builtin=not no_builtin_rules)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="csdiag")
def cli() -> None:
    """csdiag: find out why customer service is poor.

    Rules, each encoding one known cause of poor service, are matched against the
    organisational facts in a case file. csdiag reports the causes it diagnosed,
    how certain it is, the evidence, what it could not assess and the remedies.

    \b
    Examples:
      csdiag diagnose cases/northwind-telecom.yaml
      csdiag diagnose cases/ --format json
      csdiag rules list
      csdiag facts
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(sorted(RENDERERS)),
              default="text", show_default=True, help="How to print the report.")
@click.option("--threshold", type=click.FloatRange(0, 1), default=DEFAULT_THRESHOLD,
              show_default=True, help="Combined certainty below which a diagnosis is listed "
              "as a weak signal.")
@click.option("--set", "settings", multiple=True, metavar="FACT=VALUE",
              help="What if: diagnose as if the fact had this value. Repeatable.")
@click.option("--explanations/--no-explanations", default=True, show_default=True,
              help="With --format json: give each diagnosis, weak signal, ruled-out and "
              "not-assessable entry its explanation, as 'csdiag explain --format json' "
              "prints it. --no-explanations makes the report smaller and faster.")
@_rules_options
@_reports_errors
def diagnose(paths: tuple[Path, ...], output_format: str, threshold: float,
             settings: tuple[str, ...], explanations: bool, rules: tuple[Path, ...],
             no_builtin_rules: bool) -> None:
    """Diagnose case files (files, or folders of .yaml case files).

    \b
    Examples:
      csdiag diagnose cases/northwind-telecom.yaml
      csdiag diagnose cases/ --format markdown > report.md
      csdiag diagnose my-case.yaml --rules ~/my-rules --format json
      csdiag diagnose cases/northwind-telecom.yaml --set training.new_hire_days=30
    """
    diagnoser = Diagnoser.from_folders(_knowledge_folders(rules, no_builtin_rules))
    cases = diagnoser.load_cases(list(paths))
    changes = parse_settings(list(settings), diagnoser.kb.vocabulary)
    cases = [with_changes(case, changes) if changes else case for case in cases]
    if output_format == "json" and explanations:
        explainers = [Explainer(diagnoser, case, threshold) for case in cases]
        click.echo(render_json([e.result() for e in explainers],
                               [e.explain_all() for e in explainers]), nl=False)
    else:
        results = [diagnoser.diagnose(case, threshold) for case in cases]
        click.echo(RENDERERS[output_format](results), nl=False)


@cli.command()
@click.argument("case_path", metavar="CASE", type=click.Path(path_type=Path))
@click.argument("rule_id", metavar="RULE-ID")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--threshold", type=click.FloatRange(0, 1), default=DEFAULT_THRESHOLD,
              show_default=True, help="As for diagnose.")
@_rules_options
@_reports_errors
def explain(case_path: Path, rule_id: str, output_format: str, threshold: float,
            rules: tuple[Path, ...], no_builtin_rules: bool) -> None:
    """Explain how a diagnosis was reached, or why it was not.

    For a conclusion reached: the chain from facts through findings, each rule with
    its conditions, the case's values and the certainty it added. For one not
    reached: each condition that failed (case value and what the rule needed), each
    fact that was unknown, and the nearest way to reach it.

    \b
    Examples:
      csdiag explain cases/northwind-telecom.yaml turnover-training-vicious-circle
      csdiag explain cases/brightline-bank.yaml no-management-backing --format json
    """
    diagnoser = Diagnoser.from_folders(_knowledge_folders(rules, no_builtin_rules))
    (case,) = diagnoser.load_cases([case_path])
    explanation = Explainer(diagnoser, case, threshold).explain(rule_id)
    render = render_explanation_json if output_format == "json" else render_explanation_text
    click.echo(render(explanation), nl=False)


@cli.command()
@click.argument("case_path", metavar="CASE", type=click.Path(path_type=Path))
@click.option("--combine", type=click.IntRange(1, 3), default=2, show_default=True,
              help="Largest number of remedies tried together.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@_rules_options
@_reports_errors
def plan(case_path: Path, combine: int, output_format: str, rules: tuple[Path, ...],
         no_builtin_rules: bool) -> None:
    """Rank remedies by the severity-weighted certainty they would remove.

    Each remedy that declares the facts it changes is tried by diagnosing the case
    again with those facts set; so are combinations of the best ones. Each option
    lists the diagnoses it clears or reduces.

    \b
    Example:
      csdiag plan cases/northwind-telecom.yaml
    """
    diagnoser = Diagnoser.from_folders(_knowledge_folders(rules, no_builtin_rules))
    (case,) = diagnoser.load_cases([case_path])
    result = plan_case(diagnoser, case, combine)
    click.echo((render_plan_json if output_format == "json" else render_plan_text)(result),
               nl=False)


class _StopAsking(Exception):
    pass


@cli.command()
@click.argument("case_path", metavar="[CASE]", required=False, type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="The case file to write (asked before an existing file is replaced).")
@click.option("--organisation", default="Unnamed organisation", show_default=True,
              help="For a new case.")
@click.option("--assessor", default=lambda: os.environ.get("USER", "unknown"),
              help="For a new case (default: $USER).")
@_rules_options
@_reports_errors
def interview(case_path: Path | None, output: Path, organisation: str, assessor: str,
              rules: tuple[Path, ...], no_builtin_rules: bool) -> None:
    """Ask for the facts that matter, most useful first, and save a case file.

    Starts from CASE (or from nothing) and asks, one at a time, for the unknown fact
    that decides the most undetermined diagnoses (weighted by severity). Answer with
    a value, or: unknown, skip (ask later), why (what it decides), stop. Every answer
    is saved at once, so Ctrl-C or end of input loses nothing. Answers can be piped.

    \b
    Examples:
      csdiag interview -o acme.yaml --organisation "Acme Ltd"
      csdiag interview cases/swiftcart-quickwin.yaml -o swiftcart-visit-2.yaml
    """
    diagnoser = Diagnoser.from_folders(_knowledge_folders(rules, no_builtin_rules))
    if case_path is not None:
        (case,) = diagnoser.load_cases([case_path])
        case.file = str(output)
    else:
        case = empty_case(output, organisation, assessor)
    if output.exists() and not click.confirm(f"{output} exists. Replace it?", default=False):
        raise UserError([Problem(str(output), None, None, "the file exists; nothing was "
                                 "written", "give another -o file, or answer y to replace it")])
    session = Interview(diagnoser, case)
    click.echo("Answer each question with a value, or: unknown, skip, why, stop.")
    try:
        while (question := session.next_question()) is not None:
            click.echo(f"\n[{question.fact}] {question.question}")
            count = len(question.decides)
            allowed = diagnoser.kb.vocabulary[question.fact].allowed()
            click.echo(f"  ({allowed}; could settle {count} "
                       f"{'diagnosis' if count == 1 else 'diagnoses'})")
            _ask(session, question, output)
        click.echo("\nNothing left to ask could change the result.")
    except (_StopAsking, click.Abort, KeyboardInterrupt, EOFError):
        click.echo("\nStopped.")
    finally:
        save_case(session.case, output)
    result = session.result
    assert result is not None
    asked = f"{session.asked} question{'' if session.asked == 1 else 's'}"
    click.echo(f"Saved {output}: {len(session.case.facts)} facts known; asked "
               f"{asked} (the vocabulary has "
               f"{len(diagnoser.kb.vocabulary.facts)} facts).")
    click.echo(f"Result: {summary_line(result)}.")
    for conclusion in result.diagnoses:
        click.echo(f"  - {conclusion.rule.title} [{conclusion.rule.id}], certainty "
                   f"{conclusion.certainty:.2f}")


def _stdin_is_piped() -> bool:
    try:
        return not os.isatty(sys.stdin.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        return False  # not a real file (click's test runner echoes answers itself)


def _ask(session: Interview, question: OpenQuestion, output: Path) -> None:
    """One question, asked until it gets a usable answer."""
    while True:
        text = click.prompt(">", prompt_suffix=" ", default="", show_default=False).strip()
        if _stdin_is_piped():
            click.echo(text)  # a terminal echoes what was typed; a pipe does not
        word = text.lower()
        if word == "stop":
            raise _StopAsking
        if word == "skip":
            session.skip(question.fact)
            return
        if word in ("unknown", "?"):
            session.decline(question.fact)
            return
        if word == "why":
            kb = session.diagnoser.kb
            for rule_id in question.decides:
                click.echo(f"  decides: {kb.rules[rule_id].title} [{rule_id}]")
            continue
        if not text:
            continue
        value, why = session.check(question.fact, text)
        if why:
            click.echo(f"  not accepted: {why}")
            continue
        before, after = session.answer(question.fact, value)  # type: ignore[arg-type]
        save_case(session.case, output)
        for line in changes(before, after):
            click.echo(f"  → {line}")
        return


@cli.group(name="rules")
def rules_group() -> None:
    """Inspect the rules in the knowledge base."""


@rules_group.command(name="list")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@_rules_options
@_reports_errors
def rules_list(output_format: str, rules: tuple[Path, ...], no_builtin_rules: bool) -> None:
    """List every rule: id, kind, severity, certainty and file.

    \b
    Example:
      csdiag rules list --format json
    """
    kb = load_knowledge_base(_knowledge_folders(rules, no_builtin_rules))
    ordered = sorted(kb.rules.values(), key=lambda r: (r.kind, r.file))
    if output_format == "json":
        click.echo(json.dumps([{"id": r.id, "kind": r.kind, "title": r.title,
                                "category": r.category, "severity": r.severity,
                                "certainty": r.certainty, "file": r.file} for r in ordered],
                              indent=2, ensure_ascii=False))
        return
    for r in ordered:
        click.echo(f"{r.id:40} {r.kind:9} {r.severity or '-':8} {r.certainty:4.2f}  {r.title}")
    click.echo(f"\n{len(ordered)} rules ({len(kb.diagnoses())} diagnoses, "
               f"{len(ordered) - len(kb.diagnoses())} findings)")


@rules_group.command(name="lint")
@click.argument("folders", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--no-builtin-rules", is_flag=True,
              help="Check the folders on their own, without the built-in pack.")
@_reports_errors
def rules_lint(folders: tuple[Path, ...], strict: bool, no_builtin_rules: bool) -> None:
    """Check rule folders: every problem, with file:line:column and a fix.

    With no FOLDERS, lints the built-in rules. Other folders are read on top of
    the built-in pack (its facts and findings), and only their own problems are
    reported. Exit code 1 when any error is found (with --strict, any warning too).

    \b
    Examples:
      csdiag rules lint
      csdiag rules lint ~/my-rules --strict
    """
    report = lint_folders(*_targets_and_context(list(folders), no_builtin_rules))
    for problem in report.problems:
        click.echo(str(problem))
    click.echo(f"{len(report.errors)} errors, {len(report.warnings)} warnings "
               f"({report.silenced} silenced) in {report.rules} rules")
    if report.errors or (strict and report.warnings):
        sys.exit(1)


@rules_group.command(name="test")
@click.argument("folders", nargs=-1, type=click.Path(path_type=Path))
@click.option("--coverage", "show_coverage", is_flag=True,
              help="Report, per rule and condition, whether fixtures made it true and false.")
@click.option("--min-coverage", type=click.FloatRange(0, 100), default=None,
              help="Fail when the share of conditions covered both ways is below this %.")
@click.option("--no-builtin-rules", is_flag=True,
              help="Test the folders on their own, without the built-in pack.")
@_reports_errors
def rules_test(folders: tuple[Path, ...], show_coverage: bool, min_coverage: float | None,
               no_builtin_rules: bool) -> None:
    """Run the fixtures beside each rule (<rule-id>.test.yaml) through the real engine.

    Prints one line per failing fixture and a 'N passed, N failed' line; exit code 1
    when any fixture fails (or coverage is below --min-coverage).

    \b
    Examples:
      csdiag rules test
      csdiag rules test ~/my-rules --coverage --min-coverage 100
    """
    report = run_rule_tests(*_targets_and_context(list(folders), no_builtin_rules))
    for failure in report.failed:
        click.echo(f"FAIL {failure.file}:{failure.line} {failure.rule} / {failure.name}: "
                   f"{failure.difference}")
    if show_coverage or min_coverage is not None:
        click.echo(render_coverage(report))
    click.echo(f"{len(report.results) - len(report.failed)} passed, {len(report.failed)} failed")
    too_low = min_coverage is not None and report.coverage_share() * 100 < min_coverage
    if report.failed or too_low:
        sys.exit(1)


@rules_group.command(name="new")
@click.argument("rule_id")
@click.option("--folder", type=click.Path(path_type=Path), prompt="Folder for the rule",
              default=lambda: str((default_user_folders() or [Path("my-rules")])[0]),
              help="Where to write the rule (default: the first $CSDIAG_RULES folder).")
@click.option("--kind", type=click.Choice(["diagnosis", "finding"]), prompt=True,
              default="diagnosis", help="A diagnosis is reported; a finding feeds other rules.")
@click.option("--title", prompt=True, help="A short title, e.g. 'Repeat contacts swamp the "
              "front line'.")
@click.option("--fact", prompt="Fact the rule tests ('csdiag facts' lists them)",
              help="The declared fact the first condition tests.")
@click.option("--op", type=click.Choice(["eq", "ne", "gt", "ge", "lt", "le", "in", "not_in"]),
              prompt="Operator", help="How the fact is compared.")
@click.option("--value", prompt=True, help="The value compared with, e.g. 70, false, "
              "budget_cap or '[a, b]'.")
@click.option("--severity", type=click.Choice(["low", "medium", "high", "critical"]),
              default="medium", show_default=True)
@click.option("--category", default="general", show_default=True)
@click.option("--no-builtin-rules", is_flag=True,
              help="The folder stands alone: use only its own vocabulary.")
@_reports_errors
def rules_new(rule_id: str, folder: Path, kind: str, title: str, fact: str, op: str, value: str,
              severity: str, category: str, no_builtin_rules: bool) -> None:
    """Scaffold a rule file and its fixtures, valid from the start.

    Writes FOLDER/RULE_ID.yaml and FOLDER/RULE_ID.test.yaml (and JSON Schemas for
    editors), never overwriting a file, then lints and tests them. Flags not given
    are asked for.

    \b
    Example:
      csdiag rules new chronic-under-capacity --folder my-rules --kind diagnosis \\
        --title "Chronic under-capacity" --fact ops.occupancy_pct --op gt --value 85
    """
    targets, context = _targets_and_context([folder], no_builtin_rules)
    vocabulary = read_rule_pack([*context, *[t for t in targets if t.is_dir()]]).vocabulary
    request = NewRule(rule_id, kind, title, fact, op, parse_value(value), severity, category)
    for path in write_new_rule(request, folder, vocabulary):
        click.echo(f"wrote {path}")
    report = lint_folders(targets, context)
    tests = run_rule_tests(targets, context)
    # The TODOs are expected right after scaffolding; the closing line says to fill them in.
    mine = [p for p in report.problems
            if Path(p.file).stem == rule_id and p.check != "placeholder-text"]
    for problem in mine:
        click.echo(str(problem))
    own = [r for r in tests.results if r.rule == rule_id]
    click.echo(f"lint: {sum(p.severity == 'error' for p in mine)} errors; "
               f"tests: {sum(r.passed for r in own)} passed, "
               f"{sum(not r.passed for r in own)} failed")
    click.echo("next: fill in the TODOs (description, remedies, sources, fixture names), add "
               "conditions, then run 'csdiag rules lint' and 'csdiag rules test' on the folder.")


def _targets_and_context(folders: list[Path], no_builtin_rules: bool
                         ) -> tuple[list[Path], list[Path]]:
    """The folders to check, and the built-in pack they build on (its vocabulary, its
    findings, the rules they may override), unless told to stand alone."""
    builtin = builtin_rules_folder()
    if not folders:
        return [builtin], []
    if no_builtin_rules or any(f.resolve() == builtin.resolve() for f in folders):
        return folders, []
    return folders, [builtin]


@cli.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@_rules_options
@_reports_errors
def facts(output_format: str, rules: tuple[Path, ...], no_builtin_rules: bool) -> None:
    """List the fact vocabulary: each fact, its type, allowed values and the question to ask.

    \b
    Example:
      csdiag facts | grep training
    """
    kb = load_knowledge_base(_knowledge_folders(rules, no_builtin_rules))
    definitions = [kb.vocabulary[name] for name in kb.vocabulary.names()]
    if output_format == "json":
        click.echo(json.dumps([{"name": d.name, "type": d.type, "unit": d.unit,
                                "allowed": d.allowed(), "meaning": d.meaning,
                                "question": d.question} for d in definitions],
                              indent=2, ensure_ascii=False))
        return
    for d in definitions:
        unit = f", {d.unit}" if d.unit else ""
        click.echo(f"{d.name}  ({d.type}{unit}; {d.allowed()})")
        click.echo(f"    {d.meaning}")
        click.echo(f"    ask: {d.question}")
    click.echo(f"\n{len(definitions)} facts")


@cli.command()
@click.argument("kind", type=click.Choice(KINDS))
@_rules_options
@_reports_errors
def schema(kind: str, rules: tuple[Path, ...], no_builtin_rules: bool) -> None:
    """Print the JSON Schema of a rule, case or fixture file, for editors.

    The schema lists every declared fact, so an editor completes fact names and
    flags wrong values as you type. The built-in schemas ship in schemas/; with
    --rules, the schema covers your facts too.

    \b
    Examples:
      csdiag schema case > case.schema.json
      csdiag schema rule --rules ~/my-rules > ~/my-rules/rule.schema.json
    """
    kb = load_knowledge_base(_knowledge_folders(rules, no_builtin_rules))
    click.echo(json.dumps(json_schema(kind, kb.vocabulary), indent=2, ensure_ascii=False))


def main() -> None:
    cli()
