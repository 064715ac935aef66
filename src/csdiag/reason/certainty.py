"""Certainty factors: how one rule's evidence is weighed, and how several rules' evidence
for and against one conclusion combines (the MYCIN algebra).

For two certainty factors a and b in [-1, 1]:

    both >= 0:      a + b (1 - a)
    both <  0:      a + b (1 + a)
    mixed signs:    (a + b) / (1 - min(|a|, |b|))

Worked example: two rules support a diagnosis with 0.6 and 0.5, one argues against it
with -0.4. The supporting pair gives 0.6 + 0.5 x 0.4 = 0.8; with the evidence against,
(0.8 - 0.4) / (1 - 0.4) = 0.667. The order of combination does not matter.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce

DEFAULT_THRESHOLD = 0.6  # "high certainty": a diagnosis; anything less is a weak signal


def combine_pair(a: float, b: float) -> float:
    if a >= 0 and b >= 0:
        return a + b * (1 - a)
    if a < 0 and b < 0:
        return a + b * (1 + a)
    denominator = 1 - min(abs(a), abs(b))
    return 0.0 if denominator == 0 else (a + b) / denominator


def combine(factors: Iterable[float]) -> float:
    """The combined certainty of several pieces of evidence (0 for none)."""
    return reduce(combine_pair, factors, 0.0)


def weighed(rule_certainty: float, weights: Iterable[float]) -> float:
    """One rule's evidence: its certainty scaled by the weakest thing it rests on (findings'
    certainties, graded bands, estimated facts' confidence). Sign is kept: a negative
    certainty argues against the conclusion."""
    return rule_certainty * min(weights, default=1.0)
