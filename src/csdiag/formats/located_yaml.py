"""Read a YAML file safely, keeping the line and column of every key and value.

Nothing is ever executed: only the safe YAML tags are constructed. Duplicate
keys, empty files, non-UTF-8 bytes and syntax errors become `Problem`s, and so does a
file past one of the limits in formats.limits (size, values, aliases, nesting): a
"billion laughs" file is refused after a bounded amount of work.

libyaml parses when PyYAML has it (the safe loader, CSafeLoader), and a file reads the
same with it as without: a file it refuses, or would read otherwise than PyYAML's own
parser, is read again by that parser, whose reading and words are the ones told.
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


class _OverLimit(UserError):
    """A file past one of csdiag's limits on what reading it may cost."""


class _Budget:
    """What one file may cost to walk: values visited, aliases followed, nesting; and
    whether libyaml read it, so the walk checks the few places it parts from PyYAML."""

    def __init__(self, file: str, libyaml: bool, open_end: bool):
        self.file = file
        self.libyaml = libyaml
        self.open_end = open_end  # no line break after the last value
        # Read once per file: the limits come from the environment, and this runs per node.
        self.max_nodes, self.max_depth = YAML_NODES.value, YAML_DEPTH.value
        self.max_aliases = YAML_ALIASES.value
        self.nodes = 0
        self.aliases = 0
        self.seen: set[int] = set()  # nodes already walked: a second visit is an alias
        self.open: set[int] = set()  # nodes being walked: meeting one again is a loop

    def over(self, limit: Limit, node: yaml.Node) -> UserError:
        return _OverLimit([_at(self.file, node, _too_large(limit), limit.hint())])

    def enter(self, node: yaml.Node, depth: int) -> None:
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise self.over(YAML_NODES, node)
        if depth > self.max_depth:
            raise self.over(YAML_DEPTH, node)
        if not isinstance(node, yaml.CollectionNode):
            return  # a plain value contains nothing, and following it twice costs nothing
        if id(node) in self.open:
            raise UserError([_at(self.file, node, gettext(
                "an alias refers to a value that contains it, which would never end"),
                gettext("remove the self-reference"))])
        if id(node) in self.seen:
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
# else none: the pure-Python one reads every file. Both give every node its line and
# column; where they would differ, the pure one reads the file (see parse_yaml_text).
FAST_LOADER: type[yaml.SafeLoader] | None = (
    getattr(yaml, "CSafeLoader", None) if yaml.__with_libyaml__ else None)
_SURROGATE = re.compile("[\ud800-\udfff]")
_STR_TAG = "tag:yaml.org,2002:str"
# Where libyaml reads a file otherwise than PyYAML: a tag ('!', '!a!b.' are read by one
# and refused by the other), and a block scalar's header running into a comment ('|#').
# Both written to start from their literal character, which keeps the search quick.
_TAG = re.compile(r"!(?<![^\s\[{,]!)")
_HEADER_COMMENT = re.compile(r"#(?<=[|>]#)|#(?<=[|>][-+0-9]#)|#(?<=[|>][-+0-9]{2}#)")


def _reference_only(text: str) -> bool:
    """Text libyaml would read otherwise than PyYAML: a tab (libyaml takes one inside a
    plain value, 'a<tab>b: 1', where PyYAML refuses it), a byte-order mark inside the text
    (libyaml counts it as a column, PyYAML does not), a tag, or a block scalar header
    running into a comment (PyYAML refuses '|#', libyaml does not)."""
    return ("\t" in text or "\ufeff" in text or _TAG.search(text) is not None
            or _HEADER_COMMENT.search(text) is not None)


class _Disagreement(Exception):
    """libyaml read a value otherwise than PyYAML would: the file is read again by PyYAML.
    An empty value ('key:' and nothing) in a flow collection ('{a: }') or at the very end
    of a file with no line break after it is placed elsewhere (PyYAML puts it just after
    the key, where a problem with it is best shown), and PyYAML ends a plain value in a
    flow collection at '?' ('[why? x]') where libyaml reads on. Rare in any file, so the
    cost of reading one twice is too."""


_FLOW_STOPS = frozenset("?[]{},:#")  # characters near which the parsers cut flow values apart


