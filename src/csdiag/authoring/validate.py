"""`csdiag validate`: check case, rule, fixture and vocabulary files as they are read,
without running the engine. Each file's kind is told from its top-level keys, so a folder
of mixed files is checked in one pass and nobody has to say what each file is."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from csdiag.formats.case import load_case, parse_facts, reads_stdin, stdin_given_twice
from csdiag.formats.errors import Problem, UserError
from csdiag.formats.fixture import load_fixture_file
from csdiag.formats.located_yaml import top_level_keys
from csdiag.formats.rule_pack import RulePack, read_rule_pack
from csdiag.formats.vocabulary import Vocabulary, read_vocabulary_file
from csdiag.i18n import gettext
from csdiag.model.knowledge_base import KnowledgeBase

KINDS = ("case", "rule", "fixture", "vocabulary")


@dataclass
class ValidationReport:
    """The files checked, by kind, and every problem found in them."""

    files: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in KINDS})
    problems: list[Problem] = field(default_factory=list)

    @property
    def checked(self) -> int:
        return sum(len(files) for files in self.files.values())


def file_kind(path: Path) -> str | None:
    """'case', 'rule', 'fixture' or 'vocabulary' by the top-level keys in the file's first
    lines (read cheaply: the readers that follow apply csdiag's size limits); 'case' for a
    file that cannot be told (the case reader then says what is wrong, and where); None
    for a file that plainly is none of them. Standard input ('-') holds a case."""
    if reads_stdin(path):
        return "case"
    keys = top_level_keys(path)
    if {"rule", "fixtures"} & keys:
        return "fixture"
    if {"id", "kind", "when"} & keys:
        return "rule"
    if keys & {"case", "organisation", "assessor", "date"}:
        return "case"
    if keys == {"facts"}:
        # A vocabulary is named so; a case with nothing but facts is a case missing keys.
        return "vocabulary" if path.stem == "vocabulary" else "case"
    if not keys:
        return "case"
    return None


def yaml_files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """The YAML files at `paths`, folders searched (in name order); '-', once, is
    standard input."""
    found: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if reads_stdin(path):
            if any(reads_stdin(f) for f in found):
                problems.append(stdin_given_twice())
            else:
                found.append(path)
        elif path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")
                            and p.is_file())
        elif path.is_file():
            found.append(path)
        elif path.exists():
            problems.append(Problem(str(path), None, None, gettext("not a regular file"),
                                    gettext("give a case, rule, fixture or vocabulary file")))
        else:
            problems.append(Problem(str(path), None, None, gettext("no such file or folder"),
                                    gettext("check the path")))
    return found, problems


def validate_files(paths: list[Path], kb: KnowledgeBase, rule_folders: list[Path]
                   ) -> ValidationReport:
    """Check each file at `paths` as what it is; rule and fixture files are read with the
    rules of `rule_folders` (the pack they build on) and their own folder's rules and
    vocabulary."""
    report = ValidationReport()
    files, report.problems = yaml_files(paths)
    rule_files: dict[Path, list[Path]] = {}
    packs: dict[tuple[Path, ...], RulePack] = {}

    def pack_for(folder: Path) -> RulePack:
        """The pack a rule or fixture file in `folder` is read with (read once)."""
        inside = any(f.resolve() == folder.resolve() or f.resolve() in folder.resolve().parents
                     for f in rule_folders)
        folders = tuple(rule_folders if inside else [*rule_folders, folder])
        if folders not in packs:
            packs[folders] = read_rule_pack(list(folders))
        return packs[folders]

    for path in files:
        kind = file_kind(path)
        if kind is None:
            report.problems.append(Problem(str(path), None, None, gettext(
                "not a csdiag file: it has none of 'case:', 'id:'/'kind:', "
                "'rule:'/'fixtures:', 'facts:'"),
                gettext("see docs/formats.md for the four kinds of file")))
            continue
        report.files[kind].append(str(path))
        try:
            if kind == "case":
                load_case(path, kb.vocabulary)
            elif kind == "fixture":
                # A rule (or fact) whose own file has errors is reported there, not again
                # in each fixture that names it.
                pack = pack_for(path.parent)
                vocabulary = pack.vocabulary
                doc, parsed = load_fixture_file(path, pack.rules, pack.unread)
                for index, fixture in enumerate(parsed.fixtures):
                    facts = {name: value for name, value in fixture.facts.items()
                             if name in vocabulary or name not in vocabulary.unreadable}
                    report.problems += parse_facts(doc, ("fixtures", index, "facts"), facts,
                                                   vocabulary)[1]
            elif kind == "vocabulary":
                report.problems += read_vocabulary_file(path, Vocabulary())
            else:
                rule_files.setdefault(path.parent, []).append(path)
        except UserError as error:
            report.problems += error.problems
    for folder, checked in rule_files.items():
        # The pack the rule builds on, and the folder it sits in with its vocabulary.
        pack = pack_for(folder)
        wanted = {str(p.resolve()) for p in checked}
        report.problems += [p for p in pack.errors
                            if p.file and str(Path(p.file).resolve()) in wanted]
    return report
