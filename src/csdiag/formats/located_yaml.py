"""Read a YAML file safely, keeping the line and column of every key and value.

Nothing is ever executed: only the safe YAML tags are constructed. Duplicate
keys, empty files, non-UTF-8 bytes and syntax errors become `Problem`s, and so does a
file past one of the limits in formats.limits (size, values, aliases, nesting): a
"billion laughs" file is refused after a bounded amount of work.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from csdiag.formats.errors import Problem, UserError
from csdiag.formats.limits import FILE_BYTES, YAML_ALIASES, YAML_DEPTH, YAML_NODES, Limit
from csdiag.i18n import gettext

YamlPath = tuple[str | int, ...]
_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap"}


@dataclass
class YamlDocument:
    """A parsed YAML file with the source position of each node, by path."""

    file: str
    data: Any
    value_positions: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: YamlPath, at_key: bool = False) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the node at `path`, or of its nearest ancestor."""
        path = tuple(path)
        while True:
            if at_key and path in self.key_positions:
                return self.key_positions[path]
            if path in self.value_positions:
                return self.value_positions[path]
            if not path:
                return None, None
            path = path[:-1]

    def problem(self, path: YamlPath, message: str, hint: str = "", at_key: bool = False,
                severity: str = "error", check: str = "") -> Problem:
        line, column = self.position(path, at_key=at_key)
        return Problem(self.file, line, column, message, hint, severity, check)


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _at(file: str, node: yaml.Node, message: str, hint: str) -> Problem:
    """A problem located at a YAML node (lines and columns counted from 1)."""
    return Problem(file, *_position(node), message, hint)


class _Budget:
    """What one file may cost to walk: values visited, aliases followed, nesting."""

    def __init__(self, file: str):
        self.file = file
        # Read once per file: the limits come from the environment, and this runs per node.
        self.max_nodes, self.max_depth = YAML_NODES.value, YAML_DEPTH.value
        self.max_aliases = YAML_ALIASES.value
        self.nodes = 0
        self.aliases = 0
        self.seen: set[int] = set()  # nodes already walked: a second visit is an alias
        self.open: set[int] = set()  # nodes being walked: meeting one again is a loop

    def over(self, limit: Limit, node: yaml.Node) -> UserError:
        return UserError([_at(self.file, node, _too_large(limit), limit.hint())])

    def enter(self, node: yaml.Node, depth: int) -> None:
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise self.over(YAML_NODES, node)
        if depth > self.max_depth:
            raise self.over(YAML_DEPTH, node)
        if id(node) in self.open:
            raise UserError([_at(self.file, node, gettext(
                "an alias refers to a value that contains it, which would never end"),
                gettext("remove the self-reference"))])
        if id(node) in self.seen and isinstance(node, yaml.CollectionNode):
            self.aliases += 1
            if self.aliases > self.max_aliases:
                raise self.over(YAML_ALIASES, node)
        self.seen.add(id(node))


def _too_large(limit: Limit) -> str:
    return gettext("the file goes past csdiag's limit on {limit} ({value})").format(
        **limit.words())


class _TagRefused(yaml.constructor.ConstructorError):
    """A tag on a list or mapping, refused as the safe loader refuses it on a value."""


# libyaml's parser when PyYAML was built with it (twenty times faster on large files),
# else the pure-Python one; both give every node its line and column.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _scalar(loader: yaml.SafeLoader, node: yaml.Node, doc: YamlDocument) -> Any:
    try:
        value = loader.construct_object(node, deep=True)
        if isinstance(value, str) and _SURROGATE.search(value):
            # A lone half of a character pair ("\ud83d"): no output encoding can print it.
            raise ValueError(gettext(
                "the text holds half of a character pair (a lone surrogate)"))
        return value
    except (ValueError, TypeError, OverflowError) as error:
        # e.g. an impossible date (2026-02-30) or '!!float x': YAML's own constructors
        # raise plain Python errors for these.
        if node.tag == "tag:yaml.org,2002:timestamp":
            raise UserError([_at(doc.file, node, gettext(
                "'{value}' is not a real date: {error}").format(value=node.value, error=error),
                gettext("write a date as YYYY-MM-DD, e.g. 2026-10-12"))]) from None
        raise UserError([_at(doc.file, node, gettext(
            "this value cannot be read: {error}").format(error=error),
            gettext("write a plain value (quote it to keep it as text)"))]) from None


def _walk(loader: yaml.SafeLoader, node: yaml.Node, path: YamlPath, doc: YamlDocument,
          problems: list[Problem], budget: _Budget) -> Any:
    budget.enter(node, len(path))
    budget.open.add(id(node))
    try:
        return _walk_node(loader, node, path, doc, problems, budget)
    finally:
        budget.open.discard(id(node))


