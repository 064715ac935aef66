"""Rule tests: the fixtures beside each rule (csdiag.formats.fixture), run through the real
engine, and the condition coverage they reach.

Coverage is read from what durable_rules matched: a condition counts as exercised
true when a branch that makes its rule fire matched with it, and false when a branch
that rules its rule out matched with it (or, under `not`, the other way round).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from csdiag.formats.case import Case, parse_facts
from csdiag.formats.errors import Problem, UserError
from csdiag.formats.fixture import Fixture, fixture_files, load_fixture_file
from csdiag.formats.located_yaml import YamlDocument, YamlPath
from csdiag.formats.rule import Rule
from csdiag.i18n import current_language, gettext
from csdiag.model.knowledge_base import KnowledgeBase
from csdiag.model.logic import Atom, Band, atoms
from csdiag.model.outcome import RawOutcome, Status
from csdiag.reason.diagnosis import Diagnoser, build_result


@dataclass
class FixtureResult:
    file: str
    line: int | None
    rule: str
    name: str
    passed: bool
    difference: str = ""


@dataclass
class ConditionCoverage:
    rule: Rule
    atom: Atom
    seen_true: bool = False
    seen_false: bool = False

    @property
    def covered(self) -> bool:
        return self.seen_true and self.seen_false


@dataclass
class RuleTestReport:
    results: list[FixtureResult] = field(default_factory=list)
    coverage: dict[tuple[str, YamlPath], ConditionCoverage] = field(default_factory=dict)
    untested_rules: list[Rule] = field(default_factory=list)

    @property
    def failed(self) -> list[FixtureResult]:
        return [r for r in self.results if not r.passed]

    def coverage_share(self) -> float:
        if not self.coverage:
            return 1.0
        return sum(c.covered for c in self.coverage.values()) / len(self.coverage)


def _record_coverage(raw: RawOutcome, report: RuleTestReport, kb: KnowledgeBase) -> None:
    for firing in raw.firings:
        rule = kb.rules[firing.branch.rule_id]
        written = {a.path: a for a in atoms(rule.condition)}
        for literal in firing.branch.conjunct:
            entry = report.coverage.get((rule.id, literal.path))
            if entry is None:
                continue
            # A matched literal is true; it is either the condition as written (or, for a
            # graded condition, one of its bands) or its negation.
            if literal == written[literal.path] or isinstance(literal, Band):
                entry.seen_true = True
            else:
                entry.seen_false = True


def run_rule_tests(diagnoser: Diagnoser, folders: list[Path]) -> RuleTestReport:
    """Run every fixture in `folders` against the diagnoser's knowledge base (the rules of
    `folders` and of the pack they build on)."""
    kb = diagnoser.kb
    report = RuleTestReport()
    targets = [r for r in kb.rules.values()
               if any(Path(r.file).resolve().is_relative_to(f.resolve()) for f in folders)]
    for rule in targets:
        for atom in atoms(rule.condition):
            report.coverage[(rule.id, atom.path)] = ConditionCoverage(rule, atom)
    problems: list[Problem] = []
    tested: set[str] = set()
    loaded = []
    for path in fixture_files(folders):
        try:
            loaded.append(load_fixture_file(path, kb.rules))
        except UserError as error:
            problems += error.problems
    for doc, parsed in loaded:
        tested.add(parsed.rule)
        for index, fixture in enumerate(parsed.fixtures):
            base = ("fixtures", index)
            facts, found = parse_facts(doc, (*base, "facts"), fixture.facts, kb.vocabulary)
            if found:
                problems += found
                continue
            case = Case(id="fixture", organisation=fixture.name, date="", assessor="",
                        file=doc.file, facts=facts)
            raw = diagnoser.outcome(case)
            _record_coverage(raw, report, kb)
            report.results.append(_judge(doc, base, parsed.rule, fixture, raw, case, kb))
    if problems:
        raise UserError(problems)
    report.untested_rules = [r for r in targets if r.id not in tested]
    return report


def _judge(doc: YamlDocument, base: YamlPath, rule_id: str, fixture: Fixture, raw: RawOutcome,
           case: Case, kb: KnowledgeBase) -> FixtureResult:
    line, _ = doc.position(base)
    actual = raw.rule_status(rule_id)
    result = FixtureResult(doc.file, line, rule_id, fixture.name, True)
    if actual is not Status.from_rule_word(fixture.expect):
        result.passed = False
        # The outcomes are the words a fixture file writes (fires, ruled-out, undetermined).
        result.difference = gettext("expected {expected}, got {actual}").format(
            expected=fixture.expect, actual=actual.rule_word)
        if actual is Status.UNKNOWN:
            conclusion = kb.rules[rule_id].concludes
            missing = next((u.missing_facts for u in build_result(case, raw, kb).undetermined
                            if u.rule.id == conclusion), [])
            if missing:
                result.difference = gettext(
                    "expected {expected}, got {actual} (unknown: {facts})").format(
                        expected=fixture.expect, actual=actual.rule_word,
                        facts=", ".join(m.fact for m in missing))
    elif fixture.certainty is not None and actual is Status.HOLDS:
        got = raw.rule_certainty[rule_id]
        if abs(got - fixture.certainty) > fixture.tolerance:
            result.passed = False
            result.difference = gettext(
                "expected certainty {certainty} ± {tolerance}, got {actual}").format(
                    certainty=_decimal(f"{fixture.certainty:g}"),
                    tolerance=_decimal(f"{fixture.tolerance:g}"), actual=_decimal(f"{got:.4g}"))
    return result


def _decimal(shown: str) -> str:
    """A number as Python formatted it, with the decimal mark of the language in use."""
    from babel.numbers import get_decimal_symbol

    return shown.replace(".", get_decimal_symbol(current_language()))
