"""Fuzz csdiag with generated input: case files, rule files and command-line settings,
valid, at the edges and malformed, each run through the real command line in-process.
A run counts as a crash when it exits with anything but 0, 1 or 2 (3 is csdiag's
internal error) or an exception escapes; as a hang when it takes more than 10 s; and a
traceback anywhere in the output is counted too.

    .venv/bin/python bench/fuzz.py                 # 5,000 inputs, seed 1
    .venv/bin/python bench/fuzz.py --count 300 --seed 7

Inputs that fail are kept in a folder the summary names, to reproduce by hand. The same
generators drive the property-based tests in tests/test_fuzz.py.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from csdiag import Workspace
from csdiag.cli import cli

REPO = Path(__file__).resolve().parents[1]
MINI_RULES = REPO / "tests" / "packs" / "mini" / "rules"
HANG_SECONDS = 10
YAML_SIGNIFICANT = [*":-[]{},&*!|>'\"%@`#?\n \t", "\x00", "\x1b", "\u00e9", "中", "ж"]
EDGE_NUMBERS: list[Any] = [0, -0.0, 0.00001, 1e-300, 5e-324, 1e16, 1e300, 10**20, -1, -1e16,
                           2**63, 2**64 + 1, 99.99999999999999, 100.00000000000001, 0.5,
                           float("inf"), float("-inf"), float("nan"), 10**400]
EDGE_TEXT = ["", " ", "yes", "no", "null", "~", "true", "2026-13-45", "2026-02-30", "0x1F",
             "1_000", "\uff11\uff12", "\u0661\u0662", "\u202e", "x" * 10_000, "中文",
             "русский", "\x00", "\x1b[A"]

_facts: list[Any] | None = None


def vocabulary() -> list[Any]:
    global _facts
    if _facts is None:
        _facts = Workspace().facts()
    return _facts


def valid_value(rng: random.Random, definition: Any) -> Any:
    if definition.type == "boolean":
        return rng.random() < 0.5
    if definition.type == "enum":
        return rng.choice(definition.values)
    low, high = definition.bounds()
    low = 0.0 if low is None else low
    high = low + 1000.0 if high is None else high
    value = rng.choice([low, high, rng.uniform(low, high)])
    return int(value) if definition.type == "integer" else value


def odd_value(rng: random.Random) -> Any:
    return rng.choice([*EDGE_NUMBERS, *EDGE_TEXT, [], {}, [1, 2], {"value": 1},
                       {"value": rng.choice(EDGE_NUMBERS), "confidence":
                        rng.choice(EDGE_NUMBERS)},
                       {"value": True, "source": rng.choice(EDGE_TEXT), "note": "\x07"}])


def case_document(rng: random.Random) -> dict[str, Any]:
    facts: dict[Any, Any] = {}
    for definition in vocabulary():
        roll = rng.random()
        if roll < 0.5:
            facts[definition.name] = valid_value(rng, definition)
        elif roll < 0.6:
            facts[definition.name] = {"value": valid_value(rng, definition),
                                      "confidence": rng.choice([0.3, 1, 0.00001]),
                                      "source": "interview", "note": "fuzz"}
        elif roll < 0.65:
            facts[definition.name] = odd_value(rng)
    if rng.random() < 0.2:
        facts[rng.choice(["unknown.fact", "x", "staff", "ops.attrition_pct", 1, True])] = 1
    document: dict[Any, Any] = {"case": "fuzz-case", "organisation": "Fuzz Ltd",
                                "date": "2026-11-01", "assessor": "fuzz", "facts": facts}
    if rng.random() < 0.3:
        key = rng.choice(list(document))
        document[key] = odd_value(rng)
    if rng.random() < 0.1:
        del document[rng.choice(list(document))]
    return document


def dump(document: Any) -> str:
    try:
        return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    except (yaml.YAMLError, ValueError, OverflowError):
        return "case: [unrepresentable\n"


def mutate(rng: random.Random, text: str, edits: int) -> str:
    chars = list(text)
    for _ in range(edits):
        where = rng.randrange(len(chars) + 1)
        action = rng.random()
        if action < 0.4 or not chars:
            chars.insert(where, rng.choice(YAML_SIGNIFICANT))
        elif action < 0.7:
            del chars[min(where, len(chars) - 1)]
        else:
            chars[min(where, len(chars) - 1)] = rng.choice(YAML_SIGNIFICANT)
    return "".join(chars)


SPECIALS = [
    "case: a\norganisation: b\ndate: 2026-11-01\nassessor: c\nfacts: &a\n  x: *a\n",
    "case: a\norganisation: b\ndate: 2026-11-01\nassessor: c\nfacts: " + "[" * 3000 + "]" * 3000,
    "case: a\norganisation: b\ndate: 2026-11-01\nassessor: c\nfacts:\n  a: &a [x,x,x,x,x,x]\n"
    + "".join(f"  {n}: &{n} [{','.join(['*' + p] * 8)}]\n" for p, n in zip("abcdefgh",
                                                                          "bcdefghi", strict=True)),
    "--- a\n--- b\n", "!!python/object/apply:os.system ['echo pwned']\n",
    "case: !!float x\n", "\ufeffcase: bom\n", "",
]


def case_bytes(rng: random.Random) -> bytes:
    """One case file's bytes: valid, at the edges, mutated, special or random."""
    roll = rng.random()
    if roll < 0.45:
        text = dump(case_document(rng))
    elif roll < 0.8:
        text = mutate(rng, dump(case_document(rng)), rng.randint(1, 12))
    elif roll < 0.9:
        text = rng.choice(SPECIALS)
    else:
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 400)))
    return text.encode("utf-8", "surrogatepass")


