"""A portfolio across many cases: which causes are diagnosed how often and how surely,
which facts are missing most often (the questions to ask everywhere), and the cases
ranked by severity-weighted certainty, worst first.

It is gathered as the cases stream by, from a small summary of each (ids, certainties,
missing facts), never from the whole CaseResults: the counts per cause and per fact are
bounded by the knowledge base, and only the `ranked` worst cases are kept for the ranking
(every case's row only when a heat map of cases × causes is asked for). Nothing here
reads a file or prints; the words are the renderers'.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from csdiag.formats.rule import Rule
from csdiag.i18n import Text
from csdiag.reason.diagnosis import CaseResult
from csdiag.reason.severity import severity_weighted

RANKED_CASES = 1_000  # cases kept for the ranking; past it, only the worst


@dataclass(frozen=True)
class CaseSummary:
    """What the portfolio keeps of one case."""

    number: int  # its place in the run, from 1 (the HTML report's section c{number})
    case_id: str
    organisation: str
    date: str  # as the case gives it (ISO)
    file: str
    score: float  # severity-weighted certainty (csdiag.reason.severity)
    diagnosed: tuple[tuple[str, float], ...]  # (cause, certainty), the case's order
    weak: tuple[tuple[str, float], ...] = ()  # weak signals, partial evidence included

    @property
    def top(self) -> tuple[str, float] | None:
        """The case's first diagnosis (most severe × certain), if any."""
        return self.diagnosed[0] if self.diagnosed else None


def summarise(result: CaseResult, number: int) -> CaseSummary:
    case = result.case
    weak = [(c.rule.id, c.certainty) for c in result.weak_signals]
    weak += [(u.rule.id, u.certainty) for u in result.partial_signals()]
    return CaseSummary(number, case.id, case.organisation, case.date, case.file,
                       severity_weighted(result),
                       tuple((c.rule.id, c.certainty) for c in result.diagnoses),
                       tuple(weak))


@dataclass
class CauseCount:
    """One cause across the cases: in how many it is diagnosed, and how surely."""

    rule: Rule
    cases: int  # diagnosed in
    share: float  # of the cases diagnosed, 0..1
    mean_certainty: float | None  # over the cases it is diagnosed in
    weak_cases: int  # a weak signal in

    @property
    def id(self) -> str:
        return self.rule.id


@dataclass
class MissingCount:
    """An unknown fact worth asking about, and in how many cases it is."""

    fact: str
    question: Text
    cases: int
    share: float  # of the cases diagnosed, 0..1


@dataclass
class Portfolio:
    cases: int  # diagnosed
    with_diagnoses: int
    skipped: int  # files that could not be read, and were not diagnosed
    # Every cause diagnosed or a weak signal in some case: most often diagnosed first,
    # then most certain; causes only ever weak come last.
    causes: list[CauseCount]
    missing: list[MissingCount]  # most often missing first
    ranking: list[CaseSummary]  # worst first: at most RANKED_CASES of them, unless all
    unranked: int = 0  # cases left out of the ranking (only past RANKED_CASES)
    rows: list[CaseSummary] | None = None  # every case, worst first: for a heat map
    rules: dict[str, Rule] = field(default_factory=dict)

    @property
    def diagnosed_causes(self) -> list[CauseCount]:
        return [c for c in self.causes if c.cases]

    def title(self, rule_id: str) -> str:
        """A cause's title in the language in use."""
        rule = self.rules.get(rule_id)
        return str(rule.title) if rule else rule_id


def _rank_key(summary: CaseSummary) -> tuple[float, str, str, str, int]:
    return (-summary.score, summary.case_id, summary.date, summary.file, summary.number)


class PortfolioBuilder:
    """Gathers the portfolio as cases are diagnosed: `add` each result, then
    `portfolio()`. `ranked`: how many of the worst cases to keep for the ranking (None:
    all); `rows`: keep every case's row, for a heat map of cases × causes."""

    def __init__(self, ranked: int | None = RANKED_CASES, rows: bool = False) -> None:
        self.ranked = ranked
        self.keep_rows = rows
        self.cases = 0
        self.with_diagnoses = 0
        self.rules: dict[str, Rule] = {}
        self.diagnosed: dict[str, list[float]] = {}  # cause: [cases, sum of certainties]
        self.weak: dict[str, int] = {}
        self.missing: dict[str, list[float]] = {}  # fact: [cases, sum of question weights]
        self.questions: dict[str, Text] = {}
        self.kept: list[CaseSummary] = []

    def add(self, result: CaseResult) -> CaseSummary:
        self.cases += 1
        self.with_diagnoses += bool(result.diagnoses)
        summary = summarise(result, self.cases)
        for c in result.diagnoses:
            self.rules.setdefault(c.rule.id, c.rule)
            entry = self.diagnosed.setdefault(c.rule.id, [0, 0.0])
            entry[0] += 1
            entry[1] += c.certainty
        weak_rules = [c.rule for c in result.weak_signals]
        weak_rules += [u.rule for u in result.partial_signals()]
        for rule in weak_rules:
            self.rules.setdefault(rule.id, rule)
            self.weak[rule.id] = self.weak.get(rule.id, 0) + 1
        for question in result.questions:
            self.questions.setdefault(question.fact, question.question)
            missing = self.missing.setdefault(question.fact, [0, 0.0])
            missing[0] += 1
            missing[1] += question.weight
        self.kept.append(summary)
        if not self.keep_rows and self.ranked is not None and len(self.kept) > 2 * self.ranked:
            self.kept.sort(key=_rank_key)
            del self.kept[self.ranked:]
        return summary

    def portfolio(self, skipped: int = 0) -> Portfolio:
        total = max(self.cases, 1)
        causes = []
        for rule_id, rule in self.rules.items():
            count, certainties = self.diagnosed.get(rule_id, (0, 0.0))
            causes.append(CauseCount(rule, int(count), round(count / total, 4),
                                     round(certainties / count, 4) if count else None,
                                     self.weak.get(rule_id, 0)))
        causes.sort(key=lambda c: (-c.cases, -(c.mean_certainty or 0.0), -c.weak_cases,
                                   -c.rule.severity_weight, c.id))
        missing = [MissingCount(fact, self.questions[fact], int(count), round(count / total, 4))
                   for fact, (count, _) in self.missing.items()]
        weights = {fact: weight for fact, (_, weight) in self.missing.items()}
        missing.sort(key=lambda m: (-m.cases, -weights[m.fact], m.fact))
        ordered = sorted(self.kept, key=_rank_key)
        ranking = ordered if self.ranked is None else ordered[:self.ranked]
        return Portfolio(self.cases, self.with_diagnoses, skipped, causes, missing, ranking,
                         self.cases - len(ranking), ordered if self.keep_rows else None,
                         dict(self.rules))


def portfolio_of(results: list[CaseResult], skipped: int = 0, rows: bool = False) -> Portfolio:
    """The portfolio of results already at hand."""
    builder = PortfolioBuilder(None, rows)
    for result in results:
        builder.add(result)
    return builder.portfolio(skipped)
