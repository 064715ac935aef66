"""What an engine run concluded for one case, as pure data: no engine is imported here.

`Status` is the one spelling of csdiag's three-valued state, for a condition (holds,
fails, unknown) and for a rule (fires, is ruled out, is undetermined).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Protocol

from csdiag.formats.located_yaml import YamlPath
from csdiag.formats.vocabulary import FactValue
from csdiag.model.logic import Atom, FindingRef


class Status(Enum):
    """Three-valued truth: of a condition, or of a rule on a case."""

    HOLDS = "holds"
    FAILS = "fails"
    UNKNOWN = "unknown"

    def negated(self) -> Status:
        # By identity: an Enum's hash runs in Python, and explanations ask this often.
        if self is Status.HOLDS:
            return Status.FAILS
        return Status.HOLDS if self is Status.FAILS else self

    @property
    def rule_word(self) -> str:
        """How a rule's status is written in fixtures and JSON: fires, ruled-out, undetermined."""
        return _RULE_WORDS[self]

    @classmethod
    def from_rule_word(cls, word: str) -> Status:
        return {w: s for s, w in _RULE_WORDS.items()}[word]


_RULE_WORDS = {Status.HOLDS: "fires", Status.FAILS: "ruled-out", Status.UNKNOWN: "undetermined"}
RULE_WORDS = tuple(_RULE_WORDS.values())


class Verdict(StrEnum):
    """Where a conclusion ends up in a report."""

    DIAGNOSED = "diagnosed"
    WEAK_SIGNAL = "weak signal"
    FINDING = "finding"
    RULED_OUT = "ruled out"
    NOT_ASSESSABLE = "not assessable"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class CompiledBranch:
    """What one engine rule means: rule `rule_id` fires (or is refuted) by `conjunct`."""

    rule_id: str
    fires: bool
    conjunct: tuple[Atom, ...]
    joins: tuple[FindingRef, ...]  # the findings it joins, in the order the engine binds them
    # Set on a branch that shows one sign (one part of the rule's top-level 'all') holds:
    # partial evidence for a rule that neither fires nor is ruled out.
    sign: int | None = None


@dataclass(frozen=True)
class Match:
    """One branch the engine matched on a case, with the certainty of each finding it
    joined that holds (by finding id)."""

    branch: CompiledBranch
    finding_certainty: dict[str, float]


@dataclass
class Firing:
    """One branch that matched, with what it weighed."""

    branch: CompiledBranch
    # A firing branch: its signed evidence for the conclusion. A refuting branch (or a
    # sign): how strong that evidence is, 0..1, the weakest thing it rests on.
    certainty: float
    weights: dict[str, float]  # what scaled it: findings, graded bands, estimated facts


@dataclass
class RawOutcome:
    """What the engine concluded for one case, before it is turned into a report."""

    firings: list[Firing] = field(default_factory=list)
    concluded: dict[str, float] = field(default_factory=dict)  # conclusion -> combined cf
    # conclusion ruled out -> the strength of the combined evidence against it
    refuted: dict[str, float] = field(default_factory=dict)
    # conclusion neither concluded nor ruled out -> evidence against it too weak to rule it
    # out (it rests on estimates), or partial evidence for it (some signs present)
    doubted: dict[str, float] = field(default_factory=dict)
    partial: dict[str, float] = field(default_factory=dict)
    rule_certainty: dict[str, float] = field(default_factory=dict)  # rule that fired -> cf
    rule_refutation: dict[str, float] = field(default_factory=dict)  # rule -> strength against
    rules_refuted: set[str] = field(default_factory=set)  # rules ruled out (strong enough)
    rulesets_consulted: int = 0
    _by_rule: dict[tuple[str, bool, bool], list[Firing]] = field(
        default_factory=dict, repr=False, compare=False)

    def add(self, firing: Firing) -> None:
        self.firings.append(firing)
        # Indexed as they arrive: reports ask about every rule, and a scan per rule
        # made reporting quadratic in the number of rules.
        branch = firing.branch
        key = (branch.rule_id, branch.fires, branch.sign is not None)
        self._by_rule.setdefault(key, []).append(firing)

    def firings_of(self, rule_id: str, fires: bool = True) -> list[Firing]:
        """The firings of one rule's branches that conclude (or, with fires=False, refute)."""
        return self._by_rule.get((rule_id, fires, False), [])

    def signs_of(self, rule_id: str) -> list[Firing]:
        """The branches that showed one of a rule's signs holds."""
        return self._by_rule.get((rule_id, True, True), [])

    def sign_weights(self, rule_id: str) -> dict[int, float]:
        """Each sign of the rule that holds, with the strength of its strongest branch."""
        weights: dict[int, float] = {}
        for firing in self.signs_of(rule_id):
            sign = firing.branch.sign
            assert sign is not None
            weights[sign] = max(weights.get(sign, 0.0), firing.certainty)
        return weights

    def rule_status(self, rule_id: str) -> Status:
        if rule_id in self.rule_certainty:
            return Status.HOLDS
        return Status.FAILS if rule_id in self.rules_refuted else Status.UNKNOWN


class Reasoner(Protocol):
    """What the engine hands each finished stratum to: it weighs the matches and fixes
    the conclusions in `outcome`, which the engine then forwards to later strata."""

    def settle(self, matches: list[Match], confidence: dict[str, float],
               outcome: RawOutcome) -> None: ...


class InconsistentOutcome(RuntimeError):
    """The engine's matches contradict each other: a defect in csdiag, never the user's."""


class EngineError(RuntimeError):
    """The inference engine failed on input that validation accepted: a defect in csdiag."""


Bounds = dict[str, tuple[float | None, float | None]]  # fact -> (at least, at most)


@dataclass(frozen=True)
class EngineCase:
    """What an engine needs of one case: its facts, which of them are estimates (0..1),
    and the number facts known only by a bound or a range (at least, at most)."""

    facts: dict[str, FactValue]
    confidence: dict[str, float] = field(default_factory=dict)
    bounds: Bounds = field(default_factory=dict)


class Runner(Protocol):
    """What reasoning and the features need of an engine (csdiag.engine.Engine is one)."""

    def run_many(self, cases: Sequence[EngineCase]) -> list[RawOutcome]: ...

    def probe_many(self, rule_ids: list[str], cases: Sequence[EngineCase]
                   ) -> list[dict[tuple[str, YamlPath], Status]]: ...

    def run(self, facts: dict[str, FactValue], confidence: dict[str, float] | None = None,
            bounds: Bounds | None = None) -> RawOutcome: ...

    def close(self) -> None: ...
