"""A knowledge base: validated rules over a fact vocabulary, ordered for chaining."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from csdiag.formats.rule import Rule
from csdiag.formats.vocabulary import Vocabulary


@dataclass
class KnowledgeBase:
    """A validated set of rules over a vocabulary, with rules ordered for chaining."""

    vocabulary: Vocabulary
    rules: dict[str, Rule]
    strata: dict[str, int] = field(default_factory=dict)
    folders: list[Path] = field(default_factory=list)

    def digest(self) -> str:
        """Identifies the rule content, so a compiled ruleset is registered once per process."""
        text = "\n".join(f"{r.id}|{r.kind}|{r.certainty}|{r.concludes}|{r.condition!r}"
                         for r in sorted(self.rules.values(), key=lambda r: r.id))
        return hashlib.sha256(text.encode()).hexdigest()[:12]

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