RULE_OPS = ["eq", "ne", "gt", "ge", "lt", "le", "in", "not_in", "rises", "falls", "known",
            "above", ""]


def rule_condition(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth < 3 and roll < 0.3:
        return {rng.choice(["all", "any"]): [rule_condition(rng, depth + 1)
                                             for _ in range(rng.randint(0, 3))]}
    if depth < 3 and roll < 0.4:
        return {"not": rule_condition(rng, depth + 1)}
    if roll < 0.5:
        return {"finding": rng.choice(["high-turnover", "untrained", "nope", ""])}
    fact = rng.choice(["staff.attrition_pct", "training.new_hire_days",
                       "hiring.attitude_screen", "ops.staffing_basis", "no.such_fact"])
    op = rng.choice(RULE_OPS)
    value: Any = rng.choice([*EDGE_NUMBERS, True, "budget_cap", ["budget_cap"], [1, 2],
                             {"from": 10, "to": rng.choice(EDGE_NUMBERS)}])
    condition: dict[str, Any] = {"fact": fact, op: value}
    if rng.random() < 0.7:
        condition["threshold"] = rng.choice(["judgement", "published", "guess"])
    return condition


def rule_bytes(rng: random.Random) -> bytes:
    """A rule file added to the mini pack: generated, or a mutated real one."""
    if rng.random() < 0.5:
        text = (MINI_RULES / rng.choice(["untrained.yaml", "cost-staffing.yaml",
                                         "vicious-circle.yaml"])).read_text(encoding="utf-8")
        return mutate(rng, text, rng.randint(1, 8)).encode("utf-8", "surrogatepass")
    document: dict[str, Any] = {
        "id": "fuzz-rule", "kind": rng.choice(["diagnosis", "finding", "other"]),
        "title": rng.choice([*EDGE_TEXT[:8], "A fuzzed rule"]), "description": "d",
        "category": "general", "severity": rng.choice(["low", "high", "extreme"]),
        "certainty": rng.choice([0.5, 1, 0, -0.5, 2, *EDGE_NUMBERS[:6]]),
        "when": rule_condition(rng),
        "remedies": [{"id": "fix-it", "action": "Fix it.", "why": "Because."}],
        "sources": [{"citation": "fuzz"}]}
    return dump(document).encode()


def settings(rng: random.Random) -> list[str]:
    """Command-line what-ifs and thresholds."""
    args: list[str] = []
    for _ in range(rng.randint(1, 3)):
        fact = rng.choice([*(d.name for d in vocabulary()[:20]), "no.such", "", "="])
        value = rng.choice([*map(str, EDGE_NUMBERS), *EDGE_TEXT[:17], "[", "{a: 1}",
                            "!!python/object/apply:os.system ['echo x']", "40%", "12,5"])
        args += ["--set", f"{fact}={value}"]
    if rng.random() < 0.5:
        args += ["--threshold", rng.choice(["0", "1", "0.5", "nan", "inf", "-1", "x", "1e-300"])]
    return args


class _Hang(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Hang


def run_cli(args: list[str], stdin: str = "") -> tuple[str, str]:
    """(verdict, output): verdict is ok, crash, hang or traceback."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_SECONDS)
    try:
        result = CliRunner().invoke(cli, args, input=stdin, catch_exceptions=True)
    except _Hang:
        return "hang", " ".join(args)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    output = result.output
    if isinstance(result.exception, _Hang):
        return "hang", output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return "crash", f"{type(result.exception).__name__}: {result.exception}\n{output}"
    if result.exit_code not in (0, 1, 2):
        return "crash", output
    if "Traceback" in output:
        return "traceback", output
    return "ok", output


def fuzz_case(rng: random.Random, folder: Path) -> tuple[str, str, list[Path]]:
    path = folder / "case.yaml"
    path.write_bytes(case_bytes(rng))
    fmt = rng.choice(["text", "json", "markdown", "jsonl"])
    verdict, output = run_cli(["diagnose", str(path), "--format", fmt])
    return verdict, output, [path]


def fuzz_rule(rng: random.Random, folder: Path) -> tuple[str, str, list[Path]]:
    pack = folder / "pack"
    shutil.copytree(MINI_RULES, pack)
    path = pack / "fuzz-rule.yaml"
    path.write_bytes(rule_bytes(rng))
    command = rng.choice([["rules", "lint", str(pack), "--no-builtin-rules"],
                          ["rules", "test", str(pack), "--no-builtin-rules"],
                          ["diagnose", str(MINI_RULES.parent / "cases" / "all-known.yaml"),
                           "--rules", str(pack), "--no-builtin-rules"]])
    verdict, output = run_cli(command)
    return verdict, output, [path]


def fuzz_settings(rng: random.Random, folder: Path) -> tuple[str, str, list[Path]]:
    args = ["diagnose", str(REPO / "cases" / "northwind-telecom.yaml"), *settings(rng)]
    verdict, output = run_cli(args)
    (folder / "command.txt").write_text(repr(args), encoding="utf-8")
    return verdict, output, [folder / "command.txt"]


FUZZERS: list[tuple[str, float, Callable[[random.Random, Path], tuple[str, str, list[Path]]]]] = [
    ("case file", 0.6, fuzz_case), ("rule file", 0.25, fuzz_rule),
    ("settings", 0.15, fuzz_settings)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    kept = Path(tempfile.mkdtemp(prefix="csdiag-fuzz-failures-"))
    counts: Counter[tuple[str, str]] = Counter()
    slowest = 0.0
    start = time.perf_counter()
    for number in range(args.count):
        name, _, fuzzer = rng.choices(FUZZERS, weights=[w for _, w, _ in FUZZERS])[0]
        with tempfile.TemporaryDirectory() as temporary:
            began = time.perf_counter()
            verdict, output, files = fuzzer(random.Random(rng.random()), Path(temporary))
            slowest = max(slowest, time.perf_counter() - began)
            counts[(name, verdict)] += 1
            if verdict != "ok":
                target = kept / f"{number:05d}-{verdict}"
                target.mkdir()
                for file in files:
                    shutil.copy(file, target / file.name)
                (target / "output.txt").write_text(output, encoding="utf-8")
        if (number + 1) % 500 == 0:
            print(f"  {number + 1:,} inputs ...", flush=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    bad = {v: sum(n for (_, verdict), n in counts.items() if verdict == v)
           for v in ("crash", "hang", "traceback")}
    print(f"{args.count:,} generated inputs (seed {args.seed}) in {seconds:.0f} s: "
          + ", ".join(f"{name} {sum(n for (k, _), n in counts.items() if k == name):,}"
                      for name, _, _ in FUZZERS))
    print(f"{bad['crash']} crashes, {bad['hang']} hangs, {bad['traceback']} tracebacks; "
          f"slowest input {slowest:.2f} s; peak memory {peak:.0f} MB")
    if any(bad.values()):
        print(f"failing inputs kept in {kept}")
        sys.exit(1)
    shutil.rmtree(kept)


if __name__ == "__main__":
    main()
