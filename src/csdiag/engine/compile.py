"""Compile validated rules into durable_rules ruleset definitions (JSON).

Each rule becomes durable rules of two polarities: one per conjunct that makes
it hold ("fires") and one per conjunct that makes it false ("refutes"). A rule
that neither fires nor is refuted is undetermined. Findings travel between
rules as facts of kind "concluded" / "refuted", joined by the rules that use
them. Rules are packed by chaining depth (stratum) into rulesets of at most
`max_rules` durable rules: durable_rules fails on one large ruleset (error 303
near 200 rules, as measured when this engine was designed) but runs many small ones.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from csdiag.model.knowledge_base import KnowledgeBase
from csdiag.model.logic import (
    ON_FACTS,
    All,
    Atom,
    Band,
    Comparison,
    Conjunct,
    FindingRef,
    Known,
    Membership,
    atoms,
    dnf,
)
from csdiag.model.outcome import CompiledBranch

MAX_RULES_PER_RULESET = 40
MAX_FACTS_PER_RULESET = 200  # durable_rules holds at most 255 properties per fact
CASE = "case"
CONCLUDED = "concluded"
REFUTED = "refuted"
OPENER = "csdiag-open"
CASE_ID = "cid"  # which case of a batch a fact belongs to
# Matches handed to one action call. Many cases share a session (a batch); with `cap`
# durable_rules hands a rule's matches for the whole batch to one callback instead of
# one each, which is where most of its per-case cost went (DURABLE-NOTES.md).
MATCHES_PER_CALL = 64
_DURABLE_OP = {"ne": "$neq", "gt": "$gt", "ge": "$gte", "lt": "$lt", "le": "$lte"}


@dataclass
class CompiledRuleset:
    name: str
    stratum: int
    definition: dict[str, Any] = field(default_factory=dict)
    branches: dict[str, CompiledBranch] = field(default_factory=dict)
    facts: set[str] = field(default_factory=set)
    numeric: set[str] = field(default_factory=set)  # facts matched as intervals (LOW, HIGH)
    # (finding, holds) pairs joined here: a fact is only asserted where a rule joins it,
    # since an unmatched fact makes durable_rules segfault in delete_state.
    joins: set[tuple[str, bool]] = field(default_factory=set)
    rules: set[str] = field(default_factory=set)


def low(fact: str) -> str:
    """The property holding the least value a number fact can have in the case."""
    return f"{fact}#low"


def high(fact: str) -> str:
    """The property holding the greatest value a number fact can have in the case."""
    return f"{fact}#high"


def _comparison(atom: Comparison) -> dict[str, Any]:
    if atom.op == "eq":
        return {atom.fact: atom.value}
    return {_DURABLE_OP[atom.op]: {atom.fact: atom.value}}


def _membership(atom: Membership) -> dict[str, Any]:
    if atom.included:
        return {"$or": [{atom.fact: v} for v in atom.values]}
    return {"$and": [{"$neq": {atom.fact: v}} for v in atom.values]}


# A number fact is an interval [LOW, HIGH] (one point when the value is exact; open on a
# side a bound does not give). A comparison holds when it holds for every value in the
# interval and fails when it fails for every one: otherwise it stays unknown, since
# durable_rules matches neither test. 'at_least: 20' makes '> 15' hold and '> 25' unknown.
def _interval_equals(fact: str, value: Any, equal: bool) -> dict[str, Any]:
    if equal:
        return {"$and": [{low(fact): value}, {high(fact): value}]}
    return {"$or": [{"$lt": {high(fact): value}}, {"$gt": {low(fact): value}}]}


def _interval_comparison(atom: Comparison) -> dict[str, Any]:
    if atom.op in ("eq", "ne"):
        return _interval_equals(atom.fact, atom.value, atom.op == "eq")
    side = low(atom.fact) if atom.op in ("gt", "ge") else high(atom.fact)
    return {_DURABLE_OP[atom.op]: {side: atom.value}}


def _interval_membership(atom: Membership) -> dict[str, Any]:
    tests = [_interval_equals(atom.fact, v, atom.included) for v in atom.values]
    return {"$or" if atom.included else "$and": tests}


def _interval_known(atom: Known) -> dict[str, Any]:
    if atom.known:
        return {"$or": [{"$ex": {low(atom.fact): 1}}, {"$ex": {high(atom.fact): 1}}]}
    return {"$and": [{"$nex": {low(atom.fact): 1}}, {"$nex": {high(atom.fact): 1}}]}


def _band(atom: Band) -> list[dict[str, Any]]:
    """Only number facts are graded: the whole interval must lie inside the band."""
    tests = []
    if atom.low is not None:
        tests.append({"$gt" if atom.low_open else "$gte": {low(atom.fact): atom.low}})
    if atom.high is not None:
        tests.append({"$lt" if atom.high_open else "$lte": {high(atom.fact): atom.high}})
    return tests


def _durable_rule(conjunct: Conjunct, numeric: set[str]
                  ) -> tuple[dict[str, Any], tuple[Atom, ...], tuple[FindingRef, ...]]:
    ordered = sorted(conjunct, key=repr)  # stable output for identical inputs
    tests: list[dict[str, Any]] = [{"kind": CASE}]
    joins: list[dict[str, Any]] = []
    joined: list[FindingRef] = []
    for atom in ordered:
        interval = getattr(atom, "fact", None) in numeric
        if isinstance(atom, Comparison):
            tests.append(_interval_comparison(atom) if interval else _comparison(atom))
        elif isinstance(atom, Membership):
            tests.append(_interval_membership(atom) if interval else _membership(atom))
        elif isinstance(atom, Known):
            tests.append(_interval_known(atom) if interval
                         else {"$ex" if atom.known else "$nex": {atom.fact: 1}})
        elif isinstance(atom, Band):
            tests += _band(atom)
        elif isinstance(atom, FindingRef):
            name = f"f{len(joins)}"
            kind = CONCLUDED if atom.holds else REFUTED
            # A finding joins the case fact of its own case only; 'finding', not 'id',
            # names it, since durable_rules refuses a second fact with the same 'id'.
            joins.append({name: {"$and": [{"kind": kind}, {"finding": atom.finding},
                                          {CASE_ID: {"c": CASE_ID}}]}})
            joined.append(atom)
    case_test = tests[0] if len(tests) == 1 else {"$and": tests}
    return ({"all": [{"c": case_test}, *joins], "cap": MATCHES_PER_CALL}, tuple(ordered),
            tuple(joined))


def _pack(branches: list[tuple[str, CompiledBranch, dict[str, Any]]], prefix: str,
          stratum: int, max_rules: int, max_facts: int, numeric: set[str]
          ) -> list[CompiledRuleset]:
    rulesets: list[CompiledRuleset] = []
    current: CompiledRuleset | None = None
    for label, branch, definition in branches:
        needed = {a.fact for a in branch.conjunct if isinstance(a, ON_FACTS)}
        facts = needed | (current.facts if current else set())
        properties = len(facts) + len(facts & numeric)  # a number fact takes two
        if (current is None or len(current.branches) >= max_rules - 1  # one for the opener
                or properties > max_facts):
            current = CompiledRuleset(f"{prefix}-{len(rulesets)}", stratum)
            rulesets.append(current)
        name = f"{label}#{len(current.branches)}"
        current.definition[name] = definition
        current.branches[name] = branch
        current.facts |= needed
        current.numeric |= needed & numeric
        current.joins |= {(j.finding, j.holds) for j in branch.joins}
        current.rules.add(branch.rule_id)
    return rulesets


def number_facts(kb: KnowledgeBase) -> set[str]:
    return {name for name, definition in kb.vocabulary.facts.items() if definition.is_numeric}


def compile_probes(kb: KnowledgeBase, rule_ids: list[str],
                   max_rules: int = MAX_RULES_PER_RULESET) -> list[CompiledRuleset]:
    """One durable rule per condition on facts, as written and negated, of the given rules:
    durable_rules then tells an explanation which conditions hold, fail or are unknown."""
    numeric = number_facts(kb)
    branches = []
    for rule_id in sorted(set(rule_ids)):
        for atom in atoms(kb.rules[rule_id].condition):
            if isinstance(atom, FindingRef):
                continue  # findings' truth is already in the outcome
            for holds in (True, False):
                for conjunct in dnf(atom, holds):
                    definition, ordered, joined = _durable_rule(conjunct, numeric)
                    branches.append((f"probe#{rule_id}#{'holds' if holds else 'fails'}",
                                     CompiledBranch(rule_id, holds, ordered, joined),
                                     definition))
    digest = hashlib.sha256(repr(sorted(b[0] + repr(b[1]) for b in branches)).encode())
    # Probes packed by the fact they read: each ruleset then reads a few facts, and every
    # match durable_rules hands back (the case fact, whole) is that much smaller.
    branches.sort(key=lambda b: getattr(b[1].conjunct[0], "fact", ""))
    rulesets = _pack(branches, f"csdiag-probe-{digest.hexdigest()[:12]}", 0, max_rules,
                     MAX_FACTS_PER_RULESET, numeric)
    for ruleset in rulesets:
        ruleset.definition[OPENER] = _opener()
    return rulesets


def _opener() -> dict[str, Any]:
    """A rule that fires on every case fact. durable_rules 2.0.28 segfaults in
    delete_state on a session in which no action ever ran (measured: a fresh ruleset
    whose first case matches nothing), and raises MessageNotHandled on a fact that
    matches no rule. A never-firing sentinel avoids only the second."""
    return {"all": [{"c": {"kind": CASE}}], "cap": MATCHES_PER_CALL}


def _sign_branches(kb: KnowledgeBase, rule_id: str, numeric: set[str]
                   ) -> list[tuple[str, CompiledBranch, dict[str, Any]]]:
    """One branch per way each sign (part of the top-level 'all') of a rule about a
    diagnosis can hold: partial evidence when the rule itself neither fires nor is ruled
    out. A rule's refuting branches already say which sign fails."""
    rule = kb.rules[rule_id]
    if (not isinstance(rule.condition, All) or len(rule.condition.parts) < 2
            or kb.rules[rule.concludes].kind != "diagnosis"):
        return []
    branches = []
    for index, part in enumerate(rule.condition.parts):
        for conjunct in dnf(part, True):
            definition, ordered, joined = _durable_rule(conjunct, numeric)
            branches.append((f"{rule_id}#sign{index}",
                             CompiledBranch(rule_id, True, ordered, joined, sign=index),
                             definition))
    return branches


def compile_knowledge_base(kb: KnowledgeBase, max_rules: int = MAX_RULES_PER_RULESET,
                           max_facts: int = MAX_FACTS_PER_RULESET) -> list[CompiledRuleset]:
    """Rulesets in the order they must run: every finding is concluded before it is used."""
    prefix = f"csdiag-{kb.digest()}-{max_rules}-{max_facts}"
    numeric = number_facts(kb)
    rulesets: list[CompiledRuleset] = []
    for stratum in sorted(set(kb.strata.values())):
        branches = []
        for rule_id in sorted(r for r, s in kb.strata.items() if s == stratum):
            rule = kb.rules[rule_id]
            for fires in (True, False):
                for conjunct in dnf(rule.condition, fires):
                    definition, ordered, joined = _durable_rule(conjunct, numeric)
                    branches.append((f"{rule_id}#{'fires' if fires else 'refutes'}",
                                     CompiledBranch(rule_id, fires, ordered, joined),
                                     definition))

            branches += _sign_branches(kb, rule_id, numeric)
        rulesets += _pack(branches, f"{prefix}-s{stratum}", stratum, max_rules, max_facts,
                          numeric)
    for ruleset in rulesets:
        ruleset.definition[OPENER] = _opener()
    return rulesets
