"""Large batches: `csdiag diagnose FOLDER` over 1,000 and 100,000 case files, with the
built-in knowledge base, timing each run and reading its peak memory. A folder of any
size must run in memory that does not grow with the number of cases.

    .venv/bin/python bench/batch.py                      # 1,000 and 100,000 cases
    .venv/bin/python bench/batch.py --sizes 1000 10000   # quicker

Each run is a real `csdiag diagnose FOLDER --format jsonl --no-explanations`, output to
/dev/null; peak memory is the child's ru_maxrss. Case files are written to a temporary
folder, with random but valid facts drawn from the built-in vocabulary (about 60% known).
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


def run(folder: Path) -> tuple[float, float, int]:
    """Seconds, peak MB and exit code of one diagnose run over the folder."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    with open(os.devnull, "w") as sink:
        code = subprocess.run([sys.executable, "-c", "from csdiag.cli import main; main()",
                               "diagnose", str(folder), "--format", "jsonl",
                               "--no-explanations"], stdout=sink).returncode
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024, code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as temporary:
        # Smallest first: ru_maxrss of children is the largest seen so far.
        for size in sorted(args.sizes):
            folder = Path(temporary) / f"cases-{size}"
            start = time.perf_counter()
            write_cases(folder, size)
            written = time.perf_counter() - start
            seconds, peak, code = run(folder)
            rows.append((size, seconds, peak, code))
            print(f"{size:>8,} cases: wrote in {written:.0f} s; diagnosed in {seconds:.1f} s "
                  f"({size / seconds:,.0f} cases/s), peak {peak:.0f} MB, exit {code}",
                  flush=True)
    if len(rows) > 1:
        print(f"peak memory, largest / smallest batch: {rows[-1][2] / rows[0][2]:.2f}")
    sys.exit(max(code for *_, code in rows))


if __name__ == "__main__":
    main()
