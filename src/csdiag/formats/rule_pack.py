"""Load rule packs: vocabulary files and rule files, validated one by one and as a whole."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from csdiag.formats.errors import Problem, UserError, did_you_mean, shown_path
from csdiag.formats.limits import CHAIN_DEPTH
from csdiag.formats.located_yaml import YamlDocument, read_yaml, top_level_keys
from csdiag.formats.rule import ConditionParser, Rule, RuleFile
from csdiag.formats.validation import problems_from_validation
from csdiag.formats.vocabulary import Vocabulary, read_vocabulary_file
from csdiag.i18n import gettext
from csdiag.model.knowledge_base import KnowledgeBase
from csdiag.model.logic import (
    Condition,
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


def _parse_rule(path: Path, vocabulary: Vocabulary) -> tuple[Rule | None, list[Problem]]:
    try:
        doc = read_yaml(path)
    except UserError as error:
        return None, error.problems
    if not isinstance(doc.data, dict):
        return None, [doc.problem((), gettext("a rule file must be a mapping (id:, title:, "
                                          "when:, ...)"),
                                  gettext("see docs/formats.md, 'Rule files'"))]
    try:
        envelope = RuleFile.model_validate(doc.data)
    except ValidationError as error:
        problems = problems_from_validation(error, doc, (), RuleFile)
        # Still check the condition, so one run reports every mistake in the file.
        if isinstance(doc.data.get("when"), dict):
            parser = ConditionParser(doc, vocabulary)
            parser.parse(doc.data["when"], ("when",))
            problems += parser.problems
        return None, problems
    parser = ConditionParser(doc, vocabulary)
    condition = parser.parse(envelope.when, ("when",))
    problems = list(parser.problems)
    for index, remedy in enumerate(envelope.remedies):
        for fact, value in remedy.changes.items():
            where = ("remedies", index, "changes", fact)
            if fact not in vocabulary:
                hint = did_you_mean(fact, vocabulary.names())
                problems.append(doc.problem(where, gettext(
                    "unknown fact '{fact}' in the remedy's changes").format(fact=fact),
                    (hint + " " if hint else "") + gettext("name a declared fact"),
                    at_key=True))
            elif why := vocabulary[fact].check_value(value):
                problems.append(doc.problem(where, why, gettext(
                    "give the value the fact has once the remedy is carried out")))
    if condition is not None:
        problems += _check_ties(envelope, condition, doc)
    if envelope.id != path.stem:
        problems.append(doc.problem(("id",), gettext(
            "rule id '{id}' does not match the file name '{file}'").format(
                id=envelope.id, file=path.name),
            gettext("rename the file to {file} or change the id").format(
                file=f"{envelope.id}.yaml")))
    if condition is None or problems:
        return None, problems
    try:
        fires = dnf(condition, True)
        dnf(condition, False)
    except TooComplex:
        return None, [doc.problem(("when",), gettext(
            "the condition is too tangled: it expands to more than 32 alternative cases"),
            gettext("split the rule into findings that other rules combine"))]
    if any(all(isinstance(a, Known) and not a.known for a in conjunct) for conjunct in fires):
        return None, [doc.problem(("when",), gettext(
            "this rule can fire on unknown facts alone (its conditions there are only "
            "'known: false' tests)"),
            gettext("add a condition on an observed fact or finding; a diagnosis cannot rest "
                    "on what nobody knows"))]
    return Rule(id=envelope.id, kind=envelope.kind, title=envelope.title,
                description=envelope.description.map(str.strip), category=envelope.category,
                severity=envelope.severity, certainty=envelope.certainty, condition=condition,
                remedies=envelope.remedies, sources=list(envelope.sources), file=str(path),
                doc=doc, ignored=envelope.ignore, overrides=envelope.overrides,
                concludes=envelope.concludes or "", symptoms=envelope.symptoms), []


def _check_ties(envelope: RuleFile, condition: Condition, doc: YamlDocument) -> list[Problem]:
    """A symptom or a remedy's presupposition is tied to what the rule's condition reads:
    anything else could never be shown to hold in a case."""
    read = {subject(a) for a in atoms(condition)}
    places = [(("symptoms", i, "shown_by", j), name) for i, symptom in enumerate(envelope.symptoms)
              for j, name in enumerate(symptom.shown_by)]
    places += [(("remedies", i, "presupposes", j), name)
               for i, remedy in enumerate(envelope.remedies)
               for j, name in enumerate(remedy.presupposes)]
    problems = []
    for where, name in places:
        if name not in read:
            hint = did_you_mean(name, sorted(read))
            problems.append(doc.problem(where, gettext(
                "'{name}' is not a fact or finding this rule's condition reads, so the case "
                "can never show it").format(name=name),
                (hint + " " if hint else "") + gettext("name one of: {names}").format(
                    names=", ".join(sorted(read)))))
    return problems


def _check_references(rules: dict[str, Rule], unread: frozenset[str] = frozenset()
                      ) -> list[Problem]:
    """Findings and conclusions named but not concluded; a name in `unread` (the file of
    that id could not be read, and says why) is not reported a second time."""
    problems = []
    conclusions = [r.id for r in rules.values() if r.is_primary]
    for rule in rules.values():
        if not rule.is_primary:
            target = rules.get(rule.concludes)
            if rule.concludes in unread:
                pass
            elif target is None or not target.is_primary:
                hint = did_you_mean(rule.concludes, conclusions)
                problems.append(rule.doc.problem(
                    ("concludes",), gettext("no rule '{id}' to add evidence to").format(
                        id=rule.concludes),
                    (hint + " " if hint else "") + gettext(
                        "name the id of the rule whose conclusion this evidence is for")))
            elif target.kind != rule.kind:
                problems.append(rule.doc.problem(
                    ("kind",), gettext("'{id}' is a {kind}, so evidence for it is too").format(
                        id=rule.concludes, kind=target.kind),
                    gettext("write {setting}").format(setting=f"kind: {target.kind}")))
        for atom in atoms(rule.condition):
            if not isinstance(atom, FindingRef):
                continue
            if atom.finding in unread and atom.finding not in rules:
                continue
            if atom.finding not in rules:
                hint = did_you_mean(atom.finding, conclusions)
                problems.append(rule.doc.problem(
                    atom.path, gettext("finding '{id}' is used here but no rule concludes it"
                                       ).format(id=atom.finding),
                    (hint + " " if hint else "") + gettext(
                        "add a rule with that id, or fix the name")))
            elif not rules[atom.finding].is_primary:
                problems.append(rule.doc.problem(
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

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


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
    unread: set[str] = set()  # ids of rule files with problems of their own
    for number, folder in enumerate(folders):
        if not folder.is_dir():
            continue
        earlier = {rule_id for rule_id, n in origin.items() if n < number} if number else set()
        files = rule_files(folder)
        if files and all(_looks_like_a_case(path) for path in files):
            problems.append(Problem(str(folder), None, None, gettext(
                "this folder holds case files, not rules"), gettext(
                "'csdiag diagnose {folder}' reads case files; give the rules commands a "
                "folder of rule files").format(folder=shown_path(str(folder)))))
            continue
        for path in files:
            rule, found = _parse_rule(path, vocabulary)
            problems += found
            if rule is None:
                unread.add(path.stem)  # rule files are named by their id
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
                problems.append(rule.doc.problem(("id",), gettext(
                    "duplicate rule id '{id}', also defined in {file}").format(
                        id=rule.id, file=shown_path(other.file)), hint))
                continue
            if rule.overrides and rule.id not in earlier:
                problems.append(rule.doc.problem(
                    ("overrides",), gettext("'overrides: true' but no rule '{id}' is read before "
                                            "this folder").format(id=rule.id),
                    gettext("remove 'overrides', or fix the id of the rule to replace")))
                continue
            rules[rule.id] = rule
            origin[rule.id] = number
    problems += _check_references(rules, frozenset(unread))
    problems += _check_remedies(rules)
    strata, loop_problems = _strata(rules)
    problems += loop_problems
    return RulePack(vocabulary, rules, strata, problems)


def load_knowledge_base(folders: list[Path]) -> KnowledgeBase:
    """Read every vocabulary and rule file in `folders`; raise UserError listing all errors."""
    pack = read_rule_pack(folders)
    if pack.errors:
        raise UserError(pack.errors)
    return KnowledgeBase(vocabulary=pack.vocabulary, rules=pack.rules, strata=pack.strata,
                         folders=folders)
