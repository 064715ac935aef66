"""Large batches: `csdiag diagnose FOLDER` over 1,000 and 100,000 case files, with the
built-in knowledge base, timing each run and reading its peak memory. A folder of any
size must run in memory that does not grow with the number of cases (issue 14's
target: 100,000 cases in one run, flat memory, no durable_rules error).

    .venv/bin/python bench/batch.py                      # 1,000 and 100,000 cases
    .venv/bin/python bench/batch.py --sizes 1000 10000   # quicker

Each run is a real `csdiag diagnose FOLDER --format jsonl --no-explanations` (--jobs at
its default), output to /dev/null; peak memory is the largest ru_maxrss of the run's
processes. Case files are written to a temporary folder, with random but valid facts
drawn from the built-in vocabulary (about 60% known). run_bench.py --full runs this too.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from csdiag import Workspace
from fuzz import valid_value  # the fuzzer's valid values: the same vocabulary walk


def write_cases(folder: Path, count: int, seed: int = 1) -> None:
    facts = Workspace().facts()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        document = {"case": f"batch-{number:06d}", "organisation": f"Unit {number}",
                    "date": "2026-11-01", "assessor": "bench",
                    "facts": {d.name: valid_value(rng, d) for d in facts
                              if rng.random() < 0.6}}
        (folder / f"batch-{number:06d}.yaml").write_text(
            yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


FLAT = 1.2  # "flat memory": the largest batch's peak within this factor of the smallest's
ENGINE_ERRORS = ("durable", "error code", "Traceback")  # in stderr: the engine failed


@dataclass
class Row:
    size: int
    seconds: float
    peak_mb: float
    code: int
    errors: list[str]  # stderr lines that name an engine error


def run(folder: Path) -> tuple[float, float, int, str]:
    """Seconds, peak MB, exit code and standard error of one diagnose run over the
    folder."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    with open(os.devnull, "w") as sink:
        done = subprocess.run([sys.executable, "-c", "from csdiag.cli import main; main()",
                               "diagnose", str(folder), "--format", "jsonl",
                               "--no-explanations"], stdout=sink, stderr=subprocess.PIPE,
                              text=True, check=False)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024, done.returncode, done.stderr


def run_sizes(sizes: list[int]) -> list[Row]:
    """Write and diagnose a folder of each size, smallest first (ru_maxrss of children
    is the largest seen so far, so a later run's peak is only its own if larger)."""
    rows = []
    with tempfile.TemporaryDirectory() as temporary:
        for size in sorted(sizes):
            folder = Path(temporary) / f"cases-{size}"
            start = time.perf_counter()
            write_cases(folder, size)
            written = time.perf_counter() - start
            seconds, peak, code, stderr = run(folder)
            errors = [line for line in stderr.splitlines()
                      if any(word in line for word in ENGINE_ERRORS)]
            rows.append(Row(size, seconds, peak, code, errors))
            print(f"{size:>8,} cases: wrote in {written:.0f} s; diagnosed in {seconds:.1f} s "
                  f"({size / seconds:,.0f} cases/s), peak {peak:.0f} MB, exit {code}"
                  + (f"; engine errors: {errors[:3]}" if errors else ""), flush=True)
    return rows


def target(rows: list[Row]) -> tuple[str, str, bool]:
    """Issue 14's target line: name, what was measured, whether it is met."""
    largest, smallest = rows[-1], rows[0]
    growth = largest.peak_mb / smallest.peak_mb
    clean = all(row.code == 0 and not row.errors for row in rows)
    measured = (f"{largest.size:,} cases in {largest.seconds:.0f} s "
                f"({largest.size / largest.seconds:,.0f} cases/s), peak {largest.peak_mb:.0f} "
                f"MB = {growth:.2f}x the {smallest.size:,}-case run's (flat: <= {FLAT}x), "
                + ("exit 0, no engine error" if clean else
                   f"exit {largest.code}, engine errors: {largest.errors[:3]}"))
    return (f"{largest.size:,} cases in one --format jsonl run, flat memory, no durable "
            "error", measured, clean and growth <= FLAT and len(rows) > 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    args = parser.parse_args()
    rows = run_sizes(args.sizes)
    if len(rows) > 1:
        name, measured, met = target(rows)
        print(f"target [{'met' if met else 'MISSED'}] {name}: {measured}")
    sys.exit(max(row.code for row in rows))


if __name__ == "__main__":
    main()
