"""csdiag: a diagnostic expert system for customer service.

The path of data through the package:
read_yaml -> vocabulary / rule_schema / case_schema (load and validate)
-> logic (three-valued condition algebra) -> compile_rulesets (durable_rules JSON)
-> inference (facts asserted, findings forwarded, firings collected)
-> diagnosis (findings, certainties, evidence) -> render_text / render_json / render_markdown.
"""

__version__ = "0.1.0"
