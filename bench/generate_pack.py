"""Generate synthetic rule packs and cases for benchmarking csdiag.

A pack is a folder csdiag loads with `--rules DIR --no-builtin-rules`: a
`vocabulary.yaml` plus one YAML file per rule, grouped into folders by category.
Every rule is valid under csdiag's loader: ids match file names, thresholds are
marked `judgement`, no rule rests on `known: false` alone, and findings are only
referenced by rules written after them, so there are no loops.

Findings come in three chained levels: level 0 reads facts only, level 1 also
uses a level-0 finding, level 2 a level-1 finding. Diagnoses may use any
finding, so a pack has up to four strata.

Case values are drawn from a per-fact profile derived from the fact's name
(stable across runs), and rule thresholds are placed inside that profile, so
comparisons are true often enough for a realistic share of rules to fire.

    python bench/generate_pack.py OUT --rules 1000 [--attributes 60] [--seed 1]
        [--cases 20]
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from closures import fired_counts

FactSpec = Mapping[str, Any]  # one fact as declared in vocabulary.yaml
Condition = dict[str, Any]  # a `when` condition as written in a rule file

AREAS = ("ops", "hiring", "training", "quality", "leadership", "culture", "customer", "tech",
         "finance", "workforce")
CATEGORIES = ("leadership", "culture", "people", "training", "operations", "technology",
              "measurement", "process")
# Share of each fact type in the vocabulary; the rest of the 60 fall to the last type.
TYPE_MIX = (("percentage", 0.25), ("number", 0.2), ("score", 0.2), ("boolean", 0.2),
            ("enum", 0.15))
NUMBER_KINDS = (("days", 30.0), ("hours", 80.0), ("seconds", 600.0), ("weeks", 26.0),
                ("contacts per hour", 20.0), ("months", 36.0))
ENUM_WORDS = ("none", "line", "central", "outsourced", "mixed", "weekly", "monthly",
              "quarterly", "annual", "ad_hoc", "manual", "automated", "partial", "full")
FINDING_SHARE = 0.2
LEAF_COUNTS = ((1, 0.2), (2, 0.35), (3, 0.3), (4, 0.15))  # conditions per rule
ANY_TOP_SHARE = 0.1  # rules of several conditions whose top level is `any`
FINDING_USE_SHARE = 0.35  # diagnoses that use a finding (when any exists)
NOT_FINDING_SHARE = 0.15  # finding references written as `not: {finding: ...}`
FINDING_CERTAINTY = 0.8  # the least certainty of a generated finding (see _rule_document)
REMEDY_POOL = 25  # remedies shared among diagnoses, as in a real knowledge base


@dataclass(frozen=True)
class FactProfile:
    """How a fact's values are spread across organisations (never written to the pack:
    the vocabulary format has no place for it, so it is derived from the name)."""

    center: float = 0.0
    spread: float = 1.0
    low: float = 0.0
    high: float = 1.0
    decimals: int = 1
    p_true: float = 0.5
    weights: tuple[float, ...] = ()
    drift: float = 0.0  # how strongly the case's overall health shifts this fact


def _stable_rng(*parts: object) -> random.Random:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()
    return random.Random(int(digest[:16], 16))


def fact_profile(name: str, spec: FactSpec) -> FactProfile:
    """The value profile of a fact, the same for rule generation and case generation."""
    rng = _stable_rng("profile", name)
    kind = spec["type"]
    drift = rng.uniform(-0.6, 0.6)
    if kind == "boolean":
        return FactProfile(p_true=rng.uniform(0.2, 0.8), drift=drift)
    if kind == "enum":
        values = spec["values"]
        return FactProfile(weights=tuple(rng.uniform(0.5, 3.0) for _ in values), drift=drift)
    if kind == "percentage":
        low, high = 0.0, 100.0
    elif kind == "score":
        low, high = 1.0, 5.0
    else:
        low, high = float(spec.get("min", 0.0)), float(spec["max"])
    width = high - low
    if kind == "score":
        center, spread, decimals = rng.uniform(2.3, 4.1), rng.uniform(0.35, 0.6), 2
    else:
        center, spread, decimals = (low + width * rng.uniform(0.15, 0.75),
                                    width * rng.uniform(0.08, 0.2), 1)
    return FactProfile(center, spread, low, high, decimals, drift=drift)


# --- vocabulary -------------------------------------------------------------------------


def generate_vocabulary(n_attributes: int, seed: int) -> dict[str, dict[str, Any]]:
    """`n_attributes` facts mixing percentage, number, score, boolean and enum."""
    rng = random.Random(f"vocabulary-{seed}")
    types: list[str] = []
    for kind, share in TYPE_MIX:
        types += [kind] * round(share * n_attributes)
    types = (types + [TYPE_MIX[-1][0]] * n_attributes)[:n_attributes]
    rng.shuffle(types)
    facts: dict[str, dict[str, Any]] = {}
    for index, kind in enumerate(types):
        area = AREAS[index % len(AREAS)]
        stem = f"{area}.measure_{index:03d}"
        spec: dict[str, Any] = {"type": kind}
        if kind == "percentage":
            name = f"{stem}_pct"
            spec["unit"] = "%"
            spec["meaning"] = f"Share of cases on {area} measure {index}."
            spec["question"] = f"What share of cases meet {area} measure {index}?"
        elif kind == "number":
            unit, maximum = NUMBER_KINDS[index % len(NUMBER_KINDS)]
            name = f"{stem}_{unit.split()[0]}"
            spec.update(unit=unit, min=0, max=maximum)
            spec["meaning"] = f"Amount of {area} measure {index}, in {unit}."
            spec["question"] = f"How much is {area} measure {index}, in {unit}?"
        elif kind == "score":
            name = f"{stem}_score"
            spec["meaning"] = f"Mean 1-5 rating of {area} measure {index}."
            spec["question"] = f"What is the mean 1-5 rating of {area} measure {index}?"
        elif kind == "boolean":
            name = f"{stem}_in_place"
            spec["meaning"] = f"The organisation has {area} practice {index} in place."
            spec["question"] = f"Is {area} practice {index} in place?"
        else:
            name = f"{stem}_mode"
            spec["values"] = rng.sample(ENUM_WORDS, rng.randint(3, 5))
            spec["meaning"] = f"How {area} practice {index} is organised."
            spec["question"] = f"How is {area} practice {index} organised?"
        facts[name] = spec
    return facts


# --- rules ------------------------------------------------------------------------------


def _threshold(rng: random.Random, profile: FactProfile, upward: bool) -> int | float:
    """A threshold inside the bulk of the fact's values, rounded as an author would. Rules
    describe problems, which most organisations do not have: the threshold leans toward
    the tail the comparison points at."""
    lean = rng.uniform(-0.4, 1.0)
    value = profile.center + (lean if upward else -lean) * profile.spread
    inner_low = profile.low + (profile.high - profile.low) * 0.02
    inner_high = profile.high - (profile.high - profile.low) * 0.02
    value = min(max(value, inner_low), inner_high)
    narrow = profile.high - profile.low <= 5
    rounded = round(value, 1) if narrow else round(value)
    # Rounding may land on the edge of the range, where 'lt' (or 'gt') can never hold:
    # a pack csdiag would refuse. Keep the threshold strictly inside.
    step = 0.1 if narrow else 1
    if rounded <= profile.low:
        rounded = round(profile.low + step, 1)
    if rounded >= profile.high:
        rounded = round(profile.high - step, 1)
    return rounded


def _comparison(rng: random.Random, name: str, spec: FactSpec) -> Condition:
    kind = spec["type"]
    if kind == "boolean":
        return {"fact": name, "eq": rng.random() < 0.5} if rng.random() < 0.85 \
            else {"fact": name, "ne": rng.random() < 0.5}
    if kind == "enum":
        values: list[str] = list(spec["values"])
        roll = rng.random()
        if roll < 0.45:
            return {"fact": name, "eq": rng.choice(values)}
        if roll < 0.6:
            return {"fact": name, "ne": rng.choice(values)}
        if roll < 0.85:
            return {"fact": name, "in": rng.sample(values, 2)}
        return {"fact": name, "not_in": rng.sample(values, rng.randint(1, 2))}
    op = rng.choice(("gt", "ge", "lt", "le"))
    return {"fact": name, op: _threshold(rng, fact_profile(name, spec), op in ("gt", "ge")),
            "threshold": "judgement"}


@dataclass
class _RuleWriter:
    """Builds conditions for one rule from facts not yet used in it."""

    rng: random.Random
    vocabulary: Mapping[str, FactSpec]
    used: set[str] = field(default_factory=set)

    def fact(self) -> str:
        name = self.rng.choice([f for f in self.vocabulary if f not in self.used])
        self.used.add(name)
        return name

    def atom(self) -> Condition:
        """A comparison, now and then a `known: true` test or a negated comparison."""
        name = self.fact()
        roll = self.rng.random()
        if roll < 0.08:
            return {"fact": name, "known": True}
        if roll < 0.16:
            return {"not": _comparison(self.rng, name, self.vocabulary[name])}
        return _comparison(self.rng, name, self.vocabulary[name])

    def leaves(self, count: int) -> list[Condition]:
        """`count` conditions, two of them sometimes grouped into a nested any/all."""
        items = [self.atom() for _ in range(count)]
        if count >= 3 and self.rng.random() < 0.4:
            nested = "any" if self.rng.random() < 0.6 else "all"
            items = [*items[:-2], {nested: items[-2:]}]
        return items


def _finding_ref(rng: random.Random, finding: str, allow_not: bool = True) -> Condition:
    if allow_not and rng.random() < NOT_FINDING_SHARE:
        return {"not": {"finding": finding}}
    return {"finding": finding}


def _condition(rng: random.Random, writer: _RuleWriter, findings: list[str]) -> Condition:
    """A rule's `when`: 1-4 conditions, `findings` (if any) among them."""
    count = rng.choices([c for c, _ in LEAF_COUNTS], [w for _, w in LEAF_COUNTS])[0]
    count = max(count, len(findings) + 1)  # a finding alone would be a mere alias
    refs = [_finding_ref(rng, f) for f in findings]
    items = refs + writer.leaves(count - len(refs))
    # Ignorance may only narrow a rule that also rests on something observed.
    if 2 <= len(items) < 4 and rng.random() < 0.05:
        items.append({"fact": writer.fact(), "known": False})
        return {"all": items}
    if len(items) == 1:
        return items[0]
    rng.shuffle(items)
    return {"any" if rng.random() < ANY_TOP_SHARE else "all": items}


