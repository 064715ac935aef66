"""Weigh what the engine matched and fix a stratum's conclusions: the certainty
arithmetic of one case, stratum by stratum, so later strata can join on findings."""

from __future__ import annotations

from csdiag.model.knowledge_base import KnowledgeBase
from csdiag.model.logic import Band, Known
from csdiag.model.outcome import Firing, InconsistentOutcome, Match, RawOutcome
from csdiag.reason.certainty import combine, weighed


class CertaintyReasoner:
    """The reasoner csdiag's engine hands each finished stratum to."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb

    def weigh(self, match: Match, confidence: dict[str, float]) -> Firing:
        """One branch's evidence: a refuting branch counts in full; a firing one is scaled
        by the findings it joins, the graded band it matched and any estimated fact."""
        branch = match.branch
        if not branch.fires:
            return Firing(branch, 1.0, {})
        weights = {f"finding {finding}": cf for finding, cf in match.finding_certainty.items()}
        for atom in branch.conjunct:
            if isinstance(atom, Band) and atom.strength < 1:
                weights[atom.describe()] = atom.strength
            fact = getattr(atom, "fact", None)
            if fact in confidence and not (isinstance(atom, Known) and not atom.known):
                weights[f"estimate {fact}"] = confidence[fact]
        rule = self.kb.rules[branch.rule_id]
        return Firing(branch, weighed(rule.certainty, weights.values()), weights)

    def settle(self, matches: list[Match], confidence: dict[str, float],
               outcome: RawOutcome) -> None:
        """Each rule's evidence is its strongest matching branch; a conclusion combines the
        evidence of every rule that adds to it."""
        touched: set[str] = set()
        for match in matches:
            firing = self.weigh(match, confidence)
            outcome.add(firing)
            rule_id = firing.branch.rule_id
            touched.add(self.kb.rules[rule_id].concludes)
            if not firing.branch.fires:
                outcome.rules_refuted.add(rule_id)
            elif abs(firing.certainty) > abs(outcome.rule_certainty.get(rule_id, 0.0)):
                outcome.rule_certainty[rule_id] = firing.certainty
        for conclusion in touched:
            rules = self.kb.contributors(conclusion)
            evidence = [outcome.rule_certainty[r.id] for r in rules
                        if r.id in outcome.rule_certainty]
            combined = combine(evidence)
            supporters = [r for r in rules if r.certainty > 0]
            if combined > 0:
                outcome.concluded[conclusion] = combined
            elif evidence or all(r.id in outcome.rules_refuted for r in supporters):
                outcome.refuted.add(conclusion)
        clash = set(outcome.rule_certainty) & outcome.rules_refuted
        if clash:
            raise InconsistentOutcome(f"rules both fired and ruled out: {sorted(clash)}")
