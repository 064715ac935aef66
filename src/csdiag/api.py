"""The library facade: a Workspace is a knowledge base (rule folders) and everything csdiag
does with it. Every CLI command is one call here; embedders use the same calls.

    >>> from csdiag import Workspace
    >>> workspace = Workspace()                       # the built-in knowledge base
    >>> (case,) = workspace.load_cases(["cases/northwind-telecom.yaml"])
    >>> result = workspace.diagnose(case)

durable_rules is imported only when a case is first run (diagnose, explain, plan,
interview, and the fixtures that test_rules and new_rule run), so listing facts or
rules, printing a schema or linting never loads it.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csdiag.collector import collector_paused, fewer_collections
from csdiag.engine.pack_cache import cached_knowledge_base, cached_rulesets, rulesets_in_cache
from csdiag.formats.case import (
    Case,
    CaseFiles,
    KeptCases,
    case_files,
    empty_case,
    load_case,
    reads_stdin,
    save_case,
    with_changes,
    writable_case_path,
)
from csdiag.formats.errors import Problem, UserError, did_you_mean
from csdiag.formats.rule import Rule
from csdiag.formats.rule_pack import RulePack, builtin_rules_folder, read_rule_pack, rule_files
from csdiag.formats.values import parse_settings
from csdiag.formats.vocabulary import FactDefinition, FactValue
from csdiag.i18n import LANGUAGES, current_language, gettext, language_of, use_language
from csdiag.model.knowledge_base import KnowledgeBase
from csdiag.model.outcome import Runner
from csdiag.reason.certainty import DEFAULT_THRESHOLD

# Each feature's module is imported by the method that uses it, so that a command
# loads only what it runs (listing facts reads no case, runs no engine).
if TYPE_CHECKING:
    from csdiag.authoring.lint import LintReport
    from csdiag.authoring.new_fact import NewFact
    from csdiag.authoring.rule_tests import RuleTestReport
    from csdiag.authoring.scaffold import NewRule, NewRuleReport
    from csdiag.authoring.validate import ValidationReport
    from csdiag.engine.compile import CompiledRuleset
    from csdiag.features.compare import CaseComparison
    from csdiag.features.explain import Explanation
    from csdiag.features.interview import Interview
    from csdiag.features.merge import MergeReport
    from csdiag.features.plan import Plan
    from csdiag.formats.case_batch import CaseSurvey
    from csdiag.reason.diagnosis import CaseResult, Diagnoser

RULES_VARIABLE = "CSDIAG_RULES"
# Case files read and handed to the engine together by diagnose_each (it runs them in
# batches of its own); larger chunks keep more reports in memory at once.
CASES_AT_ONCE = 256
PathLike = str | os.PathLike[str]


def default_user_folders() -> list[Path]:
    """Rule folders named in $CSDIAG_RULES (separated like PATH), used when none are given."""
    value = os.environ.get(RULES_VARIABLE, "")
    return [_expanded(Path(part)) for part in value.split(os.pathsep) if part.strip()]


def _expanded(path: Path) -> Path:
    try:
        return path.expanduser()
    except RuntimeError:  # ~user of no such user: kept as written, reported as missing
        return path


def _new_runner(kb: KnowledgeBase, rulesets: list[CompiledRuleset] | None = None) -> Runner:
    """The engine for `kb`, with its compiled `rulesets` when they are at hand."""
    # Imported here, not above: only running a case needs durable_rules.
    from csdiag.engine.run import Engine
    from csdiag.reason.settle import CertaintyReasoner

    return Engine(kb, CertaintyReasoner(kb),
                  rulesets if rulesets is not None else cached_rulesets(kb))


class Workspace:
    """A knowledge base and what csdiag does with it.

    `folders` are the user's rule folders, read on top of the built-in knowledge base
    (unless `builtin=False`); None means the folders in $CSDIAG_RULES. A later folder's
    rule may replace an earlier one's only when it says 'overrides: true'. The knowledge
    base is read on first use; its problems are raised as one UserError.
    """

    def __init__(self, folders: Sequence[PathLike] | None = None, *, builtin: bool = True,
                 language: str | None = None):
        self.user_folders = ([Path(f) for f in folders] if folders is not None
                             else default_user_folders())
        self.builtin = builtin
        if language is not None and language_of(language) is None:
            raise UserError([Problem("language", None, None, gettext(
                "unknown language '{language}'").format(language=language),
                did_you_mean(language, LANGUAGES, gettext("use one of: {values}").format(
                    values=", ".join(LANGUAGES))))])
        # Reports are written in it; None: each case's own language, else the one in use.
        self.language = language_of(language) if language else None
        if not builtin and not self.user_folders:
            raise UserError([Problem(
                "--no-builtin-rules", None, None, gettext("no rules left to use"),
                gettext("give at least one --rules DIR with --no-builtin-rules"))])
        self._kb: KnowledgeBase | None = None
        self._diagnoser: Diagnoser | None = None

    @property
    def folders(self) -> list[Path]:
        """Every folder the knowledge base is read from, in order."""
        return ([builtin_rules_folder()] if self.builtin else []) + self.user_folders

    @property
    def kb(self) -> KnowledgeBase:
        if self._kb is None:
            self._kb = cached_knowledge_base(self.folders)
        return self._kb

    @property
    def diagnoser(self) -> Diagnoser:
        """The knowledge base compiled into the inference engine (on first use). A pack
        with lint errors (a contradiction, a rule that can never fire) is refused."""
        if self._diagnoser is None:
            from csdiag.reason.diagnosis import Diagnoser

            # Rulesets in the cache were compiled from this very pack after it passed.
            rulesets = rulesets_in_cache(self.kb)
            if rulesets is None:
                _refuse_if_broken(self.kb)
            self._diagnoser = Diagnoser(self.kb, _new_runner(self.kb, rulesets))
        return self._diagnoser

    def close(self) -> None:
        """Free the engine's compiled rulesets; the workspace compiles anew if used again."""
        if self._diagnoser is not None:
            self._diagnoser.runner.close()
            self._diagnoser = None

    def reload(self) -> None:
        """Read the rule folders again on next use (after rule files changed)."""
        self.close()
        self._kb = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- cases ---------------------------------------------------------------------

    def load_cases(self, paths: Sequence[PathLike]) -> list[Case]:
        """Read case files (and folders of them; '-' reads one case from standard input,
        and may be given once); one UserError lists every problem."""
        cases: list[Case] = []
        problems: list[Problem] = []
        for path in case_files([Path(p) for p in paths]):
            try:
                cases.append(load_case(path, self.kb.vocabulary))
            except UserError as error:
                problems += error.problems
        if problems:
            raise UserError(problems)
        return cases

    def check_cases(self, paths: Sequence[PathLike]) -> CaseFiles:
        """The case files at `paths` (folders searched), each read and checked; one
        UserError lists every problem. Only the first CASES_AT_ONCE cases are kept, for
        diagnose_each to take rather than read again (the files are walked again when
        the result is iterated), so any number can be checked."""
        files = CaseFiles(Path(p) for p in paths)
        problems: list[Problem] = []
        count = 0
        try:
            for path in files:
                count += 1
                try:
                    # The first are kept: a run of a few files reads each one once.
                    files.kept.keep(path, load_case(path, self.kb.vocabulary),
                                    self.kb.vocabulary, CASES_AT_ONCE)
                except UserError as error:
                    problems += error.problems
        except UserError as error:  # a missing path, an empty folder
            problems += error.problems
        if problems:
            raise UserError(problems)
        files.count = count
        return files

    def survey_cases(self, paths: Sequence[PathLike]) -> CaseSurvey:
        """Check the case files at `paths` (folders searched) as check_cases does, but
        raise nothing: the survey holds every bad file's problems, the good files to
        diagnose (`files`, for diagnose_each with checked=True) and the files that are
        the same case on the same date."""
        from csdiag.formats.case_batch import survey_cases

        # The first cases are kept whole: a run of a few files reads each one once.
        return survey_cases([Path(p) for p in paths], self.kb.vocabulary, CASES_AT_ONCE)

    def diagnose_each(self, paths: CaseFiles | Sequence[PathLike],
                      threshold: float = DEFAULT_THRESHOLD,
                      settings: Sequence[str] = (), explanations: bool = False,
                      checked: bool = False, jobs: int | None = 1
                      ) -> Iterator[tuple[CaseResult, dict[str, Explanation] | None]]:
        """Diagnose the case files at `paths` one at a time, in memory that does not grow
        with their number: every file and setting is checked first (one UserError lists
        every problem, before any case is run), then each case is read, diagnosed and
        given up in turn. With `explanations`, each result comes with every
        explanation, from the same engine run. `checked`: the paths are the files
        check_cases returned, so they are not checked again. `jobs`: worker processes
        to spread the cases over (None: one per core; each reads the rules and runs an
        engine of its own);
        the results, and their order, are the same as with one. A few files (under
        FEWEST_FILES_FOR_WORKERS) are diagnosed in this process whatever `jobs` says."""
        from csdiag.workers import FEWEST_FILES_FOR_WORKERS, default_jobs, diagnose_in_workers

        changes = parse_settings(list(settings), self.kb.vocabulary)
        # Not made a list: a CaseFiles walks its folders afresh, in no memory.
        files = paths if checked else self.check_cases(list(paths))
        jobs = jobs or default_jobs()
        given = files.paths if isinstance(files, CaseFiles) else files
        if (jobs > 1 and len(files) >= FEWEST_FILES_FOR_WORKERS
                and not any(reads_stdin(Path(f)) for f in given)):  # stdin is this process's
            _refuse_if_broken(self.kb)  # here, as a user error, not inside a worker
            if isinstance(files, CaseFiles):
                files.kept.cases.clear()  # each worker reads its own files
            return diagnose_in_workers(self, (str(f) for f in files), jobs, threshold,
                                       changes, explanations)
        return self.diagnosed_files(files, threshold, changes, explanations)

    def diagnosed_files(self, files: Iterable[PathLike], threshold: float,
                        changes: dict[str, FactValue], explanations: bool
                        ) -> Iterator[tuple[CaseResult, dict[str, Explanation] | None]]:
        """diagnose_each in this process, for files already checked and settings already
        parsed."""
        from csdiag.workers import chunks

        # Read and run CASES_AT_ONCE cases at a time: the engine batches them, and memory
        # stays flat however many files there are.
        vocabulary = self.kb.vocabulary
        kept = files.kept if isinstance(files, CaseFiles) else KeptCases()
        for chunk in chunks(files, CASES_AT_ONCE):
            cases = [kept.take(Path(path), vocabulary) or load_case(Path(path), vocabulary)
                     for path in chunk]
            if changes:
                cases = [with_changes(case, changes) for case in cases]
            yield from self.diagnose_many(cases, threshold, explanations)

    def diagnose_many(self, cases: Sequence[Case], threshold: float = DEFAULT_THRESHOLD,
                      explanations: bool = False
                      ) -> Iterator[tuple[CaseResult, dict[str, Explanation] | None]]:
        """Cases already in memory, diagnosed together: the engine runs them in batches
        (several cases in one durable_rules session), which is several times faster than
        one `diagnose` call each. Results in the order of `cases`, each with its
        explanations when `explanations` is set. While it is iterated, Python's garbage
        collector runs less often (its first threshold raised to 50,000 new objects,
        csdiag.collector.BATCH_THRESHOLD, unless it is higher or 0; the one before is put
        back at the end, unless the caller has set another meanwhile)."""
        # A batch makes hundreds of thousands of objects, none of them garbage until the
        # caller drops them: the collector is paused while csdiag works (never across a
        # yield) and collects less often while the caller iterates (csdiag.collector).
        with fewer_collections():
            yield from self._diagnosed_in_memory(cases, threshold, explanations)

    def _diagnosed_in_memory(self, cases: Sequence[Case], threshold: float,
                             explanations: bool
                             ) -> Iterator[tuple[CaseResult, dict[str, Explanation] | None]]:
        from csdiag.features.explain import Explainer
        from csdiag.reason.diagnosis import build_result

        # Each result is built in its case's language and yielded outside it: the caller
        # goes on in its own language (a yield inside the block would lend it the case's).
        if explanations:
            with collector_paused():
                runs = Explainer.runs(self.diagnoser, cases)
            for case, run in zip(cases, runs, strict=True):
                with collector_paused(), use_language(self.report_language(case)):
                    explainer = Explainer(self.diagnoser, case, threshold, run)
                    explained = explainer.result(), explainer.explain_all()
                yield explained
        else:
            with collector_paused():
                outcomes = self.diagnoser.outcomes(cases)
            for case, outcome in zip(cases, outcomes, strict=True):
                with collector_paused(), use_language(self.report_language(case)):
                    result = build_result(case, outcome, self.kb, threshold)
                yield result, None

    def load_case(self, path: PathLike) -> Case:
        """Read one case file ('-': from standard input)."""
        path = Path(path)
        if not reads_stdin(path) and path.is_dir():
            raise UserError([Problem(str(path), None, None, gettext(
                "this is a folder; one case file is needed here"),
                gettext("give the path of one .yaml case file"))])
        (case,) = self.load_cases([path])
        return case

    def new_case(self, path: PathLike, organisation: str, assessor: str) -> Case:
        """An empty case (no fact known yet), to be saved at `path`; its id comes from the
        file name and its date is today."""
        return empty_case(Path(path), organisation, assessor)

    def check_case_output(self, path: PathLike) -> None:
        """Refuse, before any question is asked, a path a case cannot be saved to: a
        missing folder, a device, a pipe (a symlink is written through)."""
        writable_case_path(Path(path))

    def save_case(self, case: Case, path: PathLike, comment: str | None = None) -> None:
        """Write the case file atomically (never half a file), facts in name order;
        `comment` (lines) heads the file."""
        save_case(case, Path(path), comment)

    def fact(self, name: str) -> FactDefinition:
        """One fact of the vocabulary: type, allowed values, meaning, question."""
        if name not in self.kb.vocabulary:
            raise UserError([Problem(name, None, None,
                                     gettext("unknown fact '{fact}'").format(fact=name),
                                     (did_you_mean(name, self.kb.vocabulary.names()) + " "
                                      ).lstrip() + gettext("'csdiag facts' lists them"))])
        return self.kb.vocabulary[name]

    def what_if(self, case: Case, settings: Sequence[str]) -> Case:
        """The case as if each FACT=VALUE setting held (checked like case facts)."""
        changes = parse_settings(list(settings), self.kb.vocabulary)
        return with_changes(case, changes) if changes else case

    # --- the commands --------------------------------------------------------------

    def report_language(self, case: Case) -> str:
        """The language a case's report is written in: the workspace's own when it was
        given one, else the case's, else the one in use."""
        return self.language or case.language or current_language()

    def diagnose(self, case: Case, threshold: float = DEFAULT_THRESHOLD) -> CaseResult:
        """Diagnoses, weak signals, findings, what was ruled out or not assessable, the
        remedies in priority order and the questions worth asking."""
        with use_language(self.report_language(case)):
            return self.diagnoser.diagnose(case, threshold)

    def diagnose_with_explanations(self, case: Case, threshold: float = DEFAULT_THRESHOLD
                                   ) -> tuple[CaseResult, dict[str, Explanation]]:
        """The report and every diagnosis's explanation, from one engine run."""
        from csdiag.features.explain import Explainer

        with use_language(self.report_language(case)):
            explainer = Explainer(self.diagnoser, case, threshold)
            return explainer.result(), explainer.explain_all()

    def explain(self, case: Case, rule_id: str, threshold: float = DEFAULT_THRESHOLD
                ) -> Explanation:
        """How a conclusion was reached, or why it was not and the nearest way to it."""
        from csdiag.features.explain import Explainer

        with use_language(self.report_language(case)):
            return Explainer(self.diagnoser, case, threshold).explain(rule_id)

    def plan(self, case: Case, combine: int = 2) -> Plan:
        """Remedies and combinations ranked by the severity-weighted certainty they remove."""
        from csdiag.features.plan import plan_case

        with use_language(self.report_language(case)):
            return plan_case(self.diagnoser, case, combine)

    def compare(self, old_case: Case, new_case: Case,
                threshold: float = DEFAULT_THRESHOLD) -> CaseComparison:
        """Two assessments of one organisation (OLD, then NEW), each diagnosed and then
        compared: what cleared, what is new, what changed in certainty, which facts
        changed, which remedies of OLD's diagnoses were carried out. Written in NEW's
        report language; `warnings` says when the case ids differ or NEW is dated first."""
        from csdiag.features.compare import compare_results

        with use_language(self.report_language(new_case)):
            return compare_results(self.diagnoser.diagnose(old_case, threshold),
                                   self.diagnoser.diagnose(new_case, threshold),
                                   self.kb.vocabulary)

    def merge(self, cases: Sequence[Case], case_id: str | None = None,
              organisation: str | None = None) -> Case:
        """Several respondents' cases for one organisation combined into one case, by the
        rules in docs/merging.md (majority, median, ties left unknown; every answer kept
        in the fact's note). The ids and organisations must agree unless given."""
        return self.merge_report(cases, case_id, organisation).case

    def merge_report(self, cases: Sequence[Case], case_id: str | None = None,
                     organisation: str | None = None) -> MergeReport:
        """merge, with what it did to each fact: the answers, the rule applied, the ties
        and disagreements (what `csdiag merge` prints to stderr)."""
        from csdiag.features.merge import merge_cases

        language = self.language or _common(c.language for c in cases) or current_language()
        with use_language(language):
            return merge_cases(cases, self.kb.vocabulary, case_id=case_id,
                               organisation=organisation)

    def interview(self, case: Case) -> Interview:
        """A consultation on a copy of the case: ask its most useful unknown facts, one at a
        time; `Interview.case` holds the answers given so far."""
        from csdiag.features.interview import Interview

        return Interview(self.diagnoser, copy.deepcopy(case),
                         language=self.report_language(case))

    def rules(self) -> list[Rule]:
        """Every rule: diagnoses, then findings, each group in file order."""
        return sorted(self.kb.rules.values(), key=lambda r: (r.kind, r.file))

    def facts(self) -> list[FactDefinition]:
        """The fact vocabulary, in name order."""
        return [self.kb.vocabulary[name] for name in self.kb.vocabulary.names()]

    def sector_thresholds(self) -> dict[str, dict[str, list[str]]]:
        """For each fact some rule reads with thresholds per sector ('by_sector'): the rules,
        and the sectors each gives its own threshold for (any other sector takes the rule's
        default)."""
        found: dict[str, dict[str, list[str]]] = {}
        for rule in sorted(self.kb.rules.values(), key=lambda r: r.id):
            for fact, sectors in rule.sector_thresholds.items():
                found.setdefault(fact, {})[rule.id] = sectors
        return found

    def schema(self, kind: str) -> dict[str, Any]:
        """The JSON Schema of a 'rule', 'case' or 'fixture' file over this vocabulary."""
        from csdiag.formats.json_schema import KINDS as SCHEMA_KINDS
        from csdiag.formats.json_schema import json_schema

        if kind not in SCHEMA_KINDS:
            raise UserError([Problem(kind, None, None,
                                     gettext("no schema for '{kind}'").format(kind=kind),
                                     did_you_mean(kind, SCHEMA_KINDS, gettext(
                                         "ask for one of: {kinds}").format(
                                             kinds=", ".join(SCHEMA_KINDS))))])
        return json_schema(kind, self.kb.vocabulary)

    # --- rule writing --------------------------------------------------------------

    def checked_folders(self) -> tuple[list[Path], list[Path]]:
        """What `lint` and `test_rules` check, and the pack it builds on: the user's
        folders on top of the built-in pack, or the built-in pack when there are none. A
        folder that holds the built-in pack itself (or a copy of it) stands alone."""
        builtin = builtin_rules_folder()
        if not self.user_folders:
            return [builtin], []
        if not self.builtin or any(_holds_builtin_pack(f, builtin) for f in self.user_folders):
            return self.user_folders, []
        return self.user_folders, [builtin]

    def validate(self, paths: Sequence[PathLike]) -> ValidationReport:
        """Check case, rule, fixture and vocabulary files (folders searched; '-' is a
        case from standard input) as csdiag reads them, each told apart by its keys;
        nothing is run."""
        from csdiag.authoring.validate import validate_files

        return validate_files([Path(p) for p in paths], self.kb, self.folders)

    def lint(self) -> LintReport:
        """Every problem in the checked folders, with location, fix and check id."""
        from csdiag.authoring.lint import lint_folders

        return lint_folders(*self.checked_folders())

    def test_rules(self) -> RuleTestReport:
        """Run the fixtures in the checked folders through the engine, with coverage."""
        from csdiag.authoring.rule_tests import run_rule_tests
        from csdiag.reason.diagnosis import Diagnoser

        targets, context = self.checked_folders()
        kb = cached_knowledge_base([*context, *targets])
        _refuse_if_broken(kb)
        diagnoser = Diagnoser(kb, _new_runner(kb))
        try:
            return run_rule_tests(diagnoser, targets)
        finally:
            diagnoser.runner.close()

    def _writing_into(self, no_folder: str) -> tuple[Path, RulePack]:
        """The folder new facts and rules are written into (the first of the user's),
        and the pack they will be read with, read as it is now."""
        if not self.user_folders:
            raise UserError([Problem("--folder", None, None, no_folder,
                                     gettext("give --folder, or set $CSDIAG_RULES"))])
        targets, context = self.checked_folders()
        return (self.user_folders[0],
                read_rule_pack([*context, *[t for t in targets if t.is_dir()]]))

    def new_fact(self, fact: NewFact) -> Path:
        """Declare a fact in the vocabulary.yaml of the first of the user's folders,
        appended (the file's comments and order stay); return the file written."""
        from csdiag.authoring.new_fact import write_new_fact

        folder, pack = self._writing_into(gettext("no folder to write the fact into"))
        written = write_new_fact(fact, folder, pack.vocabulary)
        self.reload()
        return written

    def new_rule(self, request: NewRule) -> NewRuleReport:
        """Write a rule file and its fixtures into the first of the user's folders (never
        overwriting), then lint it and run its fixtures on top of the rest of the pack."""
        from csdiag.authoring.scaffold import NewRuleReport, check_request, write_new_rule

        folder, pack = self._writing_into(gettext("no folder to write the rule into"))
        if request.fact not in pack.vocabulary:
            # A fact declared in a vocabulary that does not load is 'unknown' for that
            # reason: say so first, where it is.
            broken = [p for p in pack.errors if Path(p.file).name == "vocabulary.yaml"]
            if broken:
                raise UserError([*broken, *check_request(request, pack.vocabulary, folder)])
        written = write_new_rule(request, folder, pack.vocabulary)
        self.reload()  # the new rule belongs to this workspace's knowledge base from now on
        try:
            report = self.lint()
            tests = self.test_rules()
        except UserError as error:  # the folder held a problem already: say what was written
            raise UserError(error.problems, written=written) from error
        # The TODOs are expected right after scaffolding; the CLI says to fill them in.
        mine = [p for p in report.problems
                if Path(p.file).stem == request.id and p.check != "placeholder-text"]
        own = [r for r in tests.results if r.rule == request.id]
        return NewRuleReport(written, mine, sum(r.passed for r in own),
                             sum(not r.passed for r in own))