def _rule_document(rule_id: str, kind: str, category: str, when: Condition,
                   rng: random.Random) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": rule_id,
        "kind": kind,
        "title": f"Generated {kind} {rule_id}",
        "description": f"A synthetic {kind} about {category}, generated for benchmarking.",
        "category": category,
    }
    if kind == "diagnosis":
        doc["severity"] = rng.choice(("low", "medium", "high", "critical"))
    # csdiag weighs a rule that rests on a finding by the finding's certainty, and rules
    # nothing out on evidence of 0.5 or less (RULE_OUT_ABOVE). Findings of 0.8 and more
    # keep three chained levels above it (0.8 ** 3 = 0.51), so csdiag rules out exactly
    # what the engines that model no certainty (closures, CLIPS) rule out.
    low = FINDING_CERTAINTY if kind == "finding" else 0.5
    doc["certainty"] = round(rng.uniform(low, 0.95), 2)
    doc["when"] = when
    if kind == "diagnosis":
        doc["remedies"] = [
            {"id": f"remedy-{n:02d}", "action": f"Carry out generated remedy {n}.",
             "why": "It addresses the generated cause."}
            for n in rng.sample(range(REMEDY_POOL), rng.randint(1, 3))]
    doc["sources"] = [{"citation": "csdiag benchmark generator (synthetic rule)"}]
    return doc


