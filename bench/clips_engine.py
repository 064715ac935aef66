"""CLIPS (through clipspy) running csdiag's rules: the classic rule engine to measure
csdiag against.

Every rule becomes CLIPS defrules straight from csdiag's own three-valued disjunctive
normal form (csdiag.model.logic.dnf): one defrule per conjunct that makes the rule hold
(it asserts `(concluded N)`) and one per conjunct that rules it out (`(refuted N)`).
A case is one fact of the template `case`, a slot per vocabulary fact; a fact the case
leaves unknown keeps the slot's default, the symbol nil, which no comparison matches,
so an unknown fact makes neither side hold (Kleene's logic, as csdiag and the closure
floor judge it). A finding is read by joining on its `(concluded N)` or `(refuted N)`
fact, so chains of findings fire in CLIPS's own forward chaining, in any order: the
facts are fixed for the case and findings only ever get decided, never undecided, so
no strata or salience are needed. CLIPS keeps no duplicate facts, so a rule that holds
by two conjuncts is concluded once.

One environment for all cases: `reset` between cases (which clears the facts and the
agenda and sets the globals back, keeping the compiled rules) is far cheaper than
building an environment per case. Each rule has a global, `u` until a defrule sets it
to `c` (concluded) or `r` (ruled out); one call per case reads them all back as one
string. Reading result facts back through clipspy instead cost more than the matching
(a few µs per fact), and appending to one growing string is quadratic in CLIPS, which
interns every string it makes. Only findings that another rule reads are asserted as
facts.

Valid for packs in which every rule concludes itself with a positive certainty, as
generate_pack writes them: a rule is then concluded exactly when it holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from csdiag.model.knowledge_base import KnowledgeBase
from csdiag.model.logic import (
    Comparison,
    Conjunct,
    FindingRef,
    Known,
    Membership,
    dnf,
    findings_used,
)

try:
    import clips
except ImportError:  # an optional bench dependency: the bench runs without this column
    clips = None

INSTALL_HINT = "CLIPS column skipped: clipspy is not installed (pip install -e '.[bench]')"
_COMPARE = {"gt": ">", "ge": ">=", "lt": "<", "le": "<=", "eq": "=", "ne": "<>"}
UNKNOWN = "nil"  # a slot's default: the case leaves the fact unknown
UNDECIDED = "u"  # a rule's global until a defrule concludes (c) or rules it out (r)


def available() -> bool:
    return clips is not None


def literal(value: Any) -> str:
    """A Python value as CLIPS writes it: booleans as the symbols clipspy makes of them,
    text as a string."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _equal(variable: str, value: Any) -> str:
    """Python's ==: numbers by value (3 == 3.0), anything else by type and value."""
    if _is_number(value):
        return f"(and (numberp {variable}) (= {variable} {literal(value)}))"
    return f"(eq {variable} {literal(value)})"


def predicate(atom: Comparison | Membership | Known, variable: str) -> str:
    """The atom as a CLIPS boolean expression over the slot's value; false on nil."""
    if isinstance(atom, Known):
        return f"({'neq' if atom.known else 'eq'} {variable} {UNKNOWN})"
    if isinstance(atom, Membership):
        any_of = " ".join(_equal(variable, v) for v in atom.values)
        if atom.included:
            return f"(or {any_of})"
        return f"(and (neq {variable} {UNKNOWN}) (not (or {any_of})))"
    if atom.op == "eq":
        return _equal(variable, atom.value)
    if atom.op == "ne" and not _is_number(atom.value):
        return f"(and (neq {variable} {UNKNOWN}) (neq {variable} {literal(atom.value)}))"
    return (f"(and (numberp {variable}) "
            f"({_COMPARE[atom.op]} {variable} {literal(atom.value)}))")