def _common(values: Iterable[str | None]) -> str | None:
    """The one value every item has, else None."""
    found = set(values)
    return found.pop() if len(found) == 1 else None


def _refuse_if_broken(kb: KnowledgeBase) -> None:
    """The lint errors the loader does not look for, in rules outside the built-in pack
    (which its own tests keep clean): such a pack is not run."""
    from csdiag.authoring.lint import rule_errors

    builtin = builtin_rules_folder().resolve()
    problems = [problem for rule in kb.rules.values()
                if not Path(rule.file).resolve().is_relative_to(builtin)
                for problem in rule_errors(rule, kb.vocabulary)]
    if problems:
        refusal = Problem(gettext("the rule pack"), None, None,
                          gettext("it has lint errors, so it is not used"),
                          gettext("fix them; 'csdiag rules lint FOLDER' lists every problem"))
        raise UserError([*problems, refusal])


def _holds_builtin_pack(folder: Path, builtin: Path) -> bool:
    """Whether `folder` is the built-in pack, by path or by holding every one of its rule
    files (a copy a rule writer edits): checked on top of itself, each of its rules would
    be a duplicate."""
    if folder.resolve() == builtin.resolve():
        return True
    if not folder.is_dir():
        return False
    own = {p.stem for p in rule_files(folder)}
    return own >= {p.stem for p in rule_files(builtin)}


def diagnose_paths(paths: Sequence[PathLike], folders: Sequence[PathLike] | None = None,
                   threshold: float = DEFAULT_THRESHOLD) -> list[CaseResult]:
    """Diagnose the case files at `paths` with the built-in rules and `folders`."""
    with Workspace(folders) as workspace:
        return [workspace.diagnose(c, threshold) for c in workspace.load_cases(paths)]
