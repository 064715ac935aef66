"""docs/python-api.md runs as written: its ```python blocks are executed in order in one
shared namespace from the repository root, and each ```output block that follows one is
exactly what that block prints. Every name csdiag exports must appear in it as code."""

from __future__ import annotations

import contextlib
import difflib
import io
import re
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest

import csdiag
from csdiag import Workspace

from conftest import REPO

DOC = REPO / "docs" / "python-api.md"
SHOWN = "docs/python-api.md"
FENCE = re.compile(r"^```([\w-]*)[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`([^`\n]+)`")


@dataclass
class Block:
    line: int  # of the opening ```python fence
    code: str
    expected: str | None  # the ```output block right after it, if any
    output_line: int | None = None


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def parse(text: str) -> list[Block]:
    """The python blocks, each with the output block that immediately follows it. An
    output block anywhere else is a mistake in the doc, not something to skip."""
    fences = list(FENCE.finditer(text))
    blocks: list[Block] = []
    for index, fence in enumerate(fences):
        language = fence.group(1)
        if language == "python":
            blocks.append(Block(_line_of(text, fence.start()), fence.group(2), None))
        elif language == "output":
            before = fences[index - 1] if index else None
            if (before is None or before.group(1) != "python"
                    or text[before.end():fence.start()].strip()):
                raise AssertionError(f"{SHOWN}:{_line_of(text, fence.start())}: an output "
                                     "block must come right after a python block")
            blocks[-1].expected = fence.group(2)
            blocks[-1].output_line = _line_of(text, fence.start())
    return blocks


def normal(text: str) -> str:
    """Trailing whitespace off each line and off the whole."""
    return "\n".join(line.rstrip() for line in text.splitlines()).rstrip()


def run(blocks: list[Block]) -> None:
    """Run the blocks in order in one namespace; fail at the first that raises or prints
    something other than its output block, naming its line in the doc."""
    namespace: dict[str, object] = {"__name__": "python_api_doc"}
    try:
        for block in blocks:
            printed = io.StringIO()
            # Padded so a traceback's line numbers are the doc's own.
            source = "\n" * block.line + block.code
            try:
                with contextlib.redirect_stdout(printed):
                    exec(compile(source, SHOWN, "exec"), namespace)
            except Exception as error:
                raise AssertionError(
                    f"{SHOWN}:{block.line}: the python block raised "
                    f"{type(error).__name__}: {error}\n\n{traceback.format_exc()}"
                    f"\nit printed:\n{printed.getvalue()}") from error
            if block.expected is None:
                continue
            expected, actual = normal(block.expected), normal(printed.getvalue())
            if actual != expected:
                diff = "\n".join(difflib.unified_diff(
                    expected.splitlines(), actual.splitlines(),
                    f"the output block at line {block.output_line}", "what the block printed",
                    lineterm=""))
                raise AssertionError(f"{SHOWN}:{block.line}: the python block does not print "
                                     f"its output block (line {block.output_line}):\n{diff}")
    finally:
        for value in namespace.values():  # a failed run leaves no engine behind
            if isinstance(value, Workspace):
                value.close()


@pytest.fixture
def at_repo_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("CSDIAG_RULES", raising=False)  # Workspace() reads it
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # what the doc writes goes here


def test_the_doc_has_runnable_examples_with_output() -> None:
    blocks = parse(DOC.read_text(encoding="utf-8"))
    assert len(blocks) >= 20
    assert sum(b.expected is not None for b in blocks) >= 15


@pytest.mark.usefixtures("at_repo_root")
def test_the_python_api_doc_runs_as_written() -> None:
    failure = None
    try:
        run(parse(DOC.read_text(encoding="utf-8")))
    except AssertionError as error:
        failure = str(error)
    if failure:  # the message says where in the doc; the test's own frames would not help
        pytest.fail(failure, pytrace=False)


def test_every_export_is_documented_as_code() -> None:
    """A name new in csdiag.__all__ fails here until the doc shows it: in a python block
    or in `inline code`."""
    text = DOC.read_text(encoding="utf-8")
    code = "\n".join([b.code for b in parse(text)] + INLINE_CODE.findall(text))
    exported = [name for name in csdiag.__all__ if name != "__version__"]
    missing = [name for name in exported if not re.search(rf"\b{re.escape(name)}\b", code)]
    assert not missing, f"{SHOWN} does not mention these exports of csdiag: {missing}"


# The checker itself: it must fail, and say where, when the doc is wrong.

SAMPLE = """\
Intro.

```python
x = 2
print(x * 21)
```

```output
42
```

```python
print(x)
```
"""


def test_the_checker_passes_a_true_doc() -> None:
    blocks = parse(SAMPLE)
    assert [(b.line, b.expected, b.output_line) for b in blocks] == [
        (3, "42\n", 8), (12, None, None)]
    run(blocks)


def test_the_checker_names_the_line_of_a_wrong_output() -> None:
    with pytest.raises(AssertionError, match=r"python-api\.md:3: .*\(line 8\)[\s\S]*\+41"):
        run(parse(SAMPLE.replace("x * 21", "x * 21 - 1")))


def test_the_checker_names_the_line_of_a_block_that_raises() -> None:
    with pytest.raises(AssertionError, match=r"python-api\.md:12: .* raised NameError"):
        run(parse(SAMPLE.replace("print(x)", "print(y)")))


def test_an_output_block_must_follow_a_python_block() -> None:
    with pytest.raises(AssertionError, match=r"python-api\.md:8: an output block"):
        parse(SAMPLE.replace("```python\nx = 2", "```text\nx = 2"))
