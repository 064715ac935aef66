"""Lint a rule pack: every problem in one run, each with a location, a fix and a check id.

Errors make a pack unusable; warnings flag rules that are probably wrong and may be
silenced on purpose in the rule file:

    ignore:
      - check: unused-finding
        reason: kept for user packs to build on
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from csdiag.authoring.constraints import conjunct_implies, contradiction
from csdiag.formats.errors import Problem, did_you_mean, nearest, shown_path
from csdiag.formats.limits import IN_VALUES
from csdiag.formats.located_yaml import YamlPath
from csdiag.formats.rule import CitationSource, Rule
from csdiag.formats.rule_pack import RulePack, builtin_rules_folder, read_rule_pack
from csdiag.formats.vocabulary import ORDERED_OPS, FactDefinition, Vocabulary
from csdiag.i18n import LANGUAGES, Text, gettext, ngettext, number
from csdiag.model.logic import (
    All,
    Any_,
    Atom,
    Comparison,
    Condition,
    FindingRef,
    Membership,
    Not,
    atoms,
    dnf,
    findings_used,
    show_value,
)

_DIGITS = re.compile(r"\d")

# Checks beyond the loader's own (which are all errors and cannot be silenced).
WARNING_CHECKS = {
    "identical-conditions": "two rules fire on exactly the same conditions",
    "implied-conditions": "whenever one rule fires another, with another conclusion, does too",
    "unused-finding": "a finding is concluded but no rule uses it",
    "unused-ignore": "a rule silences a warning that does not occur",
    "missing-translation": "a text a reader sees lacks its zh or ru translation (an error "
                           "in the built-in pack)",
    "placeholder-text": "a TODO left by 'csdiag rules new' is still in the rule",
    "judgement-without-band": "a judgement threshold is a cliff: no band grades the values "
                              "near it",
    "no-symptoms": "a rule says nothing it can show about the case: no 'symptoms'",
    "remedy-without-plan": "a remedy lacks its effort, horizon or owner, which an action "
                           "plan needs",
}
# The warnings about a rule's condition, which wait until a condition with errors is read.
CONDITION_CHECKS = {"identical-conditions", "implied-conditions", "judgement-without-band"}
ERROR_CHECKS = {
    "too-many-values": "an 'in' list longer than durable_rules can register",
    "contradiction": "conditions in one 'all' that can never hold together",
    "never-fires": "a rule whose condition can never hold",
    "symptom-in-description": "the description states a figure about the organisation: "
                              "a symptom not tied to any condition",
}


@dataclass
class LintReport:
    problems: list[Problem] = field(default_factory=list)
    silenced: int = 0
    rules: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def _all_nodes(condition: Condition) -> list[All]:
    if isinstance(condition, All):
        return [condition, *(n for part in condition.parts for n in _all_nodes(part))]
    if isinstance(condition, Any_):
        return [n for part in condition.parts for n in _all_nodes(part)]
    if isinstance(condition, Not):
        return _all_nodes(condition.part)
    return []


def _describe(atoms: list[Atom]) -> str:
    return " and ".join(atom.describe() for atom in atoms)


def rule_errors(rule: Rule, vocabulary: Vocabulary) -> list[Problem]:
    problems = []
    for node in _all_nodes(rule.condition):
        direct = [p for p in node.parts if not isinstance(p, (All, Any_, Not))]
        clash = contradiction(direct, vocabulary)
        if clash:
            problems.append(rule.doc.problem(
                clash[-1].path, gettext("conditions that can never hold together: {conditions}"
                                        ).format(conditions=_describe(clash)),
                gettext("fix the thresholds, or move one of them under 'any:'"),
                check="contradiction"))
    for atom in atoms(rule.condition):
        if isinstance(atom, Membership) and len(atom.values) > IN_VALUES.value:
            # durable_rules spins for minutes registering an 'in' list of 550 or more
            # values (measured); one of 500 still registers in a second.
            problems.append(rule.doc.problem(
                atom.path, ngettext("{count} value: past csdiag's limit on {limit} ({value})",
                                    "{count} values: past csdiag's limit on {limit} ({value})",
                                    len(atom.values)).format(
                    count=number(len(atom.values), 0), **IN_VALUES.words()),
                gettext("group the values into a coarser fact, or split the rule"),
                check="too-many-values"))
            return problems
    if any(_DIGITS.search(text) for text in rule.description.all()):
        problems.append(rule.doc.problem(
            ("description",), gettext("the description states a figure, which the case may "
                                      "not show: it says what the cause is, true of any "
                                      "organisation"),
            gettext("move the figure into a sentence under 'symptoms:' tied to the condition "
                    "that shows it ('shown_by: [FACT]')"), check="symptom-in-description"))
    if not problems and all(contradiction(c, vocabulary) for c in dnf(rule.condition, True)):
        problems.append(rule.doc.problem(("when",), gettext(
            "this condition can never hold, whatever the case says"),
            gettext("check the thresholds and findings it combines"), check="never-fires"))
    return problems


def _placeholders(rule: Rule) -> list[Problem]:
    """Text the scaffold left for the author: a shared rule must not report 'TODO'."""
    texts = [(path, written) for path, text in rule_texts(rule) for written in text.all()]
    for i, source in enumerate(rule.sources):
        if isinstance(source, CitationSource):
            texts.append((("sources", i, "citation"), source.citation))
    return [rule.doc.problem(path, gettext("'{key}' still holds the scaffold's TODO text"
                                           ).format(key=path[-1]),
                             gettext("write it in your own words (users read it in every "
                                     "report)"),
                             severity="warning", check="placeholder-text")
            for path, text in texts if text.lstrip().upper().startswith("TODO")]


def _reporting(rule: Rule, lost: frozenset[YamlPath] = frozenset()) -> list[Problem]:
    """Warnings about what a report can say: cliffs at judgement thresholds, and rules
    with no sentence tied to the case. What a file had but with errors (`lost`, left out
    of the rule) is not missing."""
    found = [rule.doc.problem(atom.path, gettext(
                 "'{condition}' is a judgement call with no band: a value just either side of "
                 "it flips the verdict").format(condition=atom.describe()),
                              gettext("add 'band: [LOW, HIGH]' around {value}, the range where "
                                      "you would hesitate").format(value=show_value(atom.value)),
                              severity="warning", check="judgement-without-band")
             for atom in atoms(rule.condition)
             if isinstance(atom, Comparison) and atom.threshold == "judgement"
             and atom.op in ORDERED_OPS]
    if rule.is_primary and not rule.symptoms and ("symptoms",) not in lost:
        found.append(rule.doc.problem(
            ("description",), gettext("no 'symptoms': a report can say what this cause is, "
                                      "but nothing about what the case showed"),
            gettext("add 'symptoms:' sentences, each with 'shown_by: [FACT]' naming the "
                    "condition that shows it"), severity="warning", check="no-symptoms"))
    for index, remedy in enumerate(rule.remedies):
        lacking = [key for key in ("effort", "horizon", "owner") if getattr(remedy, key) is None
                   and ("remedies", index, key) not in lost]
        if lacking:
            found.append(rule.doc.problem(
                ("remedies", index, "id"), gettext(
                    "remedy '{id}' has no {keys}: an action plan cannot say how much it "
                    "takes, when it shows or who carries it out").format(
                        id=remedy.id, keys=", ".join(lacking)),
                gettext("add e.g. 'effort: medium', 'horizon: months', 'owner: "
                        "head_of_service'"), severity="warning", check="remedy-without-plan"))
    return found


def _keys(rule: Rule) -> set[str]:
    """The facts and findings a rule's condition reads."""
    return {f"fact {a.fact}" if not isinstance(a, FindingRef) else f"finding {a.finding}"
            for a in atoms(rule.condition)}


