"""Load rule packs: vocabulary files and rule files, validated one by one and as a whole."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from csdiag.formats.errors import Problem, UserError, did_you_mean, nearest, shown_path
from csdiag.formats.limits import CHAIN_DEPTH
from csdiag.formats.located_yaml import YamlDocument, YamlPath, read_yaml, top_level_keys
from csdiag.formats.rule import PARTIAL, SLUG, ConditionParser, Rule, RuleFile
from csdiag.formats.validation import problems_from_validation, readable_part
from csdiag.formats.vocabulary import Vocabulary, read_vocabulary_file
from csdiag.i18n import gettext
from csdiag.model.knowledge_base import KnowledgeBase
from csdiag.model.logic import (
    All,
    FindingRef,
    Known,
    TooComplex,
    atoms,
    dnf,
    findings_used,
    subject,
)

VOCABULARY_FILE = "vocabulary.yaml"


def builtin_rules_folder() -> Path:
    """The knowledge base shipped with csdiag (inside the wheel, or rules/ in a checkout)."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "builtin_rules"
    if packaged.is_dir():
        return packaged
    return package.parents[1] / "rules"


FIXTURE_SUFFIX = ".test.yaml"


def vocabulary_files(folder: Path) -> list[Path]:
    """The vocabulary files of a rule folder: its own first, then its area folders'."""
    found = [p for p in folder.rglob(VOCABULARY_FILE)
             if not any(part.startswith(".") for part in p.relative_to(folder).parts)]
    return sorted(found, key=lambda p: (len(p.relative_to(folder).parts), str(p)))


