"""Explanations: how a conclusion was reached, or why it was not, and the nearest way to
reach it. Every truth value shown comes from durable_rules: the case's own run for
findings, and probe rulesets (one durable rule per condition and polarity) for facts."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from csdiag.formats.case import Case
from csdiag.formats.errors import Problem, UserError, did_you_mean
from csdiag.formats.located_yaml import YamlPath
from csdiag.formats.rule import Rule
from csdiag.formats.vocabulary import FactValue
from csdiag.i18n import Text, current_language, gettext
from csdiag.model.logic import (
    All,
    Any_,
    Atom,
    Band,
    Condition,
    FactAtom,
    FindingRef,
    Not,
)
from csdiag.model.outcome import RawOutcome, Status, Verdict
from csdiag.reason.diagnosis import DEFAULT_THRESHOLD, CaseResult, Diagnoser, build_result


@dataclass(slots=True)
class ConditionStatus:
    condition: str
    status: Status
    fact: str | None = None
    value: FactValue | None = None
    question: Text | None = None
    finding: Explanation | None = None  # how (or why not) a finding this rests on
    finding_id: str | None = None  # the finding; its explanation is given where first met
    at_least: float | None = None  # a case that gives the fact only as a bound or a range
    at_most: float | None = None
    confidence: float | None = None  # the case marks the value as an estimate this sure


@dataclass(slots=True)
class ConditionGroup:
    """An 'all of', 'any of' or 'not' in a rule's condition, with the truth its parts
    give it (the parts' truths are durable_rules' own)."""

    kind: str  # all, any, not
    status: Status
    parts: list[ConditionGroup | ConditionStatus]


@dataclass(slots=True)
class RuleStep:
    rule: Rule
    status: Status  # holds: the rule fires; fails: it is ruled out
    certainty: float | None
    weights: dict[str, float]
    conditions: list[ConditionStatus]
    # The same conditions in the rule's all/any structure, for a person to read.
    tree: ConditionGroup | ConditionStatus | None = None


@dataclass(slots=True)
class Explanation:
    id: str
    title: Text
    verdict: Verdict
    certainty: float | None
    steps: list[RuleStep]
    nearest: list[ConditionStatus] = field(default_factory=list)  # what would reach it
    language: str = field(default_factory=current_language)  # of its text
    # The rule asked for, when it adds evidence to this conclusion (`concludes:`) rather
    # than being the conclusion's own: it has no verdict of its own, its conclusion has.
    asked_for: str | None = None


class Explainer:
    def __init__(self, diagnoser: Diagnoser, case: Case, threshold: float = DEFAULT_THRESHOLD,
                 run: tuple[RawOutcome, dict[tuple[str, YamlPath], Status]] | None = None):
        """`run`: the case's outcome and condition truth, when the engine already ran it
        (with other cases, in a batch: see Explainer.runs)."""
        self.kb = diagnoser.kb
        self.case = case
        self.threshold = threshold
        self.outcome, self.truth = run or Explainer.runs(diagnoser, [case])[0]
        # A finding's embedded explanation, by the findings below it already expanded in
        # the tree (all its making depends on), with the findings its making expanded:
        # many diagnoses rest on the same findings, and each tree embeds them again.
        self._embedded: dict[tuple[str, frozenset[str]],
                             tuple[Explanation, frozenset[str]]] = {}

    @staticmethod
    def runs(diagnoser: Diagnoser, cases: Sequence[Case]
             ) -> list[tuple[RawOutcome, dict[tuple[str, YamlPath], Status]]]:
        """What explanations read of each case (its outcome and every condition's truth),
        with the engine running the cases together."""
        outcomes = diagnoser.outcomes(cases)
        truths = diagnoser.condition_truths(cases, list(diagnoser.kb.rules))
        return list(zip(outcomes, truths, strict=True))

    def result(self) -> CaseResult:
        """The case's report, from the same engine run the explanations read."""
        return build_result(self.case, self.outcome, self.kb, self.threshold)

    def explain_all(self) -> dict[str, Explanation]:
        """How, or why not, for every diagnosis the knowledge base knows: what the JSON
        report carries so a tool can show an explanation without running csdiag again."""
        return {rule.id: self.explain(rule.id) for rule in self.kb.diagnoses()}

    def explain(self, conclusion: str) -> Explanation:
        """How the conclusion was reached, or why not. Each finding it rests on is
        explained once, where it is first met: a finding that several rules use is not
        repeated, so the tree grows with the rules, not with the paths through them.
        The id of a rule that adds evidence to another conclusion explains that
        conclusion, the rule's own step among the others (`asked_for` names it)."""
        rule = self.kb.rules.get(conclusion)
        if rule is not None and not rule.is_primary and rule.concludes in self.kb.rules:
            explanation = self._explain(rule.concludes, {rule.concludes})
            explanation.asked_for = conclusion
            return explanation
        return self._explain(conclusion, {conclusion})

    def _explain(self, conclusion: str, expanded: set[str]) -> Explanation:
        if conclusion not in self.kb.rules or not self.kb.rules[conclusion].is_primary:
            hint = did_you_mean(conclusion, [r.id for r in self.kb.rules.values()
                                             if r.is_primary])
            raise UserError([Problem(conclusion, None, None, gettext(
                "no rule '{id}'").format(id=conclusion), (hint + " " if hint else "")
                + gettext("'csdiag rules list' shows the ids"))])
        primary = self.kb.rules[conclusion]
        certainty = self.outcome.concluded.get(conclusion)
        steps = [self._step(rule, expanded) for rule in self.kb.contributors(conclusion)]
        explanation = Explanation(conclusion, primary.title, self._verdict(primary, certainty),
                                  round(certainty, 4) if certainty is not None else None, steps)
        if explanation.verdict in (Verdict.RULED_OUT, Verdict.NOT_ASSESSABLE,
                                   Verdict.WEAK_SIGNAL):
            explanation.nearest = self._nearest(conclusion)
        return explanation

    def _verdict(self, rule: Rule, certainty: float | None) -> Verdict:
        if certainty is not None:
            if rule.kind == "finding":
                return Verdict.FINDING
            return Verdict.DIAGNOSED if certainty >= self.threshold else Verdict.WEAK_SIGNAL
        return (Verdict.RULED_OUT if rule.id in self.outcome.refuted
                else Verdict.NOT_ASSESSABLE)

    def _status(self, rule: Rule, atom: Atom) -> Status:
        if isinstance(atom, FindingRef):
            if atom.finding in self.outcome.concluded:
                return Status.HOLDS if atom.holds else Status.FAILS
            if atom.finding in self.outcome.refuted:
                return Status.FAILS if atom.holds else Status.HOLDS
            return Status.UNKNOWN
        return self.truth.get((rule.id, atom.path), Status.UNKNOWN)

    def _condition(self, rule: Rule, atom: Atom, expanded: set[str] | None,
                   negated: bool = False) -> ConditionStatus:
        """One condition with its truth; a finding's own explanation is embedded unless
        it is already in the tree (or `expanded` is None: no embedding at all)."""
        status = self._status(rule, atom)
        text = atom.describe()
        if negated:
            text = f"not ({text})"
            status = status.negated()
        if isinstance(atom, FindingRef):
            finding = None
            if expanded is not None and atom.finding not in expanded:
                expanded.add(atom.finding)
                finding = self._embedded_explanation(atom.finding, expanded)
            return ConditionStatus(f"{self.kb.rules[atom.finding].title} [{text}]", status,
                                   finding=finding, finding_id=atom.finding)
        return self._fact_status(text, status, atom.fact)

    def _embedded_explanation(self, finding: str, expanded: set[str]) -> Explanation:
        """_explain(finding, expanded), made once per case for each set of the findings
        below it already expanded; `expanded` gains what the making expanded."""
        below = self._findings_below(finding)
        key = (finding, frozenset(below & expanded))
        made = self._embedded.get(key)
        if made is None:
            explanation = self._explain(finding, expanded)
            made = self._embedded[key] = (explanation, frozenset(below & expanded) - key[1])
        else:
            expanded |= made[1]
        return made[0]

    def _findings_below(self, conclusion: str) -> frozenset[str]:
        """Every finding the conclusion's rules read, directly or through other findings."""
        def make() -> frozenset[str]:
            found: set[str] = set()
            todo = [conclusion]
            while todo:
                for rule in self.kb.contributors(todo.pop()):
                    for atom, _ in self._leaves(rule):
                        if isinstance(atom, FindingRef) and atom.finding not in found:
                            found.add(atom.finding)
                            todo.append(atom.finding)
            return frozenset(found)

        return self.kb.derived(("findings-below", conclusion), make)

    def _fact_status(self, text: str, status: Status, fact: str) -> ConditionStatus:
        known = self.case.facts.get(fact)
        if known is None:
            return ConditionStatus(text, status, fact, None,
                                   self.kb.vocabulary[fact].question)
        return ConditionStatus(text, status, fact, known.value,
                               at_least=known.at_least if known.bounded else None,
                               at_most=known.at_most if known.bounded else None,
                               confidence=known.confidence)

    def _leaves(self, rule: Rule) -> list[tuple[Atom, bool]]:
        """The rule's written conditions, each with whether a 'not' turns it over."""
        return self.kb.derived(("explain-leaves", rule.id),
                               lambda: _atoms_with_polarity(rule.condition))

    def _step(self, rule: Rule, expanded: set[str]) -> RuleStep:
        conditions = [self._condition(rule, atom, expanded, negated)
                      for atom, negated in self._leaves(rule)]
        firing = max(self.outcome.firings_of(rule.id), key=lambda f: abs(f.certainty),
                     default=None)
        leaves = iter(conditions)  # in the order _atoms_with_polarity walks the condition
        return RuleStep(rule, self.outcome.rule_status(rule.id),
                        self.outcome.rule_certainty.get(rule.id),
                        firing.weights if firing else {}, conditions,
                        _tree(rule.condition, leaves))

    def _nearest(self, conclusion: str) -> list[ConditionStatus]:
        """The way to make the conclusion hold that changes or asks the fewest things:
        over every branch of every supporting rule, the one with fewest conditions not
        yet holding (failing ones count double: they need a change, not a question)."""
        best: tuple[Rule, list[tuple[Atom, Status]]] | None = None
        best_cost = None
        for rule in self.kb.contributors(conclusion):
            if rule.certainty <= 0:
                continue
            for literals in self._branch_literals(rule.id):
                missing: list[tuple[Atom, Status]] = []
                cost = 0
                for literal, written, flips in literals:
                    status = self._status(rule, written)
                    if flips:
                        status = status.negated()
                    if status is not Status.HOLDS:
                        cost += 2 if status is Status.FAILS else 1
                        missing.append((literal, status))
                if best_cost is None or cost < best_cost:
                    best, best_cost = (rule, missing), cost
        if best is None:
            return []
        rule, needed = best
        return [self._condition(rule, literal, None) if isinstance(literal, FindingRef)
                else self._literal_condition(rule, literal, status)
                for literal, status in needed]

    def _branch_literals(self, rule_id: str) -> list[list[tuple[Atom, Atom, bool]]]:
        """Each way the rule holds, as its literals in written order, each with the
        written condition whose truth it reads and whether it reads it turned over (a
        band reads its condition's truth as it is)."""
        def make() -> list[list[tuple[Atom, Atom, bool]]]:
            branches = []
            for conjunct in self.kb.conjuncts(rule_id):
                literals: list[tuple[Atom, Atom, bool]] = []
                for literal in sorted(conjunct, key=lambda a: a.path):
                    if isinstance(literal, FindingRef):
                        literals.append((literal, literal, False))
                    else:
                        written = self.kb.written_atom(rule_id, literal.path)
                        literals.append((literal, written, not (
                            literal == written or isinstance(literal, Band))))
                branches.append(literals)
            return branches

        return self.kb.derived(("explain-branches", rule_id), make)

    def _literal_condition(self, rule: Rule, literal: FactAtom, status: Status
                           ) -> ConditionStatus:
        return self._fact_status(literal.describe(), status, literal.fact)


def _tree(condition: Condition, leaves: Iterator[ConditionStatus], negated: bool = False
          ) -> ConditionGroup | ConditionStatus:
    """The condition's structure over its leaves (taken in the order they were made); a
    group's truth is its parts' under three-valued logic. Below a 'not' the leaves read
    'not (…)', so its groups turn over as De Morgan says: not all = any not."""
    if isinstance(condition, Not):
        return _tree(condition.part, leaves, not negated)
    if isinstance(condition, (All, Any_)):
        parts = [_tree(part, leaves, negated) for part in condition.parts]
        every = isinstance(condition, All) != negated
        statuses = {p.status for p in parts}
        decisive, other = ((Status.FAILS, Status.HOLDS) if every
                           else (Status.HOLDS, Status.FAILS))
        status = (decisive if decisive in statuses else
                  Status.UNKNOWN if Status.UNKNOWN in statuses else other)
        return ConditionGroup("all" if every else "any", status, parts)
    return next(leaves)


def _atoms_with_polarity(condition: Condition, negated: bool = False
                         ) -> list[tuple[Atom, bool]]:
    """Each written condition, and whether an odd number of 'not's stands above it."""
    if isinstance(condition, Not):
        return _atoms_with_polarity(condition.part, not negated)
    if isinstance(condition, (All, Any_)):
        return [pair for part in condition.parts for pair in _atoms_with_polarity(part, negated)]
    return [(condition, negated)]
