"""Severity-weighted certainty: how much is wrong in a case, weighed. The one figure the
portfolio ranks cases by, `plan` counts what a remedy removes in, and `compare` follows
from one assessment to the next.

It is severity weight (low 1, medium 2, high 3, critical 4) × certainty, summed over
every cause the report lists with a certainty: its diagnoses and its weak signals,
partial evidence included. Weak signals count because the reporting threshold
(`--threshold`) only decides under which heading a cause is listed: a cause at 0.61
and one at 0.59 weigh nearly the same, not everything and nothing, and a remedy that
takes a diagnosis down to a weak signal removes the certainty it took away, not the
whole cause. So the figure does not change with the threshold, and can be added up
from the report itself.
"""

from __future__ import annotations

from csdiag.reason.diagnosis import CaseResult


def severity_weighted(result: CaseResult) -> float:
    """Σ severity weight × certainty over the case's diagnoses and weak signals (partial
    ones included), to 4 decimals."""
    listed = [(c.rule, c.certainty) for c in [*result.diagnoses, *result.weak_signals]]
    listed += [(u.rule, u.certainty) for u in result.partial_signals()]
    return round(float(sum(rule.severity_weight * certainty for rule, certainty in listed)),
                 4)