def rule_files(folder: Path) -> list[Path]:
    """Rule files: every .yaml but the vocabulary and the test fixtures beside the rules."""
    return sorted(p for p in folder.rglob("*.yaml")
                  if p.name != VOCABULARY_FILE and not p.name.endswith(FIXTURE_SUFFIX)
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


@dataclass
class RuleRead:
    """What one rule file gave. A file with errors of its own is never run, but what could
    be read of it is still checked, so that one run reports every mistake in it."""

    file: str
    problems: list[Problem]  # the file's own errors
    # The rule: whole when the file has no errors; else read but for its wrong keys (None
    # when a key every rule needs could not be read). A condition that could not be read
    # is UNREAD_CONDITION: the checks of the rest of the rule still run.
    rule: Rule | None = None
    condition_read: bool = False
    doc: YamlDocument | None = None
    findings: list[FindingRef] = field(default_factory=list)  # every finding its condition names
    kind: str | None = None
    concludes: str | None = None  # the other rule's conclusion it adds evidence to
    lost: frozenset[YamlPath] = frozenset()  # the places of keys left out for their errors

    @property
    def names(self) -> set[str]:
        """The ids the rule may be known by: its file's name, and its id as written."""
        written = self.doc.data.get("id") if self.doc and isinstance(self.doc.data, dict) else None
        return {Path(self.file).stem, *([written] if isinstance(written, str) else [])}


# The condition of a rule read from a file whose condition has errors: checks of the
# condition skip it (`RuleRead.condition_read`), checks of the rest of the rule do not.
UNREAD_CONDITION = All(())

# The keys a rule's completeness rests on (a diagnosis's severity and remedies...).
_COMPLETENESS_KEYS = frozenset({"kind", "severity", "certainty", "concludes", "remedies"})


def _readable_envelope(doc: YamlDocument, error: ValidationError
                       ) -> tuple[RuleFile | None, frozenset[YamlPath], list[Problem]]:
    """What the checks that follow can still read of a rule file with errors: the file
    without its wrong keys (None when a key every rule needs, or 'concludes', which says
    whose conclusion the rule is, is wrong); the keys left out; and whether the rule is
    complete, which pydantic checks only once every key is right, unless a key it rests
    on is among those left out (or misspelt)."""
    part = readable_part(doc.data, error, RuleFile, needed=frozenset({"concludes"}))
    if part is None:
        return None, frozenset(), []
    kept, lost = part
    try:
        envelope = RuleFile.model_validate(kept, context={PARTIAL: True})
    except ValidationError:
        return None, frozenset(), []
    # Pydantic checks completeness once every key is right: then it has said so already.
    checked = any(not item["loc"] for item in error.errors())
    top = {str(place[0]) for place in lost if len(place) == 1}
    if checked or {nearest(key, RuleFile.model_fields) or key for key in top} \
            & _COMPLETENESS_KEYS:
        return envelope, frozenset(lost), []
    try:
        RuleFile.model_validate(kept)
    except ValidationError as incomplete:
        return envelope, frozenset(lost), problems_from_validation(incomplete, doc, (), RuleFile)
    return envelope, frozenset(lost), []


def _parse_rule(path: Path, vocabulary: Vocabulary, ids: set[str]) -> RuleRead:
    """Read one rule file; `ids` are those of every rule file in the pack, so that a
    symptom naming the finding a misspelt one was meant to be is not blamed for it."""
    try:
        doc = read_yaml(path)
    except UserError as error:
        return RuleRead(str(path), error.problems)
    if not isinstance(doc.data, dict):
        return RuleRead(str(path), [doc.problem((), gettext(
            "a rule file must be a mapping (id:, title:, when:, ...)"),
            gettext("see docs/formats.md, 'Rule files'"))], doc=doc)
    problems: list[Problem] = []
    envelope: RuleFile | None
    lost: frozenset[YamlPath] = frozenset()
    try:
        envelope = RuleFile.model_validate(doc.data)
    except ValidationError as error:
        problems = problems_from_validation(error, doc, (), RuleFile)
        # Read on past them, so that one run reports every mistake in the file.
        envelope, lost, incomplete = _readable_envelope(doc, error)
        problems += incomplete
    parser = ConditionParser(doc, vocabulary)
    when = doc.data.get("when")
    condition = parser.parse(when, ("when",)) if isinstance(when, dict) else None
    problems += parser.problems
    kind = envelope.kind if envelope else doc.data.get("kind")
    concludes = envelope.concludes if envelope else doc.data.get("concludes")
    read = RuleRead(str(path), problems, doc=doc, findings=parser.findings, lost=lost,
                    kind=kind if kind in ("diagnosis", "finding") else None,
                    concludes=concludes if isinstance(concludes, str) and re.match(
                        SLUG, concludes) and concludes != doc.data.get("id") else None)
    if envelope is None:
        return read
    problems += _check_changes(envelope, doc, vocabulary)
    if condition is not None or not parser.skipped:  # else what it reads is not all known
        read_names = ({subject(a) for a in atoms(condition)} if condition is not None
                      else parser.named)
        # A name the condition misspells is reported where it stands; a symptom naming
        # the one meant is right.
        findings = {ref.finding for ref in parser.findings}
        known = ids | set(vocabulary.facts) | vocabulary.unreadable
        meant = {nearest(name, ids if name in findings else vocabulary.names())
                 for name in read_names - known}
        problems += _check_ties(envelope, read_names, doc, {name for name in meant if name})
    if envelope.id != path.stem:
        problems.append(doc.problem(("id",), gettext(
            "rule id '{id}' does not match the file name '{file}'").format(
                id=envelope.id, file=path.name),
            gettext("rename the file to {file} or change the id").format(
                file=f"{envelope.id}.yaml")))
    fires = []
    if condition is not None:
        try:
            fires = dnf(condition, True)
            dnf(condition, False)
        except TooComplex:
            problems.append(doc.problem(("when",), gettext(
                "the condition is too tangled: it expands to more than 32 alternative cases"),
                gettext("split the rule into findings that other rules combine")))
            condition = None
    if any(all(isinstance(a, Known) and not a.known for a in conjunct) for conjunct in fires):
        problems.append(doc.problem(("when",), gettext(
            "this rule can fire on unknown facts alone (its conditions there are only "
            "'known: false' tests)"),
            gettext("add a condition on an observed fact or finding; a diagnosis cannot rest "
                    "on what nobody knows")))
    read.condition_read = condition is not None
    read.rule = Rule(id=envelope.id, kind=envelope.kind, title=envelope.title,
                     description=envelope.description.map(str.strip),
                     category=envelope.category, severity=envelope.severity,
                     certainty=envelope.certainty, condition=condition or UNREAD_CONDITION,
                     remedies=envelope.remedies, sources=list(envelope.sources), file=str(path),
                     doc=doc, ignored=envelope.ignore, overrides=envelope.overrides,
                     concludes=envelope.concludes or "", symptoms=envelope.symptoms)
    return read


def _check_changes(envelope: RuleFile, doc: YamlDocument, vocabulary: Vocabulary
                   ) -> list[Problem]:
    """Each remedy's changes name declared facts, and values they can take."""
    problems = []
    for index, remedy in enumerate(envelope.remedies):
        for fact, value in remedy.changes.items():
            where = ("remedies", index, "changes", fact)
            if fact in vocabulary.unreadable and fact not in vocabulary:
                continue  # its declaration's own errors say why
            if fact not in vocabulary:
                problems.append(doc.problem(where, gettext(
                    "unknown fact '{fact}' in the remedy's changes").format(fact=fact),
                    did_you_mean(fact, vocabulary.names(), gettext("name a declared fact")),
                    at_key=True))
            elif why := vocabulary[fact].check_value(value):
                problems.append(doc.problem(where, why, vocabulary[fact].fix_for(value, gettext(
                    "give the value the fact has once the remedy is carried out"))))
    return problems


def _check_ties(envelope: RuleFile, read: set[str], doc: YamlDocument, meant: set[str]
                ) -> list[Problem]:
    """A symptom or a remedy's presupposition is tied to what the rule's condition reads
    (`read`, or `meant` by a name in it that is misspelt): anything else could never be
    shown to hold in a case."""
    places = [(("symptoms", i, "shown_by", j), name) for i, symptom in enumerate(envelope.symptoms)
              for j, name in enumerate(symptom.shown_by)]
    places += [(("remedies", i, "presupposes", j), name)
               for i, remedy in enumerate(envelope.remedies)
               for j, name in enumerate(remedy.presupposes)]
    problems = []
    for where, name in places:
        if name not in read | meant:
            problems.append(doc.problem(where, gettext(
                "'{name}' is not a fact or finding this rule's condition reads, so the case "
                "can never show it").format(name=name),
                did_you_mean(name, read, gettext("name one of: {names}").format(
                    names=", ".join(sorted(read))))))
    return problems


def _check_references(rules: dict[str, Rule], unusable: list[RuleRead]) -> list[Problem]:
    """Findings and conclusions named but not concluded, in every rule read, whole or in
    part; a name an unusable rule file goes by (the file says why it is unusable) is not
    reported a second time."""
    unread = {name for read in unusable for name in read.names}
    conclusions = [*(r.id for r in rules.values() if r.is_primary), *unread]
    readers: list[tuple[YamlDocument, str | None, str | None, list[FindingRef]]] = [
        (rule.doc, rule.kind, None if rule.is_primary else rule.concludes,
         [a for a in atoms(rule.condition) if isinstance(a, FindingRef)])
        for rule in rules.values()]
    readers += [(read.doc, read.kind, read.concludes, read.findings) for read in unusable
                if read.doc is not None]
    problems = []
    for doc, kind, concludes, findings in readers:
        target = rules.get(concludes) if concludes else None
        if concludes is None or (concludes in unread and target is None):
            pass
        elif target is None or not target.is_primary:
            problems.append(doc.problem(
                ("concludes",), gettext("no rule '{id}' to add evidence to").format(
                    id=concludes),
                did_you_mean(concludes, conclusions, gettext(
                    "name the id of the rule whose conclusion this evidence is for"))))
        elif kind is not None and target.kind != kind:
            problems.append(doc.problem(
                ("kind",), gettext("'{id}' is a {kind}, so evidence for it is too").format(
                    id=concludes, kind=target.kind),
                gettext("write {setting}").format(setting=f"kind: {target.kind}")))
        for atom in findings:
            if atom.finding not in rules:
                if atom.finding not in unread:
                    problems.append(doc.problem(
                        atom.path, gettext("finding '{id}' is used here but no rule concludes "
                                           "it").format(id=atom.finding),
                        did_you_mean(atom.finding, conclusions, gettext(
                            "add a rule with that id, or fix the name"))))
            elif not rules[atom.finding].is_primary:
                problems.append(doc.problem(
                    atom.path, gettext("'{id}' is evidence for '{conclusion}', not a conclusion "
                                       "of its own").format(
                        id=atom.finding, conclusion=rules[atom.finding].concludes),
                    gettext("use {setting}").format(
                        setting=f"finding: {rules[atom.finding].concludes}")))
    return problems


def _check_remedies(rules: dict[str, Rule]) -> list[Problem]:
    """The same remedy id means the same remedy: its changes must agree everywhere."""
    problems = []
    seen: dict[str, tuple[Rule, dict]] = {}
    for rule in sorted(rules.values(), key=lambda r: r.file):
        for index, remedy in enumerate(rule.remedies):
            if remedy.id in seen and seen[remedy.id][1] != remedy.changes and remedy.changes \
                    and seen[remedy.id][1]:
                other = seen[remedy.id][0]
                problems.append(rule.doc.problem(
                    ("remedies", index, "changes"), gettext(
                        "remedy '{id}' changes other facts in {file}").format(
                            id=remedy.id, file=shown_path(other.file)),
                    gettext("give both the same 'changes', or give this remedy another id")))
            elif remedy.changes or remedy.id not in seen:
                seen[remedy.id] = (rule, remedy.changes)
    return problems


def _strata(rules: dict[str, Rule]) -> tuple[dict[str, int], list[Problem]]:
    """Chaining depth of each rule: every rule adding evidence to a conclusion runs before
    any rule that uses it. A loop among findings is an error."""
    contributors: dict[str, list[Rule]] = {}
    for rule in rules.values():
        contributors.setdefault(rule.concludes, []).append(rule)
    depths: dict[str, int] = {}
    problems: list[Problem] = []

    def used(conclusion: str) -> list[str]:
        """The conclusions the rules of `conclusion` join on."""
        return sorted({rules[f].concludes for r in contributors.get(conclusion, [])
                       for f in findings_used(r.condition) if f in rules})

    def depth(start: str) -> int:
        # Depth-first without recursion: a chain of findings thousands deep is legal.
        path: list[str] = [start]
        pending: list[list[str]] = [used(start)]
        while path:
            waiting = pending[-1]
            while waiting and waiting[-1] in depths:
                waiting.pop()
            if waiting:
                following = waiting.pop()
                if following in path:
                    loop = [*path[path.index(following):], following]
                    rule = rules.get(following) or contributors[following][0]
                    problems.append(rule.doc.problem(
                        ("when",), gettext("findings form a loop: {loop}").format(
                            loop=" -> ".join(loop)),
                        gettext("a rule cannot depend on its own conclusion; break the loop")))
                    continue
                path.append(following)
                pending.append(used(following))
                continue
            conclusion = path.pop()
            pending.pop()
            depths[conclusion] = 1 + max((depths.get(c, 0) for c in used(conclusion)),
                                         default=-1)
        return depths[start]

    strata = {rule.id: depth(rule.concludes) for rule in sorted(rules.values(),
                                                                  key=lambda r: r.id)}
    deepest = max(strata, key=lambda r: (strata[r], r), default=None)
    if deepest is not None and strata[deepest] > CHAIN_DEPTH.value:
        problems.append(rules[deepest].doc.problem(
            ("when",), gettext("findings build on findings {depth} levels deep here, past "
                               "csdiag's limit on {limit} ({value})").format(
                depth=strata[deepest], **CHAIN_DEPTH.words()), CHAIN_DEPTH.hint()))
    return strata, problems


@dataclass
class RulePack:
    """Everything read from rule folders, with every problem found, for the loader and lint."""

    vocabulary: Vocabulary
    rules: dict[str, Rule]
    strata: dict[str, int]
    problems: list[Problem]
    # Rule files with errors of their own (or a clash with another file): never run, but
    # checked as far as they could be read.
    unusable: list[RuleRead] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def unread(self) -> set[str]:
        """The ids of the rules that are not run for errors of their own: naming one is
        not a mistake of its own."""
        return {name for read in self.unusable for name in read.names} - set(self.rules)


def _same_file_content(first: str | Path, second: Path) -> bool:
    try:
        return Path(first).read_bytes() == second.read_bytes()
    except OSError:
        return False


def _looks_like_a_case(path: Path) -> bool:
    """Whether a YAML file starts like a case file ('case:' and 'organisation:')."""
    return {"case", "organisation"} <= top_level_keys(path, 20)


def read_rule_pack(folders: list[Path]) -> RulePack:
    """Read every vocabulary and rule file in `folders`, going on past problems so that
    one run reports all of them."""
    problems: list[Problem] = []
    vocabulary = Vocabulary()
    for folder in folders:
        if not folder.is_dir():
            problems.append(Problem(str(folder), None, None,
                                    gettext("not a folder") if folder.exists()
                                    else gettext("no such rules folder"),
                                    gettext("give a folder that holds rule files")))
            continue
        # The folder's vocabulary.yaml, and one in any area folder under it (the facts
        # that area's rules need, kept beside them).
        for file in vocabulary_files(folder):
            problems += read_vocabulary_file(file, vocabulary)
    rules: dict[str, Rule] = {}
    origin: dict[str, int] = {}  # rule id -> index of the folder it came from
    unusable: list[RuleRead] = []
    files_in = {folder: rule_files(folder) for folder in folders if folder.is_dir()}
    ids = {path.stem for files in files_in.values() for path in files}  # files named by id
    for number, folder in enumerate(folders):
        if not folder.is_dir():
            continue
        earlier = {rule_id for rule_id, n in origin.items() if n < number} if number else set()
        files = files_in[folder]
        if files and all(_looks_like_a_case(path) for path in files):
            problems.append(Problem(str(folder), None, None, gettext(
                "this folder holds case files, not rules"), gettext(
                "'csdiag diagnose {folder}' reads case files; give the rules commands a "
                "folder of rule files").format(folder=shown_path(str(folder)))))
            continue
        for path in files:
            read = _parse_rule(path, vocabulary, ids)
            problems += read.problems
            rule = read.rule
            # A condition may be unreadable with no error of its own: it names a fact
            # whose declaration has errors.
            if rule is None or read.problems or not read.condition_read:
                unusable.append(read)
                continue
            if rule.id in earlier and _same_file_content(rules[rule.id].file, path):
                # The same rule from an earlier folder (a folder inside the built-in pack,
                # or a copy of its files): one rule, now attributed to the later folder.
                rules[rule.id] = rule
                origin[rule.id] = number
                continue
            if rule.id in rules and not (rule.overrides and rule.id in earlier):
                other = rules[rule.id]
                hint = (gettext("give one of them another id, or add 'overrides: true' to "
                                "replace the rule read earlier") if rule.id in earlier
                        else gettext("give one of them another id"))
                read.problems.append(rule.doc.problem(("id",), gettext(
                    "duplicate rule id '{id}', also defined in {file}").format(
                        id=rule.id, file=shown_path(other.file)), hint))
            elif rule.overrides and rule.id not in earlier:
                read.problems.append(rule.doc.problem(
                    ("overrides",), gettext("'overrides: true' but no rule '{id}' is read before "
                                            "this folder").format(id=rule.id),
                    gettext("remove 'overrides', or fix the id of the rule to replace")))
            if read.problems:
                problems += read.problems
                unusable.append(read)
                continue
            rules[rule.id] = rule
            origin[rule.id] = number
    problems += _check_references(rules, unusable)
    problems += _check_remedies(rules)
    strata, loop_problems = _strata(rules)
    problems += loop_problems
    return RulePack(vocabulary, rules, strata, problems, unusable)


def load_knowledge_base(folders: list[Path]) -> KnowledgeBase:
    """Read every vocabulary and rule file in `folders`; raise UserError listing all errors."""
    pack = read_rule_pack(folders)
    if pack.errors:
        raise UserError(pack.errors)
    return KnowledgeBase(vocabulary=pack.vocabulary, rules=pack.rules, strata=pack.strata,
                         folders=folders)
