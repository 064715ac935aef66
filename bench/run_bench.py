"""Benchmark csdiag against durable_rules alone and against plain Python closures.

    /tmp/dev/bin/python bench/run_bench.py [--cases N] [--packs 50,200,1000] [--quick]

For each generated pack, on the same cases in the same run:
  (a) csdiag      Diagnoser.diagnose: durable_rules plus csdiag's own layers (and, to
                  split the cost, its inference engine alone, without the report)
  (b) durable     the same compiled rulesets driven directly through a durable host
  (c) closures    the same rules as three-valued Python closures (the floor)
and checks that all of them conclude and rule out the same rules for every case.
Then: 3,000+ cases through one Diagnoser (durable_rules allows 1,024 live sessions
per ruleset), the start-up time of the `csdiag diagnose` command, peak memory.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from closures import ClosureEngine
from csdiag import Workspace
from csdiag.engine.run import Engine
from csdiag.formats.case import Case, KnownFact
from csdiag.formats.rule_pack import load_knowledge_base
from csdiag.formats.vocabulary import Vocabulary
from csdiag.model.outcome import RawOutcome
from csdiag.reason.diagnosis import CaseResult, Diagnoser
from csdiag.reason.settle import CertaintyReasoner
from durable_direct import DurableDirect

from generate_pack import generate_cases, generate_pack, write_cases

REPO = Path(__file__).resolve().parents[1]
# Figures from /work/shared/engine/DURABLE-NOTES.md (cases/s, median of 3): durable with
# rulesets of <=40 rules, and plain Python closures, on packs generated the same way.
NOTES_DURABLE = {50: 1293, 200: 508, 1000: 61}
NOTES_CLOSURES = {50: 42508, 200: 18193, 1000: 3397}
NOTES_START_MS = 142
SOAK_CASES = 3000
PAIRS = ("csdiag~durable", "csdiag~closures", "engine~durable", "engine~closures",
         "durable~closures")
CHECKED_CASE_FILES = 20  # generated cases also written and read back by csdiag's loader

Sets = tuple[set[str], set[str]]  # (concluded, ruled out)


@dataclass
class PackReport:
    rules: int
    cases: int
    rulesets: int = 0
    durable_rules: int = 0
    setup_s: dict[str, float] = field(default_factory=dict)
    rate: dict[str, float] = field(default_factory=dict)  # engine -> cases/s
    fired: list[int] = field(default_factory=list)
    mismatches: dict[str, int] = field(default_factory=dict)  # pair -> cases
    mismatched_cases: int = 0
    examples: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def to_case(doc: dict[str, Any], vocabulary: Vocabulary) -> Case:
    """A generated case document as csdiag's Case, each value checked as load_case does."""
    facts = {}
    for name, value in doc["facts"].items():
        why = vocabulary[name].check_value(value)
        if why:
            raise ValueError(f"generated case {doc['case']}: {why}")
        facts[name] = KnownFact(value)
    return Case(id=doc["case"], organisation=doc["organisation"], date=doc["date"],
                assessor=doc["assessor"], file="<generated>", facts=facts)


def _timed(run: Callable[[Any], Any], inputs: list[Any]) -> tuple[list[Any], float]:
    """Every input through `run`, and the seconds it took."""
    start = time.perf_counter()
    outputs = [run(item) for item in inputs]
    return outputs, time.perf_counter() - start


def _best_rate(n_cases: int, seconds: list[float]) -> float:
    return n_cases / statistics.median(seconds)


def result_sets(result: CaseResult) -> Sets:
    """What a case report shows: concluded rules, and the diagnoses ruled out (a report
    does not list ruled-out findings)."""
    concluded = {c.rule.id for c in [*result.diagnoses, *result.weak_signals,
                                      *result.findings]}
    return concluded, {c.rule.id for c in result.ruled_out}


def outcome_sets(outcome: RawOutcome) -> Sets:
    """What csdiag's inference engine concluded and ruled out, findings included."""
    return set(outcome.concluded), set(outcome.refuted)