def _checked_rules(pack: RulePack) -> list[Rule]:
    """The rules lint checks: those that run, and those read from files with errors of
    their own (but for the keys that were wrong), so that one run reports everything."""
    return sorted([*pack.rules.values(), *(read.rule for read in pack.unusable if read.rule)],
                  key=lambda r: r.file)


def _unread_conditions(pack: RulePack) -> set[str]:
    """The files of the rules checked whose condition could not be read."""
    return {read.file for read in pack.unusable if read.rule and not read.condition_read}


def _pack_warnings(pack: RulePack, rules: list[Rule]) -> list[tuple[Rule, Problem]]:
    found: list[tuple[Rule, Problem]] = []
    found += [(rule, problem) for rule in rules for problem in _placeholders(rule)]
    lost = {read.file: read.lost for read in pack.unusable}
    found += [(rule, problem) for rule in rules
              for problem in _reporting(rule, lost.get(rule.file, frozenset()))]
    # A finding named only in a rule file with errors is still used; so is the one a
    # misspelt name was meant for (its 'did you mean' says so).
    named = {f for r in rules for f in findings_used(r.condition)}
    named |= {ref.finding for read in pack.unusable for ref in read.findings}
    conclusions = [*(r.id for r in pack.rules.values() if r.is_primary), *pack.unread]
    meant = (nearest(f, conclusions) for f in named - set(pack.rules) - pack.unread)
    used = named | {f for f in meant if f}
    for rule in rules:
        if rule.kind == "finding" and rule.is_primary and rule.id not in used:
            found.append((rule, rule.doc.problem(
                ("id",), gettext("finding '{id}' is concluded but no rule uses it").format(
                    id=rule.id),
                gettext("use it in a rule with '{setting}', make it a diagnosis, or remove it"
                        ).format(setting="finding: " + rule.id),
                severity="warning", check="unused-finding")))
    # Branches that can never hold are errors of their own; they would imply anything.
    # By file: a rule whose id clashes with another's is checked too; one whose condition
    # could not be read is not compared.
    unread = _unread_conditions(pack)
    fires = {r.file: {c for c in dnf(r.condition, True) if not contradiction(c, pack.vocabulary)}
             for r in rules if r.file not in unread}
    live = [r for r in rules if fires.get(r.file)]
    # Only rules that read a common fact or finding can share or imply conditions: pairing
    # just those keeps a pack of thousands of rules from costing millions of comparisons.
    readers: dict[str, list[int]] = {}
    for index, rule in enumerate(live):
        for key in _keys(rule):
            readers.setdefault(key, []).append(index)
    pairs = sorted({(i, j) for indexes in readers.values() for i in indexes for j in indexes
                    if i < j})
    for i, j in pairs:
        rule, other = live[i], live[j]
        if rule.concludes == other.concludes:
            continue  # evidence for one conclusion: overlap is expected, not a conflict
        if fires[rule.file] == fires[other.file]:
            found.append((other, other.doc.problem(
                ("when",), gettext("same conditions as rule '{id}' ({file})").format(
                    id=rule.id, file=shown_path(rule.file)),
                gettext("merge the two rules, or tell them apart"),
                severity="warning", check="identical-conditions")))
            continue
        for strong, weak in ((rule, other), (other, rule)):
            if all(any(conjunct_implies(c, w, pack.vocabulary) for w in fires[weak.file])
                   for c in fires[strong.file]):
                found.append((strong, strong.doc.problem(
                    ("when",), gettext("whenever this rule fires, '{id}' ({file}) fires too: "
                                       "possible conflict").format(
                        id=weak.id, file=shown_path(weak.file)),
                    gettext("check that both conclusions should be drawn together, then "
                            "silence this with '{setting}'").format(
                        setting="ignore: [{check: implied-conditions, reason: ...}]"),
                    severity="warning", check="implied-conditions")))
    return found


