"""The library entry points: load a knowledge base once, diagnose many cases."""

from __future__ import annotations

import os
from pathlib import Path

from csdiag.engine.compile import compile_knowledge_base
from csdiag.engine.run import InferenceEngine
from csdiag.formats.case import Case, case_files, load_case
from csdiag.formats.errors import Problem, UserError
from csdiag.formats.rule_pack import KnowledgeBase, builtin_rules_folder, load_knowledge_base
from csdiag.reason.diagnosis import DEFAULT_THRESHOLD, CaseResult, build_result

RULES_VARIABLE = "CSDIAG_RULES"


def default_user_folders() -> list[Path]:
    """Rule folders named in $CSDIAG_RULES (separated like PATH), used when --rules is not."""
    value = os.environ.get(RULES_VARIABLE, "")
    return [Path(part).expanduser() for part in value.split(os.pathsep) if part.strip()]


def rule_folders(extra: list[Path] | None = None, builtin: bool = True) -> list[Path]:
    """The built-in knowledge base (unless left out), then the user's folders: those given,
    or else those in $CSDIAG_RULES. A later folder's rule may replace an earlier one's
    only when it says 'overrides: true'."""
    folders = [builtin_rules_folder()] if builtin else []
    return folders + list(extra if extra else default_user_folders())


class Diagnoser:
    """Compiles a knowledge base into durable_rules rulesets and diagnoses cases with them."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.rulesets = compile_knowledge_base(kb)
        self.engine = InferenceEngine(kb, self.rulesets)

    @classmethod
    def from_folders(cls, folders: list[Path]) -> Diagnoser:
        return cls(load_knowledge_base(folders))

    def load_cases(self, paths: list[Path]) -> list[Case]:
        """Read every case file; raise one UserError listing the problems of all of them."""
        cases: list[Case] = []
        problems: list[Problem] = []
        for path in case_files(paths):
            try:
                cases.append(load_case(path, self.kb.vocabulary))
            except UserError as error:
                problems += error.problems
        if problems:
            raise UserError(problems)
        return cases

    def diagnose(self, case: Case, threshold: float = DEFAULT_THRESHOLD) -> CaseResult:
        return build_result(case, self.engine.run(case.values(), case.confidences()), self.kb,
                            threshold)


def diagnose_paths(paths: list[Path], folders: list[Path] | None = None) -> list[CaseResult]:
    """Diagnose the case files at `paths` with the rules in `folders` (built-in by default)."""
    diagnoser = Diagnoser.from_folders(folders or rule_folders())
    return [diagnoser.diagnose(case) for case in diagnoser.load_cases(paths)]
