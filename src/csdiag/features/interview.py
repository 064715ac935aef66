"""A consultation: ask for the unknown facts that matter most, one at a time, until
nothing left to ask could change the result."""

from __future__ import annotations

from dataclasses import dataclass, field

from csdiag.formats.case import Case, KnownFact
from csdiag.formats.rule import Rule
from csdiag.formats.values import parse_answer, parse_bound
from csdiag.formats.vocabulary import FactValue
from csdiag.i18n import current_language, fixed, gettext, use_language
from csdiag.model.logic import Atom, FindingRef, Known, dnf, subject
from csdiag.reason.certainty import combine
from csdiag.reason.diagnosis import CaseResult, Diagnoser, OpenQuestion

# The English words always work; the others are those of each language csdiag speaks.
STOP = frozenset({"stop", "停止", "结束", "стоп", "хватит"})
SKIP = frozenset({"skip", "跳过", "пропустить", "пропуск"})
WHY = frozenset({"why", "为什么", "почему", "зачем"})
UNKNOWN = frozenset({"unknown", "?", "don't know", "不知道", "不清楚", "未知", "не знаю",
                     "неизвестно"})
MAX_INVALID = 3  # unusable answers to one question before it is set aside
MAX_STALLS = 10  # answers of any kind (blank, why, unusable) that leave a question open


@dataclass
class Reply:
    """What the interview made of one typed answer."""

    lines: list[str] = field(default_factory=list)  # what to tell the person
    next: bool = False  # the question is settled: go on to the next one
    stop: bool = False  # the person asked to stop
    changed: bool = False  # the case gained a fact: save it