def rule_texts(rule: Rule) -> list[tuple[tuple[str | int, ...], Text]]:
    """Every text of a rule that a reader sees, with its place in the file."""
    texts: list[tuple[tuple[str | int, ...], Text]] = [(("title",), rule.title),
                                                       (("description",), rule.description)]
    texts += [(("symptoms", i, "text"), s.text) for i, s in enumerate(rule.symptoms)]
    for i, remedy in enumerate(rule.remedies):
        texts += [(("remedies", i, "action"), remedy.action), (("remedies", i, "why"), remedy.why)]
        if remedy.cost is not None:
            texts.append((("remedies", i, "cost", "sentence"), remedy.cost.sentence))
    return texts


def fact_texts(definition: FactDefinition) -> list[tuple[str, Text]]:
    """Every text of a fact that a reader sees: meaning, question, unit, value labels."""
    texts = [("meaning", definition.meaning), ("question", definition.question)]
    if definition.unit is not None:
        texts.append(("unit", definition.unit))
    for value in definition.values or []:
        label = definition.labels.get(value)
        texts.append((f"labels.{value}", label or Text(value.replace("_", " "), "", "")))
    return texts


def _missing_translations(pack: RulePack, rules: list[Rule], folders: list[Path]
                          ) -> list[tuple[Rule | None, Problem]]:
    """Text not written in every language it should be. The built-in pack speaks all
    three: each missing translation is an error. A writer's own rule (or vocabulary
    file) should give each text in every language it gives any text in: a warning for
    each that does not. A pack written in one language is a choice, not a gap: its text
    falls back to that language in every report."""
    builtin = [builtin_rules_folder()]
    hint = gettext("add the missing languages beside the ones written "
                   "(docs/writing-rules.md, 'Languages')")

    def gaps(file: str, texts: list[Text]) -> list[list[str]]:
        """For each text, the languages it lacks."""
        wanted = set(LANGUAGES) if _inside(file, builtin) else {
            language for text in texts for language in LANGUAGES
            if language not in text.missing()}
        return [[lang for lang in LANGUAGES if lang in wanted and lang in text.missing()]
                for text in texts]

    def severity(file: str) -> str:
        return "error" if _inside(file, builtin) else "warning"

    found: list[tuple[Rule | None, Problem]] = []
    for rule in rules:
        if not _inside(rule.file, folders):
            continue
        texts = rule_texts(rule)
        for (path, _), lacking in zip(texts, gaps(rule.file, [t for _, t in texts]),
                                      strict=True):
            if lacking:
                found.append((rule, rule.doc.problem(
                    path, gettext("no {languages} translation").format(
                        languages=", ".join(lacking)), hint, severity=severity(rule.file),
                    check="missing-translation")))
    by_file: dict[str, list[tuple[FactDefinition, str, Text]]] = {}
    for definition in pack.vocabulary.facts.values():
        if definition.file and _inside(definition.file, folders):
            by_file.setdefault(definition.file, []).extend(
                (definition, key, text) for key, text in fact_texts(definition))
    for file, entries in by_file.items():
        for (definition, key, _), lacking in zip(entries, gaps(file, [t for *_, t in entries]),
                                                 strict=True):
            if lacking:
                found.append((None, Problem(file, definition.line, None, gettext(
                    "{fact}: '{key}' has no {languages} translation").format(
                        fact=definition.name, key=key, languages=", ".join(lacking)),
                    hint, severity(file), "missing-translation")))
    return found


