"""Compile validated rules into durable_rules ruleset definitions (JSON).

Each rule becomes durable rules of two polarities: one per conjunct that makes
it hold ("fires") and one per conjunct that makes it false ("refutes"). A rule
that neither fires nor is refuted is undetermined. Findings travel between
rules as facts of kind "concluded" / "refuted", joined by the rules that use
them. Rules are packed by chaining depth (stratum) into rulesets of at most
`max_rules` durable rules: durable_rules fails on one large ruleset (error 303
near 200 rules, ../shared/engine/DURABLE-NOTES.md) but runs many small ones.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from csdiag.model.knowledge_base import KnowledgeBase
from csdiag.model.logic import (
    ON_FACTS,
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
_DURABLE_OP = {"ne": "$neq", "gt": "$gt", "ge": "$gte", "lt": "$lt", "le": "$lte"}


@dataclass
class CompiledRuleset:
    name: str
    stratum: int
    definition: dict[str, Any] = field(default_factory=dict)
    branches: dict[str, CompiledBranch] = field(default_factory=dict)
    facts: set[str] = field(default_factory=set)
    # (finding, holds) pairs joined here: a fact is only asserted where a rule joins it,
    # since an unmatched fact makes durable_rules segfault in delete_state.
    joins: set[tuple[str, bool]] = field(default_factory=set)
    rules: set[str] = field(default_factory=set)


def _comparison(atom: Comparison) -> dict[str, Any]:
    if atom.op == "eq":
        return {atom.fact: atom.value}
    return {_DURABLE_OP[atom.op]: {atom.fact: atom.value}}


def _membership(atom: Membership) -> dict[str, Any]:
    if atom.included:
        return {"$or": [{atom.fact: v} for v in atom.values]}
    return {"$and": [{"$neq": {atom.fact: v}} for v in atom.values]}


def _durable_rule(conjunct: Conjunct) -> tuple[dict[str, Any], tuple[Atom, ...],
                                               tuple[FindingRef, ...]]:
    ordered = sorted(conjunct, key=repr)  # stable output for identical inputs
    tests: list[dict[str, Any]] = [{"kind": CASE}]
    joins: list[dict[str, Any]] = []
    joined: list[FindingRef] = []
    for atom in ordered:
        if isinstance(atom, Comparison):
            tests.append(_comparison(atom))
        elif isinstance(atom, Membership):
            tests.append(_membership(atom))
        elif isinstance(atom, Known):
            tests.append({"$ex" if atom.known else "$nex": {atom.fact: 1}})
        elif isinstance(atom, Band):
            if atom.low is not None:
                tests.append({"$gt" if atom.low_open else "$gte": {atom.fact: atom.low}})
            if atom.high is not None:
                tests.append({"$lt" if atom.high_open else "$lte": {atom.fact: atom.high}})
        elif isinstance(atom, FindingRef):
            name = f"f{len(joins)}"
            kind = CONCLUDED if atom.holds else REFUTED
            joins.append({name: {"$and": [{"kind": kind}, {"id": atom.finding}]}})
            joined.append(atom)
    case_test = tests[0] if len(tests) == 1 else {"$and": tests}
    return {"all": [{"c": case_test}, *joins]}, tuple(ordered), tuple(joined)


def _pack(branches: list[tuple[str, CompiledBranch, dict[str, Any]]], prefix: str,
          stratum: int, max_rules: int, max_facts: int) -> list[CompiledRuleset]:
    rulesets: list[CompiledRuleset] = []
    current: CompiledRuleset | None = None
    for label, branch, definition in branches:
        needed = {a.fact for a in branch.conjunct if isinstance(a, ON_FACTS)}
        if (current is None or len(current.branches) >= max_rules - 1  # one for the opener
                or len(current.facts | needed) > max_facts):
            current = CompiledRuleset(f"{prefix}-{len(rulesets)}", stratum)
            rulesets.append(current)
        name = f"{label}#{len(current.branches)}"
        current.definition[name] = definition
        current.branches[name] = branch
        current.facts |= needed
        current.joins |= {(j.finding, j.holds) for j in branch.joins}
        current.rules.add(branch.rule_id)
    return rulesets


def compile_probes(kb: KnowledgeBase, rule_ids: list[str],
                   max_rules: int = MAX_RULES_PER_RULESET) -> list[CompiledRuleset]:
    """One durable rule per condition on facts, as written and negated, of the given rules:
    durable_rules then tells an explanation which conditions hold, fail or are unknown."""
    branches = []
    for rule_id in sorted(set(rule_ids)):
        for atom in atoms(kb.rules[rule_id].condition):
            if isinstance(atom, FindingRef):
                continue  # findings' truth is already in the outcome
            for holds in (True, False):
                for conjunct in dnf(atom, holds):
                    definition, ordered, joined = _durable_rule(conjunct)
                    branches.append((f"probe#{rule_id}#{'holds' if holds else 'fails'}",
                                     CompiledBranch(rule_id, holds, ordered, joined),
                                     definition))
    digest = hashlib.sha256(repr(sorted(b[0] + repr(b[1]) for b in branches)).encode())
    rulesets = _pack(branches, f"csdiag-probe-{digest.hexdigest()[:12]}", 0, max_rules,
                     MAX_FACTS_PER_RULESET)
    for ruleset in rulesets:
        ruleset.definition[OPENER] = {"all": [{"c": {"kind": CASE}}]}
    return rulesets


def compile_knowledge_base(kb: KnowledgeBase, max_rules: int = MAX_RULES_PER_RULESET,
                           max_facts: int = MAX_FACTS_PER_RULESET) -> list[CompiledRuleset]:
    """Rulesets in the order they must run: every finding is concluded before it is used."""
    prefix = f"csdiag-{kb.digest()}-{max_rules}-{max_facts}"
    rulesets: list[CompiledRuleset] = []
    for stratum in sorted(set(kb.strata.values())):
        branches = []
        for rule_id in sorted(r for r, s in kb.strata.items() if s == stratum):
            rule = kb.rules[rule_id]
            for fires in (True, False):
                for conjunct in dnf(rule.condition, fires):
                    definition, ordered, joined = _durable_rule(conjunct)
                    branches.append((f"{rule_id}#{'fires' if fires else 'refutes'}",
                                     CompiledBranch(rule_id, fires, ordered, joined),
                                     definition))
        rulesets += _pack(branches, f"{prefix}-s{stratum}", stratum, max_rules, max_facts)
    for ruleset in rulesets:
        # A rule that fires on every case fact. durable_rules 2.0.28 segfaults in
        # delete_state on a session in which no action ever ran (measured: a fresh
        # ruleset whose first case matches nothing), and raises MessageNotHandled on a
        # fact that matches no rule. A never-firing sentinel avoids only the second.
        ruleset.definition[OPENER] = {"all": [{"c": {"kind": CASE}}]}
    return rulesets
