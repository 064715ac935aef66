"""How much csdiag reads from one file, so that a hostile or broken file is refused
with a message instead of exhausting memory or time. Each limit can be raised with an
environment variable, which the refusal names."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    name: str  # what is limited, in words
    variable: str  # the environment variable that raises it
    default: int

    @property
    def value(self) -> int:
        text = os.environ.get(self.variable, "").strip()
        return int(text) if text.isdigit() and int(text) > 0 else self.default

    def hint(self) -> str:
        return (f"if the file is meant to be this large, raise the limit: "
                f"{self.variable}={self.value * 10}")


FILE_BYTES = Limit("file size in bytes", "CSDIAG_MAX_FILE_BYTES", 5_000_000)
YAML_NODES = Limit("YAML values in one file", "CSDIAG_MAX_YAML_NODES", 200_000)
YAML_ALIASES = Limit("YAML alias uses (*name) in one file", "CSDIAG_MAX_YAML_ALIASES", 1_000)
YAML_DEPTH = Limit("nesting depth of YAML values", "CSDIAG_MAX_YAML_DEPTH", 64)
CHAIN_DEPTH = Limit("levels of findings built on findings", "CSDIAG_MAX_CHAIN_DEPTH", 100)
CASE_FACTS = Limit("facts in one case", "CSDIAG_MAX_CASE_FACTS", 5_000)
PROBLEMS_SHOWN = 20  # problems printed per file; the rest are counted