def _inside(file: str, folders: list[Path]) -> bool:
    path = Path(file).resolve()
    return any(path == f.resolve() or f.resolve() in path.parents for f in folders)


def lint_folders(folders: list[Path], context: list[Path] | None = None) -> LintReport:
    """Lint `folders`; rules in `context` (e.g. the built-in pack they build on) are read
    so references to them resolve, but problems are reported only inside `folders`."""
    pack = read_rule_pack([*(context or []), *folders])
    report = LintReport(problems=list(pack.problems))
    rules = _checked_rules(pack)
    for rule in rules:
        report.problems += rule_errors(rule, pack.vocabulary)
    warnings = _pack_warnings(pack, rules)
    translations = _missing_translations(pack, rules, folders)
    report.problems += [p for r, p in translations if r is None or p.severity == "error"]
    warnings += [(r, p) for r, p in translations if r is not None and p.severity != "error"]
    # A file whose 'ignore' has errors: what it silences waits until it can be read.
    muddled = {read.file for read in pack.unusable if ("ignore",) in read.lost}
    warnings = [(r, p) for r, p in warnings if r.file not in muddled]
    unread = _unread_conditions(pack)
    for rule in rules:
        for index, ignored in enumerate(rule.ignored):
            path = ("ignore", index, "check")
            if ignored.check in ERROR_CHECKS:
                report.problems.append(rule.doc.problem(
                    path, gettext("'{check}' is an error and cannot be silenced").format(
                        check=ignored.check),
                    gettext("fix the rule instead")))
            elif ignored.check not in WARNING_CHECKS:
                report.problems.append(rule.doc.problem(
                    path, gettext("unknown lint check '{check}'").format(check=ignored.check),
                    did_you_mean(ignored.check, WARNING_CHECKS, gettext(
                        "checks that can be silenced: {checks}").format(
                            checks=", ".join(sorted(WARNING_CHECKS))))))
            elif ignored.check in CONDITION_CHECKS and rule.file in unread:
                pass  # whether it occurs waits until the condition can be read
            elif not any(r is rule and p.check == ignored.check for r, p in warnings):
                warnings.append((rule, rule.doc.problem(
                    path, gettext("'{check}' is silenced but does not occur in this rule").format(
                        check=ignored.check),
                    gettext("remove this entry"), severity="warning", check="unused-ignore")))
    for rule, problem in warnings:
        if any(i.check == problem.check for i in rule.ignored) and problem.check != "unused-ignore":
            # Counted where the report looks: a context pack's silenced checks are its own.
            report.silenced += not context or _inside(rule.file, folders)
        else:
            report.problems.append(problem)
    if context:
        report.problems = [p for p in report.problems if _inside(p.file, folders)]
    # Rule files that could not be run count too: "in 0 rules" under their errors misled.
    report.rules = (sum(1 for r in pack.rules.values() if _inside(r.file, folders))
                    + sum(1 for read in pack.unusable if _inside(read.file, folders)))
    report.problems.sort(key=lambda p: (p.file, p.line or 0, p.column or 0))
    return report