def _check_flow(node: yaml.CollectionNode) -> None:
    """Raise _Disagreement on a plain value of a flow collection that PyYAML would read
    otherwise than libyaml did."""
    items = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) \
        else node.value
    for item in items:
        if isinstance(item, yaml.ScalarNode) and not item.style and (
                not item.value or not _FLOW_STOPS.isdisjoint(item.value)):
            raise _Disagreement


def _scalar(loader: yaml.SafeLoader, node: yaml.ScalarNode, doc: YamlDocument) -> Any:
    try:
        # Most values are text, which the constructor would return just as written.
        value = node.value if node.tag == _STR_TAG else loader.construct_object(node, deep=True)
        if node.style == '"' and isinstance(value, str) and _SURROGATE.search(value):
            # A lone half of a character pair: only an escape ("\ud83d") can write one,
            # and no output encoding can print it.
            raise ValueError(gettext(
                "the text holds half of a character pair (a lone surrogate)"))
        return value
    except (ValueError, TypeError, OverflowError, IndexError) as error:
        # e.g. an impossible date (2026-02-30), '!!float x' or an empty '!!int': YAML's
        # own constructors raise plain Python errors for these.
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
    doc.value_positions[path] = _position(node)
    if isinstance(node, yaml.ScalarNode):
        if budget.open_end and not node.value and not node.style:
            raise _Disagreement  # an empty value: where libyaml places it, see _Disagreement
        return _scalar(loader, node, doc)
    assert isinstance(node, yaml.CollectionNode), node  # the only other kind of node
    budget.open.add(id(node))
    try:
        return _walk_collection(loader, node, path, doc, problems, budget)
    finally:
        budget.open.discard(id(node))


def _walk_collection(loader: yaml.SafeLoader, node: yaml.CollectionNode, path: YamlPath,
                     doc: YamlDocument, problems: list[Problem], budget: _Budget) -> Any:
    if node.tag not in _PLAIN_TAGS:
        # We walk collections ourselves, so refuse tags the safe loader would refuse.
        raise _TagRefused(
            None, None, gettext("the tag {tag} is not allowed (only plain YAML data is)"
                                ).format(tag=node.tag), node.start_mark)
    if budget.libyaml and node.flow_style:
        _check_flow(node)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # resolves YAML merge keys (<<) the safe way
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if budget.open_end and key_node.value == "" and not key_node.style:
                raise _Disagreement
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
    return [_walk(loader, item, (*path, i), doc, problems, budget)
            for i, item in enumerate(node.value)]


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


def parse_yaml_text(text: str, file: str,
                    loader_class: type[yaml.SafeLoader] | None = FAST_LOADER) -> YamlDocument:
    """Parse YAML text; raise UserError with located problems if it cannot be used.

    libyaml (`loader_class`) reads it when it reads it as PyYAML would; a file it cannot
    use, or that it would read otherwise, is read again by PyYAML's pure parser, whose
    reading and words are the ones told: a mistake reads the same with or without libyaml.
    `loader_class` None reads with PyYAML's parser alone."""
    if loader_class is not None and not _reference_only(text):
        try:
            return _parse(text, file, loader_class)
        except _OverLimit:
            raise  # PyYAML would walk to the same limit: reading it again would cost most
        except (UserError, _Disagreement):
            pass
    return _parse(text, file, yaml.SafeLoader)


def _parse(text: str, file: str, loader_class: type[yaml.SafeLoader]) -> YamlDocument:
    doc = YamlDocument(file=file, data=None)
    problems: list[Problem] = []
    try:
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise UserError([_empty(file)])
            libyaml = loader_class is not yaml.SafeLoader
            budget = _Budget(file, libyaml, open_end=libyaml and not text.endswith(
                ("\n", "\r", "\x85", "\u2028", "\u2029")))
            doc.data = _walk(loader, node, (), doc, problems, budget)
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
    if info.st_size > limit:
        raise UserError([Problem(file, None, None, _too_large(FILE_BYTES), FILE_BYTES.hint())])
    return yaml_from_bytes(raw, file)


def yaml_from_bytes(raw: bytes, file: str, empty: Problem | None = None) -> YamlDocument:
    """Parse the bytes of a YAML file (at most FILE_BYTES of them: read one more to tell);
    `file` names it in problems, `empty` is the problem when it holds nothing."""
    if len(raw) > FILE_BYTES.value:
        raise UserError([Problem(file, None, None, _too_large(FILE_BYTES), FILE_BYTES.hint())])
    text = _decode(raw, file)
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise UserError([empty or _empty(file)])
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
