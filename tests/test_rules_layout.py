"""rules/ is grouped by domain area, and rules/README.md says which folder a rule goes in."""

from __future__ import annotations

import re

from conftest import REPO


def test_each_rule_sits_in_the_area_folder_rules_readme_lists_it_in() -> None:
    """The README's table names every folder and the rules in it; every rule is one folder
    deep (so its modeline reaches ../../schemas/) with its fixtures beside it."""
    rules = REPO / "rules"
    found: dict[str, set[str]] = {}
    for path in sorted(rules.rglob("*.yaml")):
        if path.name == "vocabulary.yaml":  # the shared facts, or an area's own
            assert path.parent == rules or path.parent.parent == rules, path
            continue
        assert path.parent.parent == rules, f"{path}: put it in one area folder below rules/"
        if not path.name.endswith(".test.yaml"):
            assert path.with_name(f"{path.stem}.test.yaml").exists(), f"{path}: no fixtures"
            found.setdefault(path.parent.name, set()).add(path.stem)
    readme = (rules / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z-]+)/` \|[^|]*\| (.*) \|$", readme, re.M)
    listed = {folder: set(re.findall(r"`([a-z0-9-]+)`", names)) for folder, names in rows}
    assert listed == found, "rules/README.md: list each folder and its rules in the table"