@dataclass
class Interview:
    diagnoser: Diagnoser
    case: Case
    declined: set[str] = field(default_factory=set)  # answered "unknown"
    skipped: list[str] = field(default_factory=list)  # asked again only at the end
    asked: int = 0
    result: CaseResult | None = None
    invalid: dict[str, int] = field(default_factory=dict)  # unusable answers, by fact
    stalls: dict[str, int] = field(default_factory=dict)  # answers that moved nothing on
    language: str = field(default_factory=current_language)  # of questions and replies
    branches: dict[str, list[frozenset[Atom]]] = field(default_factory=dict)  # by rule id

    def __post_init__(self) -> None:
        with use_language(self.language):
            self.result = self.diagnoser.diagnose(self.case)

    def questions(self) -> list[OpenQuestion]:
        """The report's open questions, most useful first, less what was declined and
        what can no longer bring a diagnosis to the threshold; skipped ones wait until
        the end."""
        assert self.result is not None
        concluded = frozenset(c.rule.id for c in self.result.findings)
        found = [q for q in self.result.questions if q.fact not in self.declined
                 and any(self._can_still_reach(c, concluded) for c in q.decides)]
        return sorted(found, key=lambda q: q.fact in self.skipped)  # stable: keeps the rank

    def _can_still_reach(self, conclusion: str, concluded: frozenset[str]) -> bool:
        """Whether the rules for the conclusion that could still fire, with the facts
        nobody knows left unknown, would reach the threshold. Once every way to it needs
        a fact the client could not give, its other questions could only rule it out,
        which changes no diagnosis: the interview stops asking them."""
        assert self.result is not None
        certainties = [r.certainty for r in self._open_rules(conclusion, concluded, frozenset())]
        return combine(certainties) >= self.result.threshold - 1e-9

    def _open_rules(self, conclusion: str, concluded: frozenset[str],
                    seen: frozenset[str]) -> list[Rule]:
        """The rules for a conclusion with a way to fire that needs no declined fact."""
        seen = seen | {conclusion}
        return [rule for rule in self.diagnoser.kb.contributors(conclusion)
                if rule.certainty > 0 and any(
                    all(self._possible(atom, concluded, seen) for atom in conjunct)
                    for conjunct in self._branches(rule))]

    def _possible(self, atom: Atom, concluded: frozenset[str], seen: frozenset[str]) -> bool:
        if isinstance(atom, FindingRef):
            if not atom.holds or atom.finding in concluded:
                return True
            return atom.finding not in seen and bool(
                self._open_rules(atom.finding, concluded, seen))
        if subject(atom) in self.declined:
            return isinstance(atom, Known) and not atom.known  # 'unknown' holds for it
        return True

    def _branches(self, rule: Rule) -> list[frozenset[Atom]]:
        """The ways a rule can fire (its condition in disjunctive normal form), worked
        out once per rule in an interview."""
        if rule.id not in self.branches:
            self.branches[rule.id] = dnf(rule.condition, True)
        return self.branches[rule.id]

    def next_question(self) -> OpenQuestion | None:
        remaining = self.questions()
        return remaining[0] if remaining else None

    def check(self, fact: str, text: str) -> tuple[FactValue | None, str | None]:
        """The value an answer gives the fact, or why it is not one the fact can take."""
        return parse_answer(text, self.diagnoser.kb.vocabulary[fact])

    def record(self, fact: str, known: KnownFact) -> tuple[CaseResult, CaseResult]:
        """Record what an answer says of a fact (a value, a bound or a range); return the
        results before and after it."""
        before = self.result
        assert before is not None
        self.case.facts[fact] = known
        self.asked += 1
        with use_language(self.language):
            self.result = self.diagnoser.diagnose(self.case)
        return before, self.result

    def respond(self, question: OpenQuestion, text: str) -> Reply:
        """Take one typed answer to `question`: a value, or stop, skip, unknown (?), why.
        A question that gets MAX_STALLS answers without moving on is set aside, so an
        endless stream of blank lines or 'why' ends too. Replies are in the interview's
        language."""
        with use_language(self.language):
            return self._counted(question, text)

    def _counted(self, question: OpenQuestion, text: str) -> Reply:
        reply = self._respond(question, text)
        if reply.next or reply.stop:
            return reply
        self.stalls[question.fact] = self.stalls.get(question.fact, 0) + 1
        if self.stalls[question.fact] >= MAX_STALLS:
            self.decline(question.fact)
            reply.lines.append(gettext("  {count} answers left the question open; it is set "
                                       "aside (the fact stays unknown)").format(
                                           count=MAX_STALLS))
            reply.next = True
        return reply

    def _respond(self, question: OpenQuestion, text: str) -> Reply:
        text = text.strip()
        word = text.lower()
        word = word.rstrip(".。!！")
        if word in STOP:
            return Reply(stop=True)
        if word in SKIP:
            self.skip(question.fact)
            return Reply(next=True)
        if word in UNKNOWN:
            self.decline(question.fact)
            return Reply(next=True)
        if word in WHY:
            rules = self.diagnoser.kb.rules
            return Reply([gettext("  decides: {title} [{id}]").format(title=rules[r].title, id=r)
                          for r in question.decides])
        if not text:
            return Reply()
        bound, why = parse_bound(text, self.diagnoser.kb.vocabulary[question.fact])
        value: FactValue | None = None
        if bound is None and why is None:
            value, why = self.check(question.fact, text)
        if why or (bound is None and value is None):
            self.invalid[question.fact] = self.invalid.get(question.fact, 0) + 1
            if self.invalid[question.fact] >= MAX_INVALID:
                self.decline(question.fact)
                return Reply([gettext("  not accepted: {why}").format(why=why),
                              gettext("  {count} answers could not be used; the question is "
                                      "set aside (the fact stays unknown)").format(
                                          count=MAX_INVALID)], next=True)
            return Reply([gettext("  not accepted: {why}").format(why=why)])
        known = (KnownFact.between(*bound, source="interview") if bound is not None
                 else KnownFact(value, "interview"))
        before, after = self.record(question.fact, known)
        return Reply([f"  → {line}" for line in changes(before, after)], next=True,
                     changed=True)

    def decline(self, fact: str) -> None:
        self.asked += 1
        self.declined.add(fact)

    def skip(self, fact: str) -> None:
        if fact in self.skipped:
            self.declined.add(fact)  # skipped twice: stop asking
        else:
            self.skipped.append(fact)


def changes(before: CaseResult, after: CaseResult) -> list[str]:
    """What one answer changed, in words."""
    lines = []
    was = {c.rule.id: c.certainty for c in before.diagnoses}
    for conclusion in after.diagnoses:
        if conclusion.rule.id not in was:
            lines.append(gettext("now diagnosed: {title} [{id}], certainty {certainty}").format(
                title=conclusion.rule.title, id=conclusion.rule.id,
                certainty=fixed(conclusion.certainty)))
    out_before = {c.rule.id for c in before.ruled_out}
    for conclusion in after.ruled_out:
        if conclusion.rule.id not in out_before:
            lines.append(gettext("ruled out: {title} [{id}]").format(
                title=conclusion.rule.title, id=conclusion.rule.id))
    return lines


