"""libyaml reads csdiag's files when PyYAML has it, and a file reads the same with it as
without: the same values at the same lines and columns, and every mistake told in the
same words at the same place (PyYAML's own parser is the reference)."""

from __future__ import annotations

import random
from typing import Any

import pytest
import yaml

from csdiag.formats import located_yaml
from csdiag.formats.errors import UserError
from csdiag.formats.located_yaml import parse_yaml_text

from conftest import MINI, REPO

needs_libyaml = pytest.mark.skipif(not yaml.__with_libyaml__,
                                   reason="PyYAML was built without libyaml")

# Mistakes a person makes, and the places where libyaml and PyYAML part ways.
MISTAKES = [
    "facts:\n  staff.attrition_pct: [68\n",  # an unclosed list
    "a: 1\n\tb: 2\n",  # a tab as indentation
    "a:\n  ops\tshare: 1\n",  # a tab inside a key: libyaml would take it
    "a: 'unclosed\n", 'a: "bad \\q escape"\n', "a: `x\n", "a: @x\n",
    "a: 1\na: 2\n", "a:\n  b: 1\n   c: 2\n", "key: value\n- item\n", "a:\n- 1\n - 2\n",
    "a: b: c\n", "{a: 1\n", "[1, 2]]\n", "a: b\n  c\n", "'a\n", "a: 'b'c\n",
    "a: *nope\n", "a: &x 1\nb: &x 2\n", "x: &a\n  y: *a\n",
    "---\na: 1\n---\nb: 2\n", "%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
    "a: !!binary x\n", "a: !custom 1\n", "a: !!python/name:os.system\n", "a: !!map [1]\n",
    "!\n", "a: !\n", "a: !.inf!foo\n", "a: !!int\n", "a: !!float x\n",
    "a: |#c\n  x\n", "a: >-#c\n  x\n",
    "a: 2026-02-30\n", "a: 2026-13-45\n", 'a: "\\ud83d"\n',
    "a: [what? yes]\n", "a: {b: }\n", "a: [b: , c]\n", "{? : }\n", "a:\n  ? x\n  : y\nb:",
    "---", "a:", "a: [1, \x00]\n", "a: 1 \x1b[31m\n", "a: x\ufeffy\n",
    "a: " + "[" * 3000 + "]" * 3000 + "\n",  # past libyaml's nesting and Python's stack
    "a: " + "[" * 80 + "]" * 80 + "\n",  # past csdiag's own limit
    "a:\n  b: 1\n  b: 2\n  c: {d: 1, d: 2}\n",
    "? [1, 2]\n: x\n", "a: {? [1]: 2}\n", "<<: {a: 1}\nb: 2\n", "a: 0x1F\nb: .inf\nc: ~\n",
]


def _reading(text: str, loader: Any) -> tuple[Any, ...]:
    """What a file reads as, or the problems it is refused with."""
    try:
        doc = parse_yaml_text(text, "file.yaml", loader)
    except UserError as error:
        return "refused", [(p.line, p.column, p.message, p.hint) for p in error.problems]
    return "read", repr(doc.data), doc.value_positions, doc.key_positions


def _same_with_and_without_libyaml(text: str) -> None:
    assert _reading(text, yaml.CSafeLoader) == _reading(text, None), repr(text)


@needs_libyaml
@pytest.mark.parametrize("text", MISTAKES)
def test_a_mistake_reads_the_same_with_or_without_libyaml(text: str) -> None:
    _same_with_and_without_libyaml(text)


@needs_libyaml
def test_every_rule_and_case_file_reads_the_same_with_or_without_libyaml() -> None:
    files = [*(REPO / "rules").rglob("*.yaml"), *(REPO / "cases").rglob("*.yaml"),
             *MINI.rglob("*.yaml")]
    assert len(files) > 100
    for path in files:
        _same_with_and_without_libyaml(path.read_text(encoding="utf-8-sig"))


def _damaged(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(text) + 1)
        roll = rng.random()
        if roll < 0.3:
            text = text[:at] + text[at + 1:]
        elif roll < 0.7:
            text = text[:at] + rng.choice(" \n:-[]{},?#'\"!&*|>%@`\t\r\u00a0") + text[at:]
        else:
            text = text[:at] + text[at:at + rng.randint(1, 12)] * 2 + text[at + 12:]
    return text


@needs_libyaml
def test_damaged_rule_files_read_the_same_with_or_without_libyaml() -> None:
    rng = random.Random(14)
    sources = [p.read_text(encoding="utf-8") for p in sorted((REPO / "rules").rglob("*.yaml"))]
    for _ in range(400):
        _same_with_and_without_libyaml(_damaged(rng, rng.choice(sources)))


@needs_libyaml
def test_libyaml_reads_every_built_in_file(monkeypatch: pytest.MonkeyPatch) -> None:
    # PyYAML's pure parser, twenty times slower, is only the fallback: no file of the
    # built-in pack needs it.
    def refused(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("PyYAML's pure parser read a built-in file")

    monkeypatch.setattr(yaml.SafeLoader, "__init__", refused)
    for path in (REPO / "rules").rglob("*.yaml"):
        assert located_yaml.read_yaml(path).data, path