def _walk_node(loader: yaml.SafeLoader, node: yaml.Node, path: YamlPath, doc: YamlDocument,
               problems: list[Problem], budget: _Budget) -> Any:
    doc.value_positions[path] = _position(node)
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
        # We walk collections ourselves, so refuse tags the safe loader would refuse.
        raise _TagRefused(
            None, None, gettext("the tag {tag} is not allowed (only plain YAML data is)"
                                ).format(tag=node.tag), node.start_mark)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # resolves YAML merge keys (<<) the safe way
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(loader, key_node, doc) if isinstance(key_node, yaml.ScalarNode) \
                else None  # a list or mapping as a key
            if not isinstance(key, (str, int, float, bool)):
                problems.append(_at(doc.file, key_node,
                                    gettext("a mapping key must be a plain word or number"),
                                    gettext("write the key as plain text")))
                continue
            key = str(key) if not isinstance(key, str) else key
            if key in result:
                first_line = doc.key_positions[(*path, key)][0]
                problems.append(_at(doc.file, key_node, gettext(
                    "duplicate key '{key}' (first given on line {line})").format(
                        key=key, line=first_line),
                    gettext("keep one of the two; YAML would silently drop the first")))
                continue
            doc.key_positions[(*path, key)] = _position(key_node)
            result[key] = _walk(loader, value_node, (*path, key), doc, problems, budget)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_walk(loader, item, (*path, i), doc, problems, budget)
                for i, item in enumerate(node.value)]
    return _scalar(loader, node, doc)


def _decode(raw: bytes, file: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise UserError([Problem(
            file, line, column,
            gettext("the file is not UTF-8 text (byte {byte} cannot be decoded)").format(
                byte=f"0x{raw[error.start]:02x}"),
            gettext("save the file as UTF-8 (most editors: 'Save with encoding' > UTF-8)"))]
        ) from None


def parse_yaml_text(text: str, file: str) -> YamlDocument:
    """Parse YAML text; raise UserError with located problems if it cannot be used."""
    doc = YamlDocument(file=file, data=None)
    problems: list[Problem] = []
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise UserError([_empty(file)])
            doc.data = _walk(loader, node, (), doc, problems, _Budget(file))
        finally:
            loader.dispose()
    except RecursionError:
        # PyYAML composes nested values recursively: a deep flow list ([[[[...) ends here.
        raise UserError([Problem(file, None, None,
                                 gettext("the values are nested too deeply to read"),
                                 gettext("nest values less deeply"))]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        # PyYAML's own words say what is wrong: they stay English.
        what = error.problem or error.context or "invalid YAML"
        hint = gettext("check the indentation and quoting on this line and the one before it")
        if "expected a single document" in str(error.context or ""):
            what = gettext("the file holds more than one YAML document ('---')")
            hint = gettext("keep one document per file")
        elif "nesting depth" in what:
            hint = gettext("nest values less deeply")
        elif isinstance(error, _TagRefused) or "tag" in what:
            hint = gettext("remove the '!' tag: csdiag files hold plain data only")
        raise UserError([Problem(
            file, mark.line + 1 if mark else None, mark.column + 1 if mark else None,
            gettext("invalid YAML: {problem}").format(problem=what), hint)]) from None
    except yaml.YAMLError as error:
        raise UserError([Problem(file, None, None,
                                 gettext("invalid YAML: {problem}").format(problem=error),
                                 gettext("check the file's syntax"))]) from None
    if problems:
        raise UserError(problems)
    return doc


def _empty(file: str) -> Problem:
    return Problem(file, None, None, gettext("the file is empty"),
                   gettext("add the content the file should hold, or remove it"))


def missing_path(file: str) -> Problem:
    """A path that names no file or folder."""
    return Problem(file, None, None, gettext("no such file or folder"),
                   gettext("check the path (it is relative to the current folder)"))


def read_yaml(path: Path) -> YamlDocument:
    """Read and parse a YAML file from disk."""
    file = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise UserError([missing_path(file)]) from None
    except OSError as error:
        raise UserError([Problem(file, None, None, gettext(
            "cannot read the file: {reason}").format(reason=error.strerror),
            gettext("check the path and its permissions"))]) from None
    if stat.S_ISDIR(info.st_mode):
        raise UserError([Problem(file, None, None, gettext("this is a folder, not a file"),
                                 gettext("give a YAML file"))])
    if not stat.S_ISREG(info.st_mode):
        # Reading a pipe or a device would block, or never end.
        raise UserError([Problem(file, None, None, gettext(
            "this is not a regular file (a pipe, a socket or a device)"),
            gettext("save the content to a file first"))])
    limit = FILE_BYTES.value
    try:
        with path.open("rb") as stream:
            raw = stream.read(limit + 1)
    except OSError as error:
        raise UserError([Problem(file, None, None, gettext(
            "cannot read the file: {reason}").format(reason=error.strerror),
            gettext("check the file's permissions"))]) from None
    if len(raw) > limit or info.st_size > limit:
        raise UserError([Problem(file, None, None, _too_large(FILE_BYTES), FILE_BYTES.hint())])
    text = _decode(raw, file)
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise UserError([_empty(file)])
    return parse_yaml_text(text, file)


def top_level_keys(path: Path, lines: int = 60) -> set[str]:
    """The top-level keys among a YAML file's first lines, read cheaply (no parsing, no
    size limit reached): enough to tell a case file from a rule or a fixture file."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            head = [handle.readline(4096) for _ in range(lines)]
    except OSError:
        return set()
    return {line.split(":", 1)[0] for line in head if line[:1].isalpha() and ":" in line}
