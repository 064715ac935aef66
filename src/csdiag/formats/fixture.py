"""Fixture files (`<rule-id>.test.yaml`): the situations a rule is tested on, beside it.

    rule: untrained
    fixtures:
      - name: two days of training and no attitude screen
        facts: {training.new_hire_days: 2, hiring.attitude_screen: false}
        expect: fires          # fires | ruled-out | undetermined
        certainty: 0.8         # optional, within `tolerance` (default 0.01)
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from csdiag.formats.errors import UserError, did_you_mean
from csdiag.formats.located_yaml import YamlDocument
from csdiag.formats.rule import SLUG
from csdiag.formats.rule_pack import FIXTURE_SUFFIX
from csdiag.formats.validation import read_validated
from csdiag.i18n import gettext

Outcome = Literal["fires", "ruled-out", "undetermined"]  # Status.rule_word


class Fixture(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    name: str = Field(min_length=1, description="What situation this fixture describes")
    facts: dict[str, Any] = Field(default_factory=dict, description="Only the facts that matter")
    expect: Outcome
    certainty: float | None = Field(default=None, ge=0.0, le=1.0)
    tolerance: float = Field(default=0.01, ge=0.0, le=1.0)


class FixtureFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    rule: str = Field(pattern=SLUG, description="The id of the rule these fixtures test")
    fixtures: list[Fixture] = Field(min_length=1)


def fixture_files(folders: list[Path]) -> list[Path]:
    return sorted(p for folder in folders if folder.is_dir()
                  for p in folder.rglob(f"*{FIXTURE_SUFFIX}"))


def load_fixture_file(path: Path, rules: Collection[str],
                      unread: Collection[str] = ()) -> tuple[YamlDocument, FixtureFile]:
    """Read a fixture file for one of `rules` (ids). A rule in `unread` has a file with
    errors of its own, which are reported there: naming it is no mistake of the fixture's."""
    doc, parsed = read_validated(path, FixtureFile, "rule:, fixtures:",
                                 gettext("see docs/writing-rules.md, 'Fixture file'"))
    if parsed.rule not in rules and parsed.rule not in unread:
        raise UserError([doc.problem(("rule",), gettext("no rule '{id}' to test").format(
            id=parsed.rule), did_you_mean(parsed.rule, [*rules, *unread],
                                          gettext("name a rule id")))])
    return doc, parsed
