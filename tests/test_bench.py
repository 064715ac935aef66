"""The benchmark keeps working: its engines agree on a small generated pack. (Its
figures are printed by bench/run_bench.py, never asserted here.)"""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))

import clips_engine
from run_bench import bench_pack


def test_the_benchmark_engines_agree_on_a_small_pack(tmp_path: Path) -> None:
    report, _ = bench_pack(tmp_path / "pack", n_rules=50, n_cases=40, seed=7, attributes=60,
                           rounds=1)
    assert report.errors == []
    assert report.mismatched == 0, report.examples
    engines = {"floor", "durable", "csdiag", "+explain"}
    if clips_engine.available():  # clipspy is the optional 'bench' extra
        engines.add("CLIPS")
    else:
        assert report.notes == [clips_engine.INSTALL_HINT]
    assert set(report.seconds) == engines


def test_generated_packs_are_packs_csdiag_accepts(tmp_path: Path) -> None:
    # The benchmark drives the engine directly; csdiag itself refuses a pack with lint
    # errors, so a generated pack must have none.
    from csdiag import Workspace

    from generate_pack import generate_pack

    generate_pack(tmp_path / "pack", 1000, 60, 1)
    report = Workspace([tmp_path / "pack"], builtin=False).lint()
    assert report.errors == []
