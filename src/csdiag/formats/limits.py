"""How much csdiag reads from one file, so that a hostile or broken file is refused
with a message instead of exhausting memory or time. Each limit can be raised with an
environment variable, which the refusal names, up to a ceiling past which csdiag itself
(or durable_rules) could not cope."""

from __future__ import annotations

import os
from dataclasses import dataclass

from csdiag.i18n import N_, gettext, number


@dataclass(frozen=True)
class Limit:
    name: str  # what is limited, in words (marked with N_, translated when shown)
    variable: str  # the environment variable that raises it
    default: int
    ceiling: int  # the most it may be raised to

    @property
    def value(self) -> int:
        text = os.environ.get(self.variable, "").strip()
        wanted = int(text) if text.isdigit() and 0 < len(text) < 19 else 0
        return min(wanted, self.ceiling) if wanted > 0 else self.default

    def words(self) -> dict[str, str]:
        """The limit for a refusal, which names it whole ("the file goes past csdiag's limit
        on {limit} ({value})"): what is limited, in the language in use, and the number,
        grouped as the language writes it."""
        return {"limit": gettext(self.name), "value": number(self.value, 0)}

    def hint(self) -> str:
        if self.value >= self.ceiling:
            return gettext("{value} is as far as csdiag goes: split the input").format(
                value=number(self.value, 0))
        return gettext("if it is meant to be this large, raise the limit: {setting}").format(
            setting=f"{self.variable}={min(self.value * 10, self.ceiling)}")


FILE_BYTES = Limit(N_("file size in bytes"), "CSDIAG_MAX_FILE_BYTES", 5_000_000, 1_000_000_000)
YAML_NODES = Limit(N_("YAML values in one file"), "CSDIAG_MAX_YAML_NODES", 200_000, 50_000_000)
YAML_ALIASES = Limit(N_("YAML alias uses (*name) in one file"), "CSDIAG_MAX_YAML_ALIASES", 1_000,
                     1_000_000)
YAML_DEPTH = Limit(N_("nesting depth of YAML values"), "CSDIAG_MAX_YAML_DEPTH", 64, 400)
CHAIN_DEPTH = Limit(N_("levels of findings built on findings"), "CSDIAG_MAX_CHAIN_DEPTH", 100, 400)
CASE_FACTS = Limit(N_("facts in one case"), "CSDIAG_MAX_CASE_FACTS", 5_000, 1_000_000)
IN_VALUES = Limit(N_("values in one 'in' list"), "CSDIAG_MAX_IN_VALUES", 400, 500)
PROBLEMS_SHOWN = 20  # problems printed per file; the rest are counted
RECURSION = 6_000  # Python's recursion limit under the CLI: enough for every ceiling above