def constraint(atoms: list[Comparison | Membership | Known], variable: str) -> str:
    """A slot constraint: plain literals where CLIPS can test them in its alpha network
    (one atom on text or booleans), else a predicate."""
    if len(atoms) == 1:
        atom = atoms[0]
        if isinstance(atom, Known):
            return UNKNOWN if not atom.known else f"~{UNKNOWN}"
        values = (atom.values if isinstance(atom, Membership)
                  else (atom.value,) if atom.op in ("eq", "ne") else ())
        if values and not any(_is_number(v) for v in values):
            shown = [literal(v) for v in values]
            excluded = (not atom.included if isinstance(atom, Membership)
                        else atom.op == "ne")
            if excluded:
                return "&".join([f"~{UNKNOWN}", *(f"~{s}" for s in shown)])
            return "|".join(shown)
    tests = [predicate(atom, variable) for atom in atoms]
    return f"{variable}&:{tests[0] if len(tests) == 1 else '(and ' + ' '.join(tests) + ')'}"


class ClipsEngine:
    """A knowledge base as CLIPS defrules in one environment, reset for every case."""

    def __init__(self, kb: KnowledgeBase):
        if clips is None:
            raise RuntimeError(INSTALL_HINT)
        for rule in kb.rules.values():
            if not rule.is_primary or rule.certainty <= 0:
                raise ValueError(f"rule {rule.id}: the CLIPS engine handles only rules that "
                                 "conclude themselves with a positive certainty")
        names = kb.vocabulary.names()
        # Slots are numbered, rules too: fact names and rule ids need not be CLIPS symbols.
        self.slots = {name: f"s{n}" for n, name in enumerate(names)}
        self.rule_ids = sorted(kb.rules)
        self.number = {rule_id: n for n, rule_id in enumerate(self.rule_ids)}
        self.env = clips.Environment()
        self.env.build("(deftemplate case " + " ".join(
            f"(slot {slot})" for slot in self.slots.values()) + ")")
        self.env.build("(defglobal " + " ".join(
            f"?*s{n}* = {UNDECIDED}" for n in range(len(self.rule_ids))) + ")")
        # A deffunction, so the call is parsed once, not per case.
        self.env.build("(deffunction statuses () (str-cat " + " ".join(
            f"?*s{n}*" for n in range(len(self.rule_ids))) + "))")
        self.read = set().union(*(findings_used(r.condition) for r in kb.rules.values()))
        self.defrules = 0
        for rule_id in self.rule_ids:
            condition = kb.rules[rule_id].condition
            for holds in (True, False):
                for index, conjunct in enumerate(dnf(condition, holds)):
                    self.env.build(self.defrule(rule_id, holds, index, conjunct))
                    self.defrules += 1
        self.case = self.env.find_template("case")

    def defrule(self, rule_id: str, holds: bool, index: int, conjunct: Conjunct) -> str:
        """One conjunct as a defrule: the case pattern, a pattern per finding it reads,
        and an action that records the rule's status."""
        by_slot: dict[str, list[Comparison | Membership | Known]] = {}
        patterns = []
        for atom in sorted(conjunct, key=repr):  # a stable order, for stable rule text
            if isinstance(atom, FindingRef):
                kind = "concluded" if atom.holds else "refuted"
                patterns.append(f"({kind} {self.number[atom.finding]})")
            elif isinstance(atom, (Comparison, Membership, Known)):
                by_slot.setdefault(self.slots[atom.fact], []).append(atom)
            else:
                raise NotImplementedError(f"the CLIPS engine does not handle "
                                          f"{type(atom).__name__}")
        if by_slot:
            tests = " ".join(f"({slot} {constraint(atoms, '?' + slot)})"
                             for slot, atoms in by_slot.items())
            patterns.insert(0, f"(case {tests})")
        kind = "concluded" if holds else "refuted"
        number = self.number[rule_id]
        chained = f"(assert ({kind} {number})) " if rule_id in self.read else ""
        return (f"(defrule {kind}-{number}-{index} {' '.join(patterns)} => "
                f"{chained}(bind ?*s{number}* {kind[0]}))")

    def run(self, facts: Mapping[str, Any]) -> tuple[set[str], set[str]]:
        """The rules concluded and the rules ruled out for these facts."""
        env, slots = self.env, self.slots
        env.reset()
        self.case.assert_fact(**{slots[name]: value for name, value in facts.items()})
        env.run()
        statuses = env.eval("(statuses)")
        ids = self.rule_ids
        return ({ids[n] for n, status in enumerate(statuses) if status == "c"},
                {ids[n] for n, status in enumerate(statuses) if status == "r"})
