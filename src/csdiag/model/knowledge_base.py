"""A knowledge base: validated rules over a fact vocabulary, ordered for chaining."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TypeVar, cast

from csdiag.formats.located_yaml import YamlPath
from csdiag.formats.rule import Rule
from csdiag.formats.vocabulary import Vocabulary
from csdiag.model.logic import Atom, Conjunct, atoms, dnf

T = TypeVar("T")


@dataclass
class KnowledgeBase:
    """A validated set of rules over a vocabulary, with rules ordered for chaining."""

    vocabulary: Vocabulary
    rules: dict[str, Rule]
    strata: dict[str, int] = field(default_factory=dict)
    folders: list[Path] = field(default_factory=list)
    # Identifies the files it was read from, as the pack cache keys them (engine.pack_cache);
    # "" when not known, e.g. for a knowledge base made in code.
    files_key: str = field(default="", compare=False, repr=False)

    def digest(self) -> str:
        """Identifies the rule content, so a compiled ruleset is registered once per process."""
        text = "\n".join(f"{r.id}|{r.kind}|{r.certainty}|{r.concludes}|{r.condition!r}"
                         for r in sorted(self.rules.values(), key=lambda r: r.id))
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    def conjuncts(self, rule_id: str, holds: bool = True) -> list[Conjunct]:
        """The ways the rule's condition holds (or, not `holds`, fails): computed once,
        since explanations ask for them on every case."""
        key = (rule_id, holds)
        if key not in self._conjuncts:
            self._conjuncts[key] = dnf(self.rules[rule_id].condition, holds)
        return self._conjuncts[key]

    def written_atom(self, rule_id: str, path: YamlPath) -> Atom:
        """The condition written at `path` in the rule (a branch's literal may be its
        negation or one band of it)."""
        if rule_id not in self._atoms_by_path:
            self._atoms_by_path[rule_id] = {
                atom.path: atom for atom in reversed(atoms(self.rules[rule_id].condition))}
        return self._atoms_by_path[rule_id][path]

    def derived(self, key: Hashable, make: Callable[[], T]) -> T:
        """make(), computed once per knowledge base for `key`: for what a feature derives
        from the rules alone and would otherwise derive again for every case."""
        if key not in self._derived:
            self._derived[key] = make()
        return cast(T, self._derived[key])

    @cached_property
    def _derived(self) -> dict[Hashable, object]:
        return {}

    @cached_property
    def _conjuncts(self) -> dict[tuple[str, bool], list[Conjunct]]:
        return {}

    @cached_property
    def _atoms_by_path(self) -> dict[str, dict[YamlPath, Atom]]:
        return {}

    def diagnoses(self) -> list[Rule]:
        return [r for r in self.rules.values() if r.kind == "diagnosis" and r.is_primary]

    def contributors(self, conclusion: str) -> list[Rule]:
        """The rules that conclude `conclusion`, its primary rule first."""
        return self._contributors_by_conclusion.get(conclusion, [])

    @cached_property
    def _contributors_by_conclusion(self) -> dict[str, list[Rule]]:
        # Built once: reports ask for every conclusion's contributors on every case, and a
        # scan per question made reporting quadratic in the number of rules.
        index: dict[str, list[Rule]] = {}
        for rule in sorted(self.rules.values(), key=lambda r: (not r.is_primary, r.id)):
            index.setdefault(rule.concludes, []).append(rule)
        return index