def generate_rules(vocabulary: Mapping[str, FactSpec], n_rules: int,
                   seed: int) -> dict[str, dict[str, Any]]:
    """Rule documents by id, in writing order: later rules use earlier findings."""
    rng = random.Random(f"rules-{seed}")
    n_findings = max(3, round(n_rules * FINDING_SHARE)) if n_rules >= 5 else 0
    finding_slots = set(rng.sample(range(n_rules), n_findings))
    by_level: list[list[str]] = [[], [], []]
    rules: dict[str, dict[str, Any]] = {}
    made = 0
    for index in range(n_rules):
        category = CATEGORIES[index % len(CATEGORIES)]
        writer = _RuleWriter(rng, vocabulary)
        if index in finding_slots:
            # Cut findings into three levels by the order they are written in.
            level = min(2, made * 3 // n_findings)
            if level > 0 and not by_level[level - 1]:
                level -= 1  # the level below is still empty: stay a level lower
            made += 1
            used = [rng.choice(by_level[level - 1])] if level else []
            if level == 2 and by_level[0] and rng.random() < 0.3:
                used.append(rng.choice(by_level[0]))
            rule_id = f"{category}-finding-{index:04d}"
            when = _condition(rng, writer, used)
            rules[rule_id] = _rule_document(rule_id, "finding", category, when, rng)
            by_level[level].append(rule_id)
        else:
            available = [f for level in by_level for f in level]
            used = []
            if available and rng.random() < FINDING_USE_SHARE:
                used = rng.sample(available, 1 if rng.random() < 0.75 or len(available) < 2
                                  else 2)
            rule_id = f"{category}-{index:04d}"
            when = _condition(rng, writer, used)
            rules[rule_id] = _rule_document(rule_id, "diagnosis", category, when, rng)
    return rules


def _dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def generate_pack(folder: Path, n_rules: int, n_attributes: int = 60,
                  seed: int = 1) -> dict[str, dict[str, Any]]:
    """Write a rule pack into `folder`; return its vocabulary (fact name -> declaration)."""
    vocabulary = generate_vocabulary(n_attributes, seed)
    _dump(folder / "vocabulary.yaml", {"facts": vocabulary})
    for rule_id, doc in generate_rules(vocabulary, n_rules, seed).items():
        _dump(folder / doc["category"] / f"{rule_id}.yaml", doc)
    return vocabulary


# --- cases ------------------------------------------------------------------------------


def _value(rng: random.Random, name: str, spec: FactSpec, health: float) -> Any:
    profile = fact_profile(name, spec)
    shift = health * profile.drift
    if spec["type"] == "boolean":
        return rng.random() < min(max(profile.p_true + 0.3 * shift, 0.02), 0.98)
    if spec["type"] == "enum":
        values = list(spec["values"])
        weights = [w * math.exp(shift * (i - len(values) / 2) / 2)
                   for i, w in enumerate(profile.weights)]
        return rng.choices(values, weights)[0]
    value = rng.gauss(profile.center + shift * profile.spread, profile.spread)
    value = round(min(max(value, profile.low), profile.high), profile.decimals)
    return int(value) if value == int(value) and spec["type"] != "score" else value


def generate_cases(vocabulary_facts: Mapping[str, FactSpec], n_cases: int, seed: int,
                   known_share: float = 0.9) -> list[dict[str, Any]]:
    """Case documents (as written in case files). Each organisation has an overall
    'health' that shifts its facts together, so rules fire in realistic clusters; each
    fact is given with probability `known_share`, so some are left unknown."""
    rng = random.Random(f"cases-{seed}")
    cases = []
    for number in range(n_cases):
        health = rng.gauss(0.0, 1.0)
        facts = {name: _value(rng, name, spec, health)
                 for name, spec in vocabulary_facts.items() if rng.random() < known_share}
        cases.append({"case": f"bench-{seed}-{number:05d}",
                      "organisation": f"Benchmark Organisation {number}",
                      "date": "2026-01-15", "assessor": "bench", "facts": facts})
    return cases


def write_cases(folder: Path, cases: list[dict[str, Any]]) -> list[Path]:
    paths = []
    for case in cases:
        path = folder / f"{case['case']}.yaml"
        _dump(path, case)
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="where to write the pack (created)")
    parser.add_argument("--rules", type=int, default=200)
    parser.add_argument("--attributes", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cases", type=int, default=0,
                        help="also write this many case files into FOLDER/cases "
                             "(outside the rules folder FOLDER/rules)")
    parser.add_argument("--known-share", type=float, default=0.9)
    args = parser.parse_args()
    vocabulary = generate_pack(args.folder / "rules", args.rules, args.attributes, args.seed)
    print(f"wrote {args.rules} rules and {len(vocabulary)} facts to {args.folder / 'rules'}")
    if args.cases:
        cases = generate_cases(vocabulary, args.cases, args.seed, args.known_share)
        write_cases(args.folder / "cases", cases)
        print(f"wrote {args.cases} cases to {args.folder / 'cases'}")
        # Checked, not assumed: how many rules a case makes fire under these rules.
        counts = fired_counts(args.folder / "rules", cases)
        print(f"rules fired per case (diagnosed + findings concluded): "
              f"mean {sum(counts) / len(counts):.1f}, min {min(counts)}, max {max(counts)}")


if __name__ == "__main__":
    main()
