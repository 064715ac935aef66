"""Rule packs kept on disk once read and compiled, so that the next run starts without
parsing YAML or compiling rules (most of a short run's time went there).

A pack is kept in $XDG_CACHE_HOME/csdiag/packs (else ~/.cache/csdiag/packs), one file for
the knowledge base and one for its compiled rulesets per list of rule folders, and is
used only while nothing it was made from has changed: its key is a hash of every
vocabulary and rule file (path and bytes), the folders in order, csdiag's own code (each
module's path, size and time), the versions of Python and pydantic, the limits set in the
environment (CSDIAG_MAX_*) and, for rulesets, how many rules and facts one may hold. A
pack with errors is never kept: it is read, and reported, every time.

The files are pickles, so they are read only from a folder that no one else may write,
only when this user owns them, and only when their first line names the key wanted; any
failure to read one is a miss. They are written whole or not at all (a temporary file,
then a rename), and a cache that cannot be written (a read-only home, a full disk) costs
only the time it would have saved. CSDIAG_NO_CACHE=1 turns the cache off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Any

import pydantic

import csdiag
from csdiag.collector import collector_paused
from csdiag.engine import compile as compiler
from csdiag.engine.compile import CompiledRuleset
from csdiag.formats.rule_pack import load_knowledge_base, rule_files, vocabulary_files
from csdiag.i18n.catalogue import cache_folder
from csdiag.model.knowledge_base import KnowledgeBase

NO_CACHE_VARIABLE = "CSDIAG_NO_CACHE"
_HEADER = b"csdiag rule pack cache 1 "  # then the key and a line break


def cached_knowledge_base(folders: list[Path]) -> KnowledgeBase:
    """load_knowledge_base(folders), from the cache while its files are unchanged."""
    if not enabled():
        return load_knowledge_base(folders)
    key = _files_key(folders)
    place = _place("pack", folders)
    kb = _read(place, key) if key and place else None
    if not isinstance(kb, KnowledgeBase):
        kb = load_knowledge_base(folders)  # raises UserError on a pack with errors
        # Kept only if no file changed while it was read: else the key would not be its.
        if key and place and _files_key(folders) == key:
            _write(place, key, kb)
    kb.files_key = key or ""
    return kb


def cached_rulesets(kb: KnowledgeBase) -> list[CompiledRuleset]:
    """compile_knowledge_base(kb), from the cache while kb's files are unchanged."""
    rulesets = rulesets_in_cache(kb)
    if rulesets is None:
        max_rules, max_facts = compiler.MAX_RULES_PER_RULESET, compiler.MAX_FACTS_PER_RULESET
        rulesets = compiler.compile_knowledge_base(kb, max_rules, max_facts)
        key, place = _rulesets_place(kb)
        if key and place:
            _write(place, key, rulesets)
    return rulesets


def rulesets_in_cache(kb: KnowledgeBase) -> list[CompiledRuleset] | None:
    """kb's compiled rulesets if the cache holds them, else None. Only a pack that passed
    the check before compiling (no lint errors) is ever compiled, so a hit also says the
    pack passed it."""
    key, place = _rulesets_place(kb)
    rulesets = _read(place, key) if key and place else None
    if (isinstance(rulesets, list)
            and all(isinstance(r, CompiledRuleset) for r in rulesets)):
        return rulesets
    return None


def _rulesets_place(kb: KnowledgeBase) -> tuple[str | None, Path | None]:
    if not kb.files_key or not enabled():
        return None, None
    # Read now, not as defaults: the key must say what the rulesets were compiled with.
    max_rules, max_facts = compiler.MAX_RULES_PER_RULESET, compiler.MAX_FACTS_PER_RULESET
    # The rules' digest too: a knowledge base changed in memory since it was read must not
    # leave its rulesets in the cache under the files' key.
    key = _hashed(kb.files_key, kb.digest(), f"rulesets {max_rules} {max_facts}")
    return key, _place("rulesets", kb.folders)


