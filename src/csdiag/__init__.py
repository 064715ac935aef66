"""csdiag: a diagnostic expert system for customer service.

Rules, each encoding one known cause of poor service, are matched against the facts
of a case inside durable_rules; csdiag reports the diagnoses, how certain it is, the
evidence, what it could not assess and the remedies. The pipeline, a package a stage:

    formats   files in and out: YAML with locations, vocabulary, rules, cases, fixtures
    model     pure data: condition logic, knowledge base, engine outcome (Status)
    engine    the only package that imports durable_rules: compile, host, run
    reason    certainty arithmetic, settling, the case report (diagnosis)
    features  explain, plan, interview
    authoring lint, constraints, rule tests, scaffolding
    render    text, Markdown, JSON and listings
    cli       one module per command, calling `Workspace` (csdiag.api)

    >>> from csdiag import Workspace
    >>> with Workspace() as workspace:
    ...     (case,) = workspace.load_cases(["cases/northwind-telecom.yaml"])
    ...     result = workspace.diagnose(case)
"""

__version__ = "0.1.0"

from csdiag.api import Workspace, default_user_folders, diagnose_paths
from csdiag.authoring.lint import LintReport
from csdiag.authoring.rule_tests import RuleTestReport
from csdiag.authoring.scaffold import RULE_KINDS, NewRule, NewRuleReport
from csdiag.features.explain import ConditionStatus, Explanation, RuleStep
from csdiag.features.interview import Interview, Reply
from csdiag.features.plan import Plan, PlanOption
from csdiag.formats.case import Case, KnownFact
from csdiag.formats.errors import Problem, UserError, printable
from csdiag.formats.json_schema import KINDS as SCHEMA_KINDS
from csdiag.formats.limits import PROBLEMS_SHOWN, RECURSION
from csdiag.formats.rule import Rule
from csdiag.formats.values import parse_value
from csdiag.formats.vocabulary import FactDefinition
from csdiag.model.knowledge_base import KnowledgeBase
from csdiag.model.outcome import EngineError, Status, Verdict
from csdiag.reason.diagnosis import (
    DEFAULT_THRESHOLD,
    CaseResult,
    Conclusion,
    Contribution,
    Evidence,
    MissingFact,
    OpenQuestion,
    PlannedRemedy,
    Undetermined,
)
from csdiag.render.json_report import render_json
from csdiag.render.markdown import render_markdown
from csdiag.render.text import render_text

__all__ = [
    "DEFAULT_THRESHOLD",
    "PROBLEMS_SHOWN",
    "RECURSION",
    "RULE_KINDS",
    "SCHEMA_KINDS",
    "Case",
    "CaseResult",
    "Conclusion",
    "ConditionStatus",
    "Contribution",
    "EngineError",
    "Evidence",
    "Explanation",
    "FactDefinition",
    "Interview",
    "KnowledgeBase",
    "KnownFact",
    "LintReport",
    "MissingFact",
    "NewRule",
    "NewRuleReport",
    "OpenQuestion",
    "Plan",
    "PlanOption",
    "PlannedRemedy",
    "Problem",
    "Reply",
    "Rule",
    "RuleStep",
    "RuleTestReport",
    "Status",
    "Undetermined",
    "UserError",
    "Verdict",
    "Workspace",
    "__version__",
    "default_user_folders",
    "diagnose_paths",
    "parse_value",
    "printable",
    "render_json",
    "render_markdown",
    "render_text",
]