def bench_pack(folder: Path, n_rules: int, n_cases: int, seed: int, attributes: int,
               repeats: int) -> tuple[PackReport, Diagnoser | None, dict[str, Any]]:
    """Generate a pack and its cases, time the three engines, compare their results."""
    report = PackReport(n_rules, n_cases)
    start = time.perf_counter()
    vocabulary_facts = generate_pack(folder, n_rules, attributes, seed)
    report.setup_s["generate"] = time.perf_counter() - start
    start = time.perf_counter()
    kb = load_knowledge_base([folder])
    report.setup_s["load"] = time.perf_counter() - start
    docs = generate_cases(vocabulary_facts, n_cases, seed)
    cases = [to_case(doc, kb.vocabulary) for doc in docs]
    start = time.perf_counter()
    try:
        engine = Engine(kb, CertaintyReasoner(kb))
        diagnoser = Diagnoser(kb, engine)
    except Exception as error:  # durable_rules raises bare Exceptions with a code
        report.errors.append(f"csdiag compile/register: {error!r}")
        return report, None, vocabulary_facts
    report.setup_s["compile+register"] = time.perf_counter() - start
    report.rulesets = len(engine.rulesets)
    report.durable_rules = sum(len(r.definition) for r in engine.rulesets)
    start = time.perf_counter()
    direct = DurableDirect(kb, engine.rulesets)
    report.setup_s["direct register"] = time.perf_counter() - start
    floor = ClosureEngine(kb)

    # The generated cases are real case files: a sample goes through csdiag's loader.
    written = write_cases(folder.parent / f"cases-{n_rules}", docs[:CHECKED_CASE_FILES])
    loaded = Workspace([folder], builtin=False).load_cases(written)
    if [c.values() for c in loaded] != [c.values() for c in cases[:len(loaded)]]:
        report.errors.append("case files read back differ from the generated cases")

    facts = [case.values() for case in cases]
    # Each pass reduces its results to sets as they come: csdiag's case reports are not
    # kept, so the peak memory printed is csdiag's own, not the benchmark's store.
    passes: dict[str, tuple[Callable[[Any], Sets], list[Any]]] = {
        "csdiag": (lambda case: result_sets(diagnoser.diagnose(case)), cases),
        "engine": (lambda given: outcome_sets(engine.run(given)), facts),
        "durable": (direct.run, facts),
        "closures": (floor.run, facts),
    }
    timings: dict[str, list[float]] = {name: [] for name in passes}
    found: dict[str, list[Sets]] = {}
    for _ in range(repeats):
        for name, (run, inputs) in passes.items():
            try:
                found[name], seconds = _timed(run, inputs)
            except Exception as error:  # durable_rules raises bare Exceptions with a code
                report.errors.append(f"{name}: {error!r}")
                return report, diagnoser, vocabulary_facts
            timings[name].append(seconds)
    report.rate = {name: _best_rate(n_cases, seconds) for name, seconds in timings.items()}

    diagnoses = {r.id for r in kb.rules.values() if r.kind == "diagnosis"}

    def shown(sets: Sets) -> Sets:
        """Cut full sets down to what a case report lists (ruled-out diagnoses only)."""
        return sets[0], sets[1] & diagnoses

    counts = dict.fromkeys(PAIRS, 0)
    for number, case in enumerate(cases):
        mismatched = False
        by = {name: sets[number] for name, sets in found.items()}
        report.fired.append(len(by["engine"][0]))
        pairs = {"csdiag~durable": (by["csdiag"], shown(by["durable"])),
                 "csdiag~closures": (by["csdiag"], shown(by["closures"])),
                 "engine~durable": (by["engine"], by["durable"]),
                 "engine~closures": (by["engine"], by["closures"]),
                 "durable~closures": (by["durable"], by["closures"])}
        for pair, (left, right) in pairs.items():
            if left != right:
                counts[pair] += 1
                mismatched = True
                if len(report.examples) < 5:
                    report.examples.append(
                        f"{case.id} {pair}: concluded only left {sorted(left[0] - right[0])}"
                        f" only right {sorted(right[0] - left[0])}; ruled out only left "
                        f"{sorted(left[1] - right[1])} only right {sorted(right[1] - left[1])}")
        report.mismatched_cases += mismatched
    report.mismatches = counts
    return report, diagnoser, vocabulary_facts


def soak(diagnoser: Diagnoser, vocabulary_facts: dict[str, Any], n_cases: int,
         seed: int) -> tuple[int, float]:
    """Diagnose many cases through one Diagnoser: durable_rules breaks past 1,024 live
    sessions per ruleset, so this fails unless every session is deleted."""
    docs = generate_cases(vocabulary_facts, n_cases, seed)
    cases = [to_case(doc, diagnoser.kb.vocabulary) for doc in docs]
    done = 0
    start = time.perf_counter()
    for case in cases:
        diagnoser.diagnose(case)
        done += 1
    return done, time.perf_counter() - start


