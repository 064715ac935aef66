"""Weigh what the engine matched and fix a stratum's conclusions: the certainty
arithmetic of one case, stratum by stratum, so later strata can join on findings.

Evidence runs both ways and both ways carries the confidence of the facts it rests on:
a branch that fires adds its rule's certainty scaled by the weakest thing it rests on,
and a branch that refutes its rule is as strong as the weakest thing *it* rests on. A
conclusion is ruled out only when the combined evidence against it is stronger than
RULE_OUT_ABOVE; weaker counter-evidence leaves it undetermined, with the reason kept.
"""

from __future__ import annotations

from csdiag.model.knowledge_base import KnowledgeBase
from csdiag.model.logic import All, Band, Known
from csdiag.model.outcome import Firing, InconsistentOutcome, Match, RawOutcome
from csdiag.reason.certainty import combine, weighed

# Evidence against must be better than even odds to settle a cause as absent: a fact the
# case marks as a guess (confidence 0.5 or less) can lower certainty, never rule out alone.
RULE_OUT_ABOVE = 0.5
# Partial evidence: each sign still unknown is taken as even odds of holding.
UNKNOWN_SIGN_ODDS = 0.5


def sign_count(kb: KnowledgeBase, rule_id: str) -> int:
    """How many signs a rule's condition has: the parts of its top-level 'all' (1 if the
    condition is not an 'all')."""
    condition = kb.rules[rule_id].condition
    return len(condition.parts) if isinstance(condition, All) else 1


class CertaintyReasoner:
    """The reasoner csdiag's engine hands each finished stratum to."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb

    def weigh(self, match: Match, confidence: dict[str, float]) -> Firing:
        """One branch's evidence, scaled by the findings it joins, the graded band it
        matched and any estimated fact: signed certainty for a firing branch, strength
        (0..1) for a refuting branch or a sign."""
        branch = match.branch
        weights = {f"finding {finding}": cf for finding, cf in match.finding_certainty.items()}
        for atom in branch.conjunct:
            if isinstance(atom, Band) and atom.strength < 1:
                weights[atom.describe()] = atom.strength
            fact = getattr(atom, "fact", None)
            if fact in confidence and not (isinstance(atom, Known) and not atom.known):
                weights[f"estimate {fact}"] = confidence[fact]
        if branch.fires and branch.sign is None:
            rule = self.kb.rules[branch.rule_id]
            return Firing(branch, weighed(rule.certainty, weights.values()), weights)
        return Firing(branch, min(weights.values(), default=1.0), weights)

    def settle(self, matches: list[Match], confidence: dict[str, float],
               outcome: RawOutcome) -> None:
        """Each rule's evidence is its strongest matching branch; a conclusion combines the
        evidence of every rule that adds to it."""
        touched: set[str] = set()
        for match in matches:
            firing = self.weigh(match, confidence)
            branch = firing.branch
            rule_id = branch.rule_id
            touched.add(self.kb.rules[rule_id].concludes)
            outcome.add(firing)
            if branch.sign is not None:
                continue  # partial evidence, weighed when the stratum is concluded
            if not branch.fires:
                strength = max(firing.certainty, outcome.rule_refutation.get(rule_id, 0.0))
                outcome.rule_refutation[rule_id] = strength
                if strength > RULE_OUT_ABOVE:
                    outcome.rules_refuted.add(rule_id)
            elif abs(firing.certainty) > abs(outcome.rule_certainty.get(rule_id, 0.0)):
                outcome.rule_certainty[rule_id] = firing.certainty
        for conclusion in touched:
            self._conclude(conclusion, outcome)
        clash = set(outcome.rule_certainty) & set(outcome.rule_refutation)
        if clash:
            raise InconsistentOutcome(f"rules both fired and ruled out: {sorted(clash)}")

    def _conclude(self, conclusion: str, outcome: RawOutcome) -> None:
        rules = self.kb.contributors(conclusion)
        combined = combine(outcome.rule_certainty[r.id] for r in rules
                           if r.id in outcome.rule_certainty)
        if combined > 0:
            outcome.concluded[conclusion] = combined
            return
        # Every supporting rule must be refuted for the cause to be absent: the evidence
        # that it is, is the weakest of those refutations.
        supporters = [r for r in rules if r.certainty > 0]
        refutation = min((outcome.rule_refutation.get(r.id, 0.0) for r in supporters),
                         default=0.0)
        against = -combine([combined, -refutation])
        if against > RULE_OUT_ABOVE:
            outcome.refuted[conclusion] = against
            return
        if against > 0:
            outcome.doubted[conclusion] = against
        partial = max((self._partial(r.id, outcome) for r in supporters), default=0.0)
        certainty = combine([partial, -against]) if partial else 0.0
        if certainty > 0:
            outcome.partial[conclusion] = certainty

    def _partial(self, rule_id: str, outcome: RawOutcome) -> float:
        """A rule with some of its signs present and none ruled out by strong evidence:
        its certainty, scaled by the weakest present sign and halved per unknown sign."""
        present = outcome.sign_weights(rule_id)
        total = sign_count(self.kb, rule_id)
        if not present or len(present) >= total:
            return 0.0
        certainty = self.kb.rules[rule_id].certainty * min(present.values())
        return certainty * UNKNOWN_SIGN_ODDS ** (total - len(present))
