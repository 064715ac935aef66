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
    render    text, Markdown, JSON, HTML (and PDF from it) and listings
    cli       one module per command, calling `Workspace` (csdiag.api)

    >>> from csdiag import Workspace
    >>> with Workspace() as workspace:
    ...     (case,) = workspace.load_cases(["cases/northwind-telecom.yaml"])
    ...     result = workspace.diagnose(case)
"""

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from csdiag.api import Workspace, default_user_folders, diagnose_paths
    from csdiag.authoring.lint import LintReport
    from csdiag.authoring.new_fact import NewFact
    from csdiag.authoring.rule_tests import RuleTestReport
    from csdiag.authoring.scaffold import RULE_KINDS, NewRule, NewRuleReport
    from csdiag.features.compare import CaseComparison
    from csdiag.features.explain import ConditionGroup, ConditionStatus, Explanation, RuleStep
    from csdiag.features.interview import Interview, Reply
    from csdiag.features.merge import MergeReport
    from csdiag.features.plan import Plan, PlanOption
    from csdiag.formats.case import STDIN, Case, KnownFact
    from csdiag.formats.errors import Problem, UserError, printable
    from csdiag.formats.json_schema import KINDS as SCHEMA_KINDS
    from csdiag.formats.limits import PROBLEMS_SHOWN, RECURSION
    from csdiag.formats.rule import Rule
    from csdiag.formats.values import parse_value
    from csdiag.formats.vocabulary import FactDefinition
    from csdiag.model.knowledge_base import KnowledgeBase
    from csdiag.model.outcome import EngineError, Status, Verdict
    from csdiag.reason.certainty import DEFAULT_THRESHOLD
    from csdiag.reason.diagnosis import (
        CaseResult,
        Conclusion,
        Contribution,
        Evidence,
        MissingFact,
        OpenQuestion,
        PlannedRemedy,
        Undetermined,
    )
    from csdiag.render.audience import AUDIENCES, use_audience
    from csdiag.render.html import render_html
    from csdiag.render.json_report import render_json
    from csdiag.render.markdown import render_markdown
    from csdiag.render.text import render_text

# Names are imported on first use: `import csdiag` stays light, so the command line can
# catch Ctrl-C from its very first moment, and a tool using one function pays only for it.
_EXPORTS: dict[str, tuple[str, str]] = {
    "Workspace": ("csdiag.api", "Workspace"),
    "default_user_folders": ("csdiag.api", "default_user_folders"),
    "diagnose_paths": ("csdiag.api", "diagnose_paths"),
    "LintReport": ("csdiag.authoring.lint", "LintReport"),
    "RuleTestReport": ("csdiag.authoring.rule_tests", "RuleTestReport"),
    "RULE_KINDS": ("csdiag.authoring.scaffold", "RULE_KINDS"),
    "NewFact": ("csdiag.authoring.new_fact", "NewFact"),
    "NewRule": ("csdiag.authoring.scaffold", "NewRule"),
    "NewRuleReport": ("csdiag.authoring.scaffold", "NewRuleReport"),
    "CaseComparison": ("csdiag.features.compare", "CaseComparison"),
    "ConditionGroup": ("csdiag.features.explain", "ConditionGroup"),
    "ConditionStatus": ("csdiag.features.explain", "ConditionStatus"),
    "Explanation": ("csdiag.features.explain", "Explanation"),
    "RuleStep": ("csdiag.features.explain", "RuleStep"),
    "Interview": ("csdiag.features.interview", "Interview"),
    "Reply": ("csdiag.features.interview", "Reply"),
    "MergeReport": ("csdiag.features.merge", "MergeReport"),
    "Plan": ("csdiag.features.plan", "Plan"),
    "PlanOption": ("csdiag.features.plan", "PlanOption"),
    "Case": ("csdiag.formats.case", "Case"),
    "KnownFact": ("csdiag.formats.case", "KnownFact"),
    "STDIN": ("csdiag.formats.case", "STDIN"),
    "Problem": ("csdiag.formats.errors", "Problem"),
    "UserError": ("csdiag.formats.errors", "UserError"),
    "printable": ("csdiag.formats.errors", "printable"),
    "SCHEMA_KINDS": ("csdiag.formats.json_schema", "KINDS"),
    "PROBLEMS_SHOWN": ("csdiag.formats.limits", "PROBLEMS_SHOWN"),
    "RECURSION": ("csdiag.formats.limits", "RECURSION"),
    "Rule": ("csdiag.formats.rule", "Rule"),
    "parse_value": ("csdiag.formats.values", "parse_value"),
    "FactDefinition": ("csdiag.formats.vocabulary", "FactDefinition"),
    "KnowledgeBase": ("csdiag.model.knowledge_base", "KnowledgeBase"),
    "EngineError": ("csdiag.model.outcome", "EngineError"),
    "Status": ("csdiag.model.outcome", "Status"),
    "Verdict": ("csdiag.model.outcome", "Verdict"),
    "DEFAULT_THRESHOLD": ("csdiag.reason.certainty", "DEFAULT_THRESHOLD"),
    "CaseResult": ("csdiag.reason.diagnosis", "CaseResult"),
    "Conclusion": ("csdiag.reason.diagnosis", "Conclusion"),
    "Contribution": ("csdiag.reason.diagnosis", "Contribution"),
    "Evidence": ("csdiag.reason.diagnosis", "Evidence"),
    "MissingFact": ("csdiag.reason.diagnosis", "MissingFact"),
    "OpenQuestion": ("csdiag.reason.diagnosis", "OpenQuestion"),
    "PlannedRemedy": ("csdiag.reason.diagnosis", "PlannedRemedy"),
    "Undetermined": ("csdiag.reason.diagnosis", "Undetermined"),
    "render_html": ("csdiag.render.html", "render_html"),
    "AUDIENCES": ("csdiag.render.audience", "AUDIENCES"),
    "use_audience": ("csdiag.render.audience", "use_audience"),
    "render_json": ("csdiag.render.json_report", "render_json"),
    "render_markdown": ("csdiag.render.markdown", "render_markdown"),
    "render_text": ("csdiag.render.text", "render_text"),
}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'csdiag' has no attribute {name!r}")
    import importlib

    module, attribute = _EXPORTS[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "AUDIENCES",
    "DEFAULT_THRESHOLD",
    "PROBLEMS_SHOWN",
    "RECURSION",
    "RULE_KINDS",
    "SCHEMA_KINDS",
    "STDIN",
    "Case",
    "CaseComparison",
    "CaseResult",
    "Conclusion",
    "ConditionGroup",
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
    "MergeReport",
    "MissingFact",
    "NewFact",
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
    "render_html",
    "render_json",
    "render_markdown",
    "render_text",
    "use_audience",
]