def startup_ms(runs: int = 5) -> tuple[str, float, list[float]]:
    """Median wall time of the `csdiag diagnose` command, as a user would start it."""
    csdiag = Path(sys.executable).parent / "csdiag"
    northwind = Path("cases/northwind-telecom.yaml")
    if (REPO / northwind).exists():
        args = [str(csdiag), "diagnose", str(northwind)]
    else:
        args = [str(csdiag), "diagnose", "tests/packs/mini/cases/all-known.yaml",
                "--rules", "tests/packs/mini/rules", "--no-builtin-rules"]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(args, cwd=REPO, capture_output=True, text=True, check=False)
        times.append((time.perf_counter() - start) * 1000)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} exited {done.returncode}: {done.stderr}")
    shown = " ".join(["csdiag", *args[1:]])
    return shown, statistics.median(times), times


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _print_report(report: PackReport, repeats: int) -> None:
    r = report.rate
    fired = report.fired
    print(f"\n== {report.rules} rules: {report.rulesets} durable rulesets, "
          f"{report.durable_rules} durable rules; {report.cases} cases "
          f"(timing: median of {repeats})")
    print("   setup: " + ", ".join(f"{k} {v:.2f} s" for k, v in report.setup_s.items()))
    for error in report.errors:
        print(f"   ERROR {error}")
    if not r:
        return
    print(f"   (a) csdiag   Diagnoser.diagnose   {r['csdiag']:>9,.0f} cases/s "
          f"({1000 / r['csdiag']:.2f} ms/case)")
    print(f"       csdiag engine only (no report) {r['engine']:>9,.0f} cases/s "
          f"({1000 / r['engine']:.2f} ms/case)")
    print(f"   (b) durable  direct host          {r['durable']:>9,.0f} cases/s "
          f"({1000 / r['durable']:.2f} ms/case)"
          + (f"   notes: {NOTES_DURABLE[report.rules]:,}" if report.rules in NOTES_DURABLE
             else ""))
    print(f"   (c) closures plain Python         {r['closures']:>9,.0f} cases/s "
          f"({1000 / r['closures']:.3f} ms/case)"
          + (f"   notes: {NOTES_CLOSURES[report.rules]:,}" if report.rules in NOTES_CLOSURES
             else ""))
    layers_ms = 1000 / r["csdiag"] - 1000 / r["durable"]
    report_ms = 1000 / r["csdiag"] - 1000 / r["engine"]
    print(f"   csdiag/durable {r['csdiag'] / r['durable']:.2f}x "
          f"(csdiag's own layers: {layers_ms:+.2f} ms/case, of which building the report "
          f"{report_ms:+.2f});  closures/csdiag {r['closures'] / r['csdiag']:.1f}x")
    print(f"   rules fired per case (diagnosed + findings concluded): mean "
          f"{statistics.mean(fired):.1f}, median {statistics.median(fired):.0f}, "
          f"min {min(fired)}, max {max(fired)}")
    print(f"   mismatches: {report.mismatched_cases} of {report.cases} cases  ("
          + ", ".join(f"{k} {v}" for k, v in report.mismatches.items()) + ")")
    for example in report.examples:
        print(f"     {example}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, help="cases per pack (default: 1,000 for up to "
                        "200 rules, 200 for larger packs; 200 with --quick)")
    parser.add_argument("--packs", default="50,200,1000", help="pack sizes, comma-separated")
    parser.add_argument("--quick", action="store_true", help="200 cases, packs 50,200, a "
                        "shorter soak")
    parser.add_argument("--repeats", type=int, default=3,
                        help="timed passes per engine; the median is shown (1 with --quick)")
    parser.add_argument("--soak", type=int, default=SOAK_CASES,
                        help="cases through one Diagnoser on the smallest pack")
    parser.add_argument("--attributes", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    packs = [50, 200] if args.quick and args.packs == "50,200,1000" else \
        [int(p) for p in args.packs.split(",")]
    repeats = 1 if args.quick else args.repeats
    soak_cases = min(args.soak, 1100) if args.quick else args.soak

    def cases_for(n_rules: int) -> int:
        if args.cases:
            return args.cases
        return 200 if args.quick or n_rules > 200 else 1000

    began = time.perf_counter()
    print(f"csdiag benchmark: packs {packs}, {args.attributes} facts, seed {args.seed}, "
          f"cases per pack {[cases_for(n) for n in packs]}, Python "
          f"{sys.version.split()[0]}")
    smallest: tuple[Diagnoser, dict[str, Any]] | None = None
    total_mismatches = 0
    with tempfile.TemporaryDirectory(prefix="csdiag-bench-") as tmp:
        for n_rules in packs:
            folder = Path(tmp) / f"pack-{n_rules}"
            report, diagnoser, vocabulary = bench_pack(
                folder, n_rules, cases_for(n_rules), args.seed, args.attributes, repeats)
            _print_report(report, repeats)
            total_mismatches += report.mismatched_cases
            print(f"   peak memory so far: {peak_mb():.0f} MB")
            if diagnoser is not None and n_rules == min(packs):
                smallest = (diagnoser, vocabulary)

        if smallest is not None:
            done, seconds = soak(smallest[0], smallest[1], soak_cases, args.seed + 1)
            print(f"\n== soak: {done:,} cases through one Diagnoser ({min(packs)} rules) in "
                  f"{seconds:.1f} s ({done / seconds:,.0f} cases/s), no durable_rules error; "
                  f"{done + 2 * cases_for(min(packs)) * repeats:,} cases through its engine in "
                  "all "
                  "(limit: 1,024 live sessions per ruleset)")

    try:
        command, median_ms, times = startup_ms()
        print(f"\n== start-up: `{command}` median of 5: {median_ms:.0f} ms "
              f"(runs: {', '.join(f'{t:.0f}' for t in times)}; notes: {NOTES_START_MS} ms "
              "for a script, not the CLI)")
    except RuntimeError as error:  # the built-in rules or case may be mid-edit
        print(f"\n== start-up: not measured: {error}")
    print(f"== peak memory (ru_maxrss) of this run: {peak_mb():.0f} MB")
    print(f"== mismatches in all: {total_mismatches}")
    print(f"== total time: {time.perf_counter() - began:.0f} s")
    if total_mismatches:
        sys.exit(1)


if __name__ == "__main__":
    main()