def enabled() -> bool:
    """Whether the cache is used: unless CSDIAG_NO_CACHE is set (to anything but 0)."""
    return os.environ.get(NO_CACHE_VARIABLE, "").strip() in ("", "0")


def packs_folder() -> Path:
    return cache_folder() / "packs"


# --- keys ---------------------------------------------------------------------------


def _hashed(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        _add(digest, part)
    return digest.hexdigest()


def _add(digest: Any, part: str | bytes) -> None:
    """Add one part, its length first, so that no two lists of parts hash alike."""
    data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
    digest.update(len(data).to_bytes(8, "little"))
    digest.update(data)


def _files_key(folders: list[Path]) -> str | None:
    """The key of what reading `folders` gives; None if a file cannot be read (the loader
    reports it)."""
    digest = hashlib.sha256()
    _add(digest, _code_key())
    _add(digest, _limits_key())
    try:
        for folder in folders:
            _add(digest, f"folder {folder}")
            if not folder.is_dir():
                continue  # the loader refuses it, so nothing is kept
            for path in [*vocabulary_files(folder), *rule_files(folder)]:
                _add(digest, f"file {path}")
                _add(digest, path.read_bytes())
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop under a folder
        return None
    return digest.hexdigest()


@cache
def _code_key() -> str:
    """csdiag's code as installed (every module's path, size and time) and the versions of
    what the cached objects are made of: a change to any of them makes new packs."""
    package = Path(csdiag.__file__).parent
    files = []
    for path in sorted(package.rglob("*.py")):
        info = path.stat()
        files.append(f"{path.relative_to(package)} {info.st_size} {info.st_mtime_ns}")
    return _hashed(csdiag.__version__, sys.version, pydantic.VERSION, *files)


def _limits_key() -> str:
    # Read each time: a pack read under raised limits may be refused under the defaults.
    return " ".join(f"{name}={value}" for name, value in sorted(os.environ.items())
                    if name.startswith("CSDIAG_MAX_"))


def _place(kind: str, folders: list[Path]) -> Path | None:
    """The file a pack of `folders` is kept in: one per list of folders, so a pack whose
    files changed replaces its old copy instead of piling up beside it. None when there
    is no cache folder (no home folder to put it in)."""
    try:
        where = [str(folder.absolute()) for folder in folders]
        return packs_folder() / f"{kind}-{_hashed(*where)[:20]}.pickle"
    except (RuntimeError, KeyError, OSError):  # Path.home() with no home
        return None


# --- files --------------------------------------------------------------------------


def _own(info: os.stat_result, folder: bool) -> bool:
    """Written by this user alone: owned by them, and writable by no one else."""
    uid = os.getuid() if hasattr(os, "getuid") else None
    mine = uid is None or info.st_uid == uid
    return mine and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and (
        stat.S_ISDIR(info.st_mode) if folder else stat.S_ISREG(info.st_mode))


def _read(path: Path, key: str) -> Any:
    """The object kept at `path` under `key`, or None."""
    try:
        if not _own(path.parent.stat(), folder=True):
            return None
        with path.open("rb") as handle:
            if not _own(os.fstat(handle.fileno()), folder=False):
                return None
            if handle.readline() != _HEADER + key.encode() + b"\n":
                return None  # another key, or not a file csdiag wrote
            data = handle.read()
        with collector_paused():
            return pickle.loads(data)
    except Exception:  # a damaged or foreign file, an object of old code: only a miss
        return None


def _write(path: Path, key: str, value: object) -> None:
    """Keep `value` at `path` under `key`, whole or not at all; never fails."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with collector_paused():
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _own(path.parent.stat(), folder=True):
            return  # a folder others may write: its files would not be read back
        temporary.unlink(missing_ok=True)  # left by a process that had this id and died
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(_HEADER + key.encode() + b"\n")
            handle.write(data)
        os.replace(temporary, path)
    except Exception:  # not kept (no room, no right, unpicklable): the next run reads again
        with suppress(OSError):
            temporary.unlink(missing_ok=True)
