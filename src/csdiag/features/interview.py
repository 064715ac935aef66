"""A consultation: ask for the unknown facts that matter most, one at a time, until
nothing left to ask could change the result."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from csdiag.formats.case import Case, KnownFact
from csdiag.formats.rule import Rule
from csdiag.formats.values import parse_answer, parse_bound
from csdiag.formats.vocabulary import FactValue
from csdiag.i18n import N_, current_language, fixed, gettext, use_language
from csdiag.model.logic import Atom, FindingRef, Known, atoms, dnf, subject
from csdiag.reason import wording
from csdiag.reason.certainty import combine
from csdiag.reason.diagnosis import CaseResult, Diagnoser, OpenQuestion

# The English words always work; the others are those of each language csdiag speaks.
STOP = frozenset({"stop", "停止", "结束", "стоп", "хватит"})
SKIP = frozenset({"skip", "跳过", "пропустить", "пропуск"})
WHY = frozenset({"why", "为什么", "почему", "зачем"})
UNKNOWN = frozenset({"unknown", "don't know", "dont know", "不知道", "不清楚", "未知",
                     "не знаю", "неизвестно"})
HELP = frozenset({"help", "?", "？", "帮助", "помощь", "справка"})
BACK = frozenset({"back", "undo", "返回", "上一题", "назад"})
# 'answer note: what was said' and 'answer ~0.6' (how sure the person is), in any order.
NOTE = re.compile(r"\s*(?:^|\s)(?:note|备注|примечание)\s*[:：]\s*(?P<note>.*)$", re.I)
CONFIDENCE = re.compile(r"\s*~\s*(?P<confidence>0?[.,]\d+|1(?:[.,]0*)?)\s*$")

# Topics a fact's name starts with ('ops.occupancy_pct' is operations), and who in the
# organisation usually answers them; a writer's own prefix is shown as it is written.
TOPICS: dict[str, tuple[str, str]] = {
    "org": (N_("The organisation"), "head_of_service"),
    "ops": (N_("Operations and capacity"), "operations"),
    "workload": (N_("Operations and capacity"), "operations"),
    "outcome": (N_("What customers experience"), "operations"),
    "channel": (N_("Operations and capacity"), "operations"),
    "internal": (N_("Internal service"), "operations"),
    "hiring": (N_("Hiring"), "hr"),
    "training": (N_("Training"), "hr"),
    "pay": (N_("Pay and the workforce"), "hr"),
    "workforce": (N_("Pay and the workforce"), "hr"),
    "staff": (N_("Staff and morale"), "front_line"),
    "morale": (N_("Staff and morale"), "front_line"),
    "feedback": (N_("Staff and morale"), "front_line"),
    "rewards": (N_("Rewards and recognition"), "hr"),
    "role": (N_("Authority and tools"), "front_line"),
    "tools": (N_("Authority and tools"), "front_line"),
    "supervision": (N_("Supervision and coaching"), "operations"),
    "mgmt": (N_("Management"), "head_of_service"),
    "programme": (N_("The service programme"), "head_of_service"),
    "culture": (N_("Culture"), "head_of_service"),
    "perf": (N_("Measurement"), "head_of_service"),
    "cx": (N_("Customers and their loyalty"), "finance"),
    "complaints": (N_("Complaints and customer feedback"), "head_of_service"),
    "voc": (N_("Complaints and customer feedback"), "head_of_service"),
    "research": (N_("What customers expect"), "head_of_service"),
    "standards": (N_("What customers expect"), "head_of_service"),
    "marketing": (N_("What customers expect"), "head_of_service"),
}
RESPONDENTS = {"head_of_service": N_("Head of service"), "operations": N_("Operations"),
               "hr": N_("HR"), "front_line": N_("Front line"), "finance": N_("Finance")}


def topic_of(fact: str) -> str:
    """The topic a fact belongs to, in the language in use."""
    prefix = fact.split(".", 1)[0]
    return gettext(TOPICS[prefix][0]) if prefix in TOPICS else prefix


def respondent_of(fact: str) -> str:
    """Who usually answers a fact, in the language in use."""
    prefix = fact.split(".", 1)[0]
    key = TOPICS[prefix][1] if prefix in TOPICS else "head_of_service"
    return gettext(RESPONDENTS[key])


def split_answer(text: str) -> tuple[str, str | None, float | None]:
    """An answer, its note ('… note: from the HR report') and its confidence ('~0.6')."""
    note = None
    found = NOTE.search(text)
    if found:
        note = found.group("note")
        text = text[:found.start()]
    confidence = None
    # '~0.6' may close the note or, with no note after it, the answer.
    found = CONFIDENCE.search(note) if note is not None else None
    if found and note is not None:
        note = note[:found.start()]
    else:
        found = CONFIDENCE.search(text)
        if found:
            text = text[:found.start()]
    if found:
        confidence = float(found.group("confidence").replace(",", "."))
    return text.strip(), (note or "").strip() or None, confidence


@dataclass
class Move:
    """One step of the interview, so 'back' can take it back."""

    fact: str
    fact_before: KnownFact | None
    unknown_before: KnownFact | None
    declined: bool
    skipped: bool
    asked_before: int
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
    group_by: str = "topic"  # keep to one topic ('topic') or one respondent ('respondent')
    moves: list[Move] = field(default_factory=list)  # what 'back' takes back, last first
    pending: str | None = None  # asked again next: the question 'back' returned to
    last_fact: str | None = None  # of the question asked last: its group goes on first

    def __post_init__(self) -> None:
        # What nobody knew last time is asked again, but last.
        self.skipped += [name for name in self.case.unknown if name not in self.skipped]
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
        # Stable sorts keep the rank: the question 'back' returned to first, then the
        # rest of the group under way, skipped ones at the end.
        group = self.group_of(self.last_fact) if self.last_fact else None
        found.sort(key=lambda q: group is None or self.group_of(q.fact) != group)
        found.sort(key=lambda q: q.fact in self.skipped)
        found.sort(key=lambda q: q.fact != self.pending)
        return found

    def group_of(self, fact: str) -> str:
        """The topic, or the respondent, a fact's question is asked under."""
        return respondent_of(fact) if self.group_by == "respondent" else topic_of(fact)

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
        if not remaining:
            return None
        self.last_fact = remaining[0].fact
        return remaining[0]

    def about(self) -> int:
        """Questions left, about: those open now (an answer can open or close others)."""
        return len(self.questions())

    def check(self, fact: str, text: str) -> tuple[FactValue | None, str | None]:
        """The value an answer gives the fact, or why it is not one the fact can take."""
        return parse_answer(text, self.diagnoser.kb.vocabulary[fact])

    def record(self, fact: str, known: KnownFact) -> tuple[CaseResult, CaseResult]:
        """Record what an answer says of a fact (a value, a bound or a range); return the
        results before and after it."""
        before = self.result
        assert before is not None
        self._remember(fact)
        self.case.facts[fact] = known
        self.case.unknown.pop(fact, None)
        self.asked += 1
        with use_language(self.language):
            self.result = self.diagnoser.diagnose(self.case)
        return before, self.result

    def _remember(self, fact: str) -> None:
        self.pending = None
        self.moves.append(Move(fact, self.case.facts.get(fact), self.case.unknown.get(fact),
                               fact in self.declined, fact in self.skipped, self.asked))

    def back(self) -> str | None:
        """Take the last answer back (a value, 'unknown' or 'skip'): the fact is as it was
        and its question comes next. The fact, or None when nothing was answered yet."""
        if not self.moves:
            return None
        move = self.moves.pop()
        for store, before in ((self.case.facts, move.fact_before),
                              (self.case.unknown, move.unknown_before)):
            if before is None:
                store.pop(move.fact, None)
            else:
                store[move.fact] = before
        if not move.declined:
            self.declined.discard(move.fact)
        if not move.skipped and move.fact in self.skipped:
            self.skipped.remove(move.fact)
        self.asked = move.asked_before
        self.pending = move.fact
        with use_language(self.language):
            self.result = self.diagnoser.diagnose(self.case)
        return move.fact

    def respond(self, question: OpenQuestion, text: str) -> Reply:
        """Take one typed answer to `question`: a value (with 'note: …' or '~0.6' after it
        if wanted), or stop, skip, unknown, back, why, help (?).
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
        if word in HELP:
            return Reply(help_lines())
        if word in BACK:
            fact = self.back()
            if fact is None:
                return Reply([gettext("  nothing to go back to: this is the first question")])
            return Reply([gettext("  back to [{fact}]").format(fact=fact)], next=True,
                         changed=True)
        if word in SKIP:
            self._remember(question.fact)
            self.skip(question.fact)
            return Reply(next=True)
        if word in UNKNOWN:
            self._remember(question.fact)
            self.decline(question.fact, remembered=True)
            return Reply(next=True, changed=True)
        if word in WHY:
            return Reply(self.why(question))
        text, note, confidence = split_answer(text)
        if not text and (note or confidence is not None):
            return Reply([gettext("  put it on the same line as the answer, e.g. '40 note: "
                                  "HR report ~0.8'")])
        if confidence is not None and not 0 < confidence <= 1:
            return Reply([gettext("  not accepted: how sure, after '~', is a number above 0 "
                                  "and at most 1 (~0.6)")])
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
        known = (KnownFact.between(*bound, "interview", note, confidence) if bound is not None
                 else KnownFact(value, "interview", note, confidence))
        guessed = self._guess_line(question.fact, text, value)
        before, after = self.record(question.fact, known)
        return Reply([*guessed, *(f"  → {line}" for line in changes(before, after))],
                     next=True, changed=True)

    def _guess_line(self, fact: str, text: str, value: FactValue | None) -> list[str]:
        """'taken as: …' when an enum answer was matched by a part of its label, so a
        wrong guess is seen (and 'back' undoes it)."""
        definition = self.diagnoser.kb.vocabulary[fact]
        if definition.type != "enum" or not isinstance(value, str):
            return []
        said = text.strip().lower().replace(" ", "_").replace("-", "_")
        label = definition.value_label(value)
        if said in (value, label.lower().replace(" ", "_")):
            return []
        return [gettext("  taken as: {value} ({label}); 'back' undoes it").format(
            value=value, label=label)]

    def why(self, question: OpenQuestion) -> list[str]:
        """Which diagnoses the answer could settle, and the conditions on it that would."""
        rules = self.diagnoser.kb.rules
        definition = self.diagnoser.kb.vocabulary[question.fact]
        lines = []
        for conclusion in question.decides:
            lines.append(gettext("  could settle: {title} [{id}]").format(
                title=rules[conclusion].title, id=conclusion))
            said: list[str] = []
            for via, atom in self._reading(question.fact, conclusion, frozenset()):
                if "by_sector" in atom.path:  # a profile's gate, or its own threshold
                    line = gettext("    the answer selects which thresholds apply")
                else:
                    # The question is on screen: the condition says 'the answer' for it.
                    condition = wording.condition(atom, self.diagnoser.kb.vocabulary).replace(
                        wording.label(definition), gettext("the answer"))
                    line = gettext("    if {condition}").format(condition=condition)
                if via is not None:
                    line = gettext("{line} (through: {finding})").format(
                        line=line, finding=rules[via].title)
                if line not in said:
                    said.append(line)
            lines += said[:3]  # enough to say why; 'csdiag explain' has every condition
        return lines

    def _reading(self, fact: str, conclusion: str, seen: frozenset[str],
                 via: str | None = None) -> list[tuple[str | None, Atom]]:
        """The conditions on `fact` that bear on `conclusion`, directly or through the
        findings it uses (`via`: the finding whose rule holds the condition, None for the
        conclusion's own rules)."""
        found: list[tuple[str | None, Atom]] = []
        for rule in self.diagnoser.kb.rules.values():
            if rule.concludes != conclusion:
                continue
            for atom in atoms(rule.condition):
                if isinstance(atom, FindingRef):
                    if atom.finding not in seen:
                        found += self._reading(fact, atom.finding, seen | {conclusion},
                                               atom.finding)
                elif subject(atom) == fact and not isinstance(atom, Known) and \
                        (via, atom) not in found:
                    found.append((via, atom))
        return found

    def decline(self, fact: str, remembered: bool = False) -> None:
        if not remembered:
            self._remember(fact)
        self.asked += 1
        self.declined.add(fact)
        if fact not in self.case.facts:
            # Saved as asked-and-unknown: asked again, but last, when the case is resumed.
            self.case.unknown[fact] = KnownFact(None, "interview", gettext(
                "asked in the interview; nobody knew"))

    def skip(self, fact: str) -> None:
        self.pending = None
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


def help_lines() -> list[str]:
    """What can be typed at the prompt besides an answer."""
    return [gettext("  Type the answer: a number (38%, 8 days, at least 20, 15-25), yes or "
                    "no, or one of the values listed (a word of it is enough)."),
            gettext("  Add 'note: …' to record where it comes from, and '~0.6' if it is an "
                    "estimate (how sure, from 0 to 1)."),
            gettext("  Or type: unknown (nobody knows), skip (ask later), back (take the "
                    "last answer back), why (what it could settle), stop (save and end), "
                    "help or ? (this list).")]
