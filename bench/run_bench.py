"""Benchmark csdiag against CLIPS, durable_rules alone and plain Python closures, and
measure it against the targets of issue 14.

    .venv/bin/python bench/run_bench.py            # packs of 50, 200, 1,000 rules (minutes)
    .venv/bin/python bench/run_bench.py --quick    # packs of 50, 200; 100 cases; one round
    .venv/bin/python bench/run_bench.py --full     # also 100,000 cases through the CLI

For each generated pack, the same cases go through, in interleaved timed rounds:
  floor     every rule as a three-valued Python closure (closures.py)
  CLIPS     every rule as CLIPS defrules, through clipspy (clips_engine.py)
  durable   csdiag's compiled rulesets on a bare durable host (durable_direct.py)
  csdiag    the library call on cases in memory, each report written as JSON without
            explanations, as `csdiag diagnose --format json --no-explanations` writes it
  +explain  the same with every explanation
and every case must be concluded and ruled out alike by all of them (csdiag's report
lists ruled-out diagnoses only, so it is compared on those). Then the targets: the CLI
on folders of case files, start-up CPU time, compiling a 1,000-rule pack, and (with
--full) 100,000 cases in one run. A missed target is printed, never fatal; the run
exits 1 only if two engines disagree on a case.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import clips_engine
from closures import ClosureEngine
from csdiag import Workspace, api
from csdiag.features.explain import Explanation
from csdiag.formats.case import Case, KnownFact
from csdiag.formats.vocabulary import Vocabulary
from csdiag.reason.diagnosis import DEFAULT_THRESHOLD, CaseResult
from csdiag.render.stream import JsonStream
from durable_direct import DurableDirect

from generate_pack import generate_cases, generate_pack, write_cases

REPO = Path(__file__).resolve().parents[1]
CSDIAG = Path(sys.executable).parent / "csdiag"
NORTHWIND = Path("cases/northwind-telecom.yaml")
ENGINES = ("floor", "CLIPS", "durable", "csdiag", "+explain")
COMPILE_PACK = 1000  # the pack the load-and-compile target is about
STARTUP_RUNS = 5

Sets = tuple[set[str], set[str]]  # (concluded, ruled out)


@dataclass
class PackReport:
    rules: int
    cases: int
    rounds: int
    rulesets: int = 0
    defrules: int = 0
    setup_s: dict[str, float] = field(default_factory=dict)
    seconds: dict[str, list[float]] = field(default_factory=dict)  # engine -> per round
    fired: list[int] = field(default_factory=list)
    mismatches: dict[str, int] = field(default_factory=dict)  # engine -> cases
    examples: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def rate(self, engine: str) -> float | None:
        """Cases/s, median of the rounds; None when the engine did not run."""
        times = self.seconds.get(engine)
        return self.cases / statistics.median(times) if times else None

    @property
    def mismatched(self) -> int:
        return sum(self.mismatches.values())


@dataclass
class Target:
    name: str
    measured: str
    met: bool | None  # None: not measured in this run


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


def result_sets(result: CaseResult) -> Sets:
    """What a case report shows: concluded rules, and the diagnoses ruled out (a report
    does not list ruled-out findings)."""
    concluded = {c.rule.id for c in [*result.diagnoses, *result.weak_signals,
                                      *result.findings]}
    return concluded, {c.rule.id for c in result.ruled_out}


def diagnose_in_memory(workspace: Workspace, cases: list[Case], explanations: bool
                       ) -> Iterator[tuple[CaseResult, dict[str, Explanation] | None]]:
    """csdiag's library call on cases already in memory: Workspace.diagnose_many, the
    batch path `diagnose_each` (and so the CLI) runs chunk by chunk."""
    chunk = api.CASES_AT_ONCE
    for start in range(0, len(cases), chunk):
        yield from workspace.diagnose_many(cases[start:start + chunk], DEFAULT_THRESHOLD,
                                           explanations)


def library_call_name() -> str:
    return "Workspace.diagnose_many (diagnose_each's batch path), cases in memory"


def csdiag_pass(workspace: Workspace, explanations: bool
                ) -> Callable[[list[Case]], list[Sets]]:
    def run(cases: list[Case]) -> list[Sets]:
        # The JSON is written as the CLI writes it, then dropped: the benchmark keeps only
        # the sets, so memory is csdiag's own.
        stream = JsonStream()
        stream.start()
        found = []
        for result, explained in diagnose_in_memory(workspace, cases, explanations):
            stream.case(result, explained)
            found.append(result_sets(result))
        stream.end()
        return found

    return run


def bench_pack(folder: Path, n_rules: int, n_cases: int, seed: int, attributes: int,
               rounds: int) -> tuple[PackReport, dict[str, Any]]:
    """Generate a pack and its cases, time every engine in interleaved rounds and check
    that they agree case by case. Returns the report and what the CLI targets reuse."""
    report = PackReport(n_rules, n_cases, rounds)
    start = time.perf_counter()
    vocabulary_facts = generate_pack(folder, n_rules, attributes, seed)
    report.setup_s["generate"] = time.perf_counter() - start
    docs = generate_cases(vocabulary_facts, n_cases, seed)
    context: dict[str, Any] = {"pack": folder, "docs": docs}
    workspace = Workspace([folder], builtin=False)
    start = time.perf_counter()
    try:
        kb = workspace.kb
        report.setup_s["load"] = time.perf_counter() - start
        start = time.perf_counter()
        diagnoser = workspace.diagnoser
        report.setup_s["compile+register"] = time.perf_counter() - start
    except Exception as error:  # durable_rules raises bare Exceptions with a code
        report.errors.append(f"csdiag load/compile: {error!r}")
        return report, context
    cases = [to_case(doc, kb.vocabulary) for doc in docs]
    facts = [case.values() for case in cases]
    engine = diagnoser.runner
    rulesets = getattr(engine, "rulesets", [])
    report.rulesets = len(rulesets)
    floor = ClosureEngine(kb)
    passes: dict[str, tuple[Callable[[Any], list[Sets]], list[Any]]] = {
        "floor": (lambda given: [floor.run(f) for f in given], facts)}
    if clips_engine.available():
        start = time.perf_counter()
        clips = clips_engine.ClipsEngine(kb)
        report.setup_s["CLIPS build"] = time.perf_counter() - start
        report.defrules = clips.defrules
        passes["CLIPS"] = (lambda given: [clips.run(f) for f in given], facts)
    else:
        report.notes.append(clips_engine.INSTALL_HINT)
    start = time.perf_counter()
    direct = DurableDirect(kb, rulesets)
    report.setup_s["durable register"] = time.perf_counter() - start
    passes["durable"] = (direct.run_many, facts)
    passes["csdiag"] = (csdiag_pass(workspace, explanations=False), cases)
    passes["+explain"] = (csdiag_pass(workspace, explanations=True), cases)

    diagnoses = {r.id for r in kb.rules.values() if r.kind == "diagnosis"}

    def shown(sets: Sets) -> Sets:
        """Cut full sets down to what a case report lists (ruled-out diagnoses only)."""
        return sets[0], sets[1] & diagnoses

    wrong: dict[str, set[int]] = {name: set() for name in passes if name != "floor"}
    expected: list[Sets] = []
    for _ in range(rounds):
        for name, (run, inputs) in passes.items():
            start = time.perf_counter()
            try:
                found = run(inputs)
            except Exception as error:  # durable_rules raises bare Exceptions with a code
                report.errors.append(f"{name}: {error!r}")
                return report, context
            report.seconds.setdefault(name, []).append(time.perf_counter() - start)
            if name == "floor":
                expected = found
                continue
            full = name in ("CLIPS", "durable")  # these report ruled-out findings too
            for number, (want, got) in enumerate(zip(expected, found, strict=True)):
                want = want if full else shown(want)
                if want != got and number not in wrong[name]:
                    wrong[name].add(number)
                    if len(report.examples) < 5:
                        report.examples.append(_difference(cases[number].id, name, want, got))
    report.fired = [len(concluded) for concluded, _ in expected]
    report.mismatches = {name: len(numbers) for name, numbers in wrong.items()}
    context["expected"] = {case.id: shown(sets) for case, sets in zip(cases, expected,
                                                                         strict=True)}
    workspace.close()
    return report, context


def _difference(case_id: str, engine: str, want: Sets, got: Sets) -> str:
    return (f"{case_id} {engine} vs floor: concluded only by {engine} "
            f"{sorted(got[0] - want[0])}, only by floor {sorted(want[0] - got[0])}; ruled "
            f"out only by {engine} {sorted(got[1] - want[1])}, only by floor "
            f"{sorted(want[1] - got[1])}")


def print_pack(report: PackReport) -> None:
    print(f"\n== {report.rules} rules, {report.cases} cases: {report.rulesets} durable "
          f"rulesets, {report.defrules or '-'} CLIPS defrules; setup: "
          + ", ".join(f"{k} {v:.2f} s" for k, v in report.setup_s.items()), flush=True)
    for note in report.notes:
        print(f"   {note}")
    for error in report.errors:
        print(f"   ERROR {error}")
    for name in ENGINES:
        rate = report.rate(name)
        if rate is not None:
            print(f"   {name:<9} {rate:>9,.0f} cases/s  ({1000 / rate:7.3f} ms/case; rounds: "
                  + ", ".join(f"{s:.2f} s" for s in report.seconds[name]) + ")")
    if report.fired:
        fired = report.fired
        print(f"   rules concluded per case: mean {statistics.mean(fired):.1f}, "
              f"min {min(fired)}, max {max(fired)}")
    print("   disagreements with the floor (cases): "
          + ", ".join(f"{k} {v}" for k, v in report.mismatches.items()))
    for example in report.examples:
        print(f"     {example}")


def _cell(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def print_table(reports: list[PackReport]) -> None:
    rounds = max(r.rounds for r in reports)
    print(f"\n== throughput, cases/s (median of {rounds} interleaved round"
          f"{'s' if rounds > 1 else ''})\n")
    print("| pack | cases | floor | CLIPS | durable alone | csdiag | csdiag + explanations "
          "| csdiag / CLIPS | csdiag / floor |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in reports:
        csdiag, clips, floor = r.rate("csdiag"), r.rate("CLIPS"), r.rate("floor")
        print(f"| {r.rules:,} rules | {r.cases:,} | {_cell(floor)} | {_cell(clips)} | "
              f"{_cell(r.rate('durable'))} | {_cell(csdiag)} | {_cell(r.rate('+explain'))} | "
              f"{_cell(csdiag / clips if csdiag and clips else None, 2)} | "
              f"{_cell(csdiag / floor if csdiag and floor else None, 3)} |")


# --- the CLI ----------------------------------------------------------------------------


def cli_env(cache: Path) -> dict[str, str]:
    """The environment of a CLI run: its own cache folder (XDG_CACHE_HOME, where csdiag
    keeps what it caches), so 'cold' and 'warm' mean what they say, and no user
    rule folders."""
    # PYTHONDONTWRITEBYTECODE (set on some machines, this one included) would make every
    # run compile csdiag's modules again (about 90 ms); an installed csdiag has its .pyc.
    env = {k: v for k, v in os.environ.items()
           if k not in (api.RULES_VARIABLE, "PYTHONDONTWRITEBYTECODE")}
    env["XDG_CACHE_HOME"] = str(cache)
    return env


LOAD_AND_COMPILE = """
import sys, time
import csdiag.engine.host as host
from csdiag import Workspace
registering = [0.0]
register = host.EngineHost.register
def timed(self, rulesets):
    start = time.process_time()
    register(self, rulesets)
    registering[0] += time.process_time() - start
host.EngineHost.register = timed
start = time.process_time()
Workspace([sys.argv[1]], builtin=False).diagnoser  # read, check, compile and register
print(time.process_time() - start - registering[0], registering[0])
"""


def load_and_compile_s(pack: Path, cache: Path) -> tuple[float, float]:
    """CPU seconds a fresh process takes to read, check and compile a pack (imports
    excluded), and to register its rulesets with durable_rules, with `cache` as its
    cache folder."""
    done = subprocess.run([sys.executable, "-c", LOAD_AND_COMPILE, str(pack)], cwd=REPO,
                          env=cli_env(cache), capture_output=True, text=True, check=True)
    load, engine = done.stdout.strip().splitlines()[-1].split()
    return float(load), float(engine)


@dataclass
class Run:
    cpu_s: float  # user + sys of the process and the children it waited for
    wall_s: float
    stdout: str


def run_cli(args: Sequence[str], cache: Path, keep_output: bool = False) -> Run:
    """One `csdiag ...` process from the repository root; raises if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([str(CSDIAG), *args], cwd=REPO, env=cli_env(cache), text=True,
                          stdout=subprocess.PIPE if keep_output else subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"csdiag {' '.join(args)} exited {done.returncode}: "
                           f"{done.stderr.strip()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(cpu, wall, done.stdout or "")


def cold_and_warm(args: Sequence[str], runs: int, tmp: Path) -> tuple[list[Run], list[Run]]:
    """Each round: a first run on an empty cache folder (cold), then a second (warm)."""
    cold, warm = [], []
    for number in range(runs):
        cache = Path(tempfile.mkdtemp(prefix=f"cache-{number}-", dir=tmp))
        cold.append(run_cli(args, cache))
        warm.append(run_cli(args, cache))
    return cold, warm


def ms(runs: Iterable[Run]) -> float:
    return statistics.median(r.cpu_s for r in runs) * 1000


def jobs_option() -> str | None:
    """What `csdiag diagnose --help` says --jobs defaults to; None when it has no --jobs."""
    done = subprocess.run([str(CSDIAG), "diagnose", "--help"], capture_output=True,
                          text=True, check=False)
    found = re.search(r"--jobs.*?(?=\n  -|\Z)", done.stdout, re.DOTALL)
    if found is None:
        return None
    text = " ".join(found.group(0).split())
    default = re.search(r"[\[(]default: ([^\])]+)[\])]", text)
    return default.group(1) if default else "not stated"


def cli_sets(stdout: str) -> dict[str, Sets]:
    """The concluded and ruled-out rules of each case in a JSON report."""
    found = {}
    for entry in json.loads(stdout)["cases"]:
        concluded = {c["id"] for group in ("diagnoses", "weak_signals", "findings")
                     for c in entry[group]}
        found[entry["case"]["id"]] = (concluded, {c["id"] for c in entry["ruled_out"]})
    return found


@dataclass
class CliBatch:
    rules: int
    cases: int
    one_s: float  # wall time of one case (start-up, load, compile)
    all_s: float  # wall time of every case
    mismatched: int

    @property
    def rate(self) -> float:
        """Cases/s once started: start-up and compile (the one-case run) left out, as
        the engines' figures leave out their set-up."""
        return (self.cases - 1) / max(self.all_s - self.one_s, 1e-9)

    @property
    def overall(self) -> float:
        return self.cases / self.all_s


def cli_batch(context: dict[str, Any], rules: int, tmp: Path) -> CliBatch:
    """`csdiag diagnose FOLDER --format json --no-explanations` over the pack's cases,
    --jobs at its default, each case's result checked against the floor's."""
    folder = tmp / f"cli-cases-{rules}"
    written = write_cases(folder, context["docs"])
    cache = Path(tempfile.mkdtemp(prefix="cache-batch-", dir=tmp))
    base = ["diagnose", "--format", "json", "--no-explanations", "--rules",
            str(context["pack"]), "--no-builtin-rules"]
    run_cli([*base, str(written[0])], cache)  # warms the pack cache, if csdiag keeps one
    one = run_cli([*base, str(written[0])], cache)
    every = run_cli([*base, str(folder)], cache, keep_output=True)
    found = cli_sets(every.stdout)
    expected = context["expected"]
    mismatched = sum(found.get(case_id) != sets for case_id, sets in expected.items())
    return CliBatch(rules, len(written), one.wall_s, every.wall_s, mismatched)


# --- targets ----------------------------------------------------------------------------


def throughput_targets(reports: list[PackReport], batches: dict[int, CliBatch],
                       jobs: str | None) -> list[Target]:
    targets = []
    how = f"--jobs at its default: {jobs}" if jobs else "no --jobs option yet"
    for r in reports:
        clips, batch = r.rate("CLIPS"), batches.get(r.rules)
        name = f"CLI batch diagnose, JSON without explanations, {r.rules:,} rules >= 1.0x CLIPS"
        if batch is None or clips is None:
            why = clips_engine.INSTALL_HINT if clips is None else "CLI run failed"
            targets.append(Target(name, f"not measured: {why}", None))
            continue
        targets.append(Target(
            name, f"{batch.rate:,.0f} cases/s once started = {batch.rate / clips:.2f}x CLIPS "
            f"({clips:,.0f}); {batch.overall:,.0f} cases/s with start-up and compile "
            f"({batch.cases:,} cases in {batch.all_s:.1f} s, one in {batch.one_s:.1f} s; "
            f"{how})", batch.rate >= clips))
    for r in reports:
        plain, explained = r.rate("csdiag"), r.rate("+explain")
        name = f"explanations cost <= 2x without, {r.rules:,} rules"
        if plain is None or explained is None:
            targets.append(Target(name, "not measured", None))
            continue
        cost = plain / explained
        targets.append(Target(name, f"{cost:.2f}x ({explained:,.0f} vs {plain:,.0f} cases/s, "
                                    "library call)", cost <= 2.0))
    return targets


def startup_targets(tmp: Path, compile_pack: Path, compile_case: Path, runs: int,
                    compile_runs: int) -> list[Target]:
    """CPU time (user + sys) of whole CLI processes, median of `runs`."""
    targets = []
    if (REPO / NORTHWIND).exists():
        cold, warm = cold_and_warm(["diagnose", str(NORTHWIND)], runs, tmp)
        targets.append(Target(f"`csdiag diagnose {NORTHWIND}` <= 150 ms CPU, cold",
                              f"{ms(cold):.0f} ms (median of {runs}, empty cache)",
                              ms(cold) <= 150))
        targets.append(Target(f"`csdiag diagnose {NORTHWIND}` <= 100 ms CPU, warm cache",
                              f"{ms(warm):.0f} ms (median of {runs}, second run)",
                              ms(warm) <= 100))
    else:
        targets.append(Target(f"`csdiag diagnose {NORTHWIND}`", "not measured: no such file",
                              None))
    cold, warm = cold_and_warm(["facts"], runs, tmp)
    targets.append(Target("`csdiag facts` <= 100 ms CPU",
                          f"{ms(cold):.0f} ms cold, {ms(warm):.0f} ms warm (median of {runs})",
                          ms(cold) <= 100))
    cold, warm = [], []
    for number in range(compile_runs):
        cache = tmp / f"compile-cache-{number}"
        cold.append(load_and_compile_s(compile_pack, cache))
        warm.append(load_and_compile_s(compile_pack, cache))
    cold_s, warm_s = [load for load, _ in cold], [load for load, _ in warm]
    cold_engine = statistics.median(engine for _, engine in cold)
    warm_engine = statistics.median(engine for _, engine in warm)
    args = ["diagnose", str(compile_case), "--rules", str(compile_pack), "--no-builtin-rules",
            "--format", "json", "--no-explanations"]
    whole_cold, whole_warm = cold_and_warm(args, compile_runs, tmp)
    what = f"CPU in a fresh process, imports excluded, median of {compile_runs}"
    targets.append(Target(f"{COMPILE_PACK:,}-rule pack load and compile < 1 s, cold",
                          f"{statistics.median(cold_s):.2f} s ({what}; registering it with "
                          f"durable_rules: {cold_engine:.2f} s more; a whole "
                          f"`csdiag diagnose` of one case against it: "
                          f"{ms(whole_cold) / 1000:.2f} s)",
                          statistics.median(cold_s) < 1))
    targets.append(Target(f"{COMPILE_PACK:,}-rule pack load and compile < 0.2 s, cached",
                          f"{statistics.median(warm_s):.2f} s (the same, second run; "
                          f"registering: {warm_engine:.2f} s more; whole "
                          f"diagnose: {ms(whole_warm) / 1000:.2f} s)",
                          statistics.median(warm_s) < 0.2))
    return targets


def print_targets(targets: list[Target]) -> None:
    print("\n== targets (issue 14)")
    for target in targets:
        mark = {True: "met   ", False: "MISSED", None: "  -   "}[target.met]
        print(f"   [{mark}] {target.name}: {target.measured}")
    measured = [t for t in targets if t.met is not None]
    print(f"\ntargets: {sum(bool(t.met) for t in measured)} of {len(measured)} met"
          + (f" ({len(targets) - len(measured)} not measured)"
             if len(measured) < len(targets) else ""))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, help="cases per pack (default: 500 for up to "
                        "200 rules, 100 for larger packs; 100 with --quick)")
    parser.add_argument("--packs", help="pack sizes, comma-separated (default 50,200,1000; "
                        "50,200 with --quick)")
    parser.add_argument("--quick", action="store_true",
                        help="packs of 50 and 200 rules, 100 cases, one round, one run of "
                        "each start-up (under a minute)")
    parser.add_argument("--full", action="store_true",
                        help="also 1,000 and 100,000 cases in one `--format jsonl` run each "
                        "(bench/batch.py; about 20 minutes more)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="interleaved timed rounds; the median is shown (1 with --quick)")
    parser.add_argument("--attributes", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    packs = [int(p) for p in (args.packs or ("50,200" if args.quick else "50,200,1000"))
             .split(",")]
    rounds = 1 if args.quick else args.rounds
    startup_runs = 1 if args.quick else STARTUP_RUNS
    compile_runs = 1 if args.quick else 3

    def cases_for(n_rules: int) -> int:
        if args.cases:
            return args.cases
        if args.quick:
            return 100
        return 100 if n_rules > 200 else 500

    began = time.perf_counter()
    print(f"csdiag benchmark: packs {packs}, {args.attributes} facts, seed {args.seed}, "
          f"cases per pack {[cases_for(n) for n in packs]}, Python "
          f"{sys.version.split()[0]}, {os.cpu_count()} cores, load average "
          + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    if not clips_engine.available():
        print(clips_engine.INSTALL_HINT)
    reports: list[PackReport] = []
    batches: dict[int, CliBatch] = {}
    targets: list[Target] = []
    jobs = jobs_option()
    with tempfile.TemporaryDirectory(prefix="csdiag-bench-") as temporary:
        tmp = Path(temporary)
        contexts = {}
        for n_rules in packs:
            report, context = bench_pack(tmp / f"pack-{n_rules}", n_rules, cases_for(n_rules),
                                         args.seed, args.attributes, rounds)
            if n_rules == packs[0]:
                print(f"csdiag library call: {library_call_name()}")
            print_pack(report)
            reports.append(report)
            contexts[n_rules] = context
        print_table(reports)
        print(f"\npeak memory of the benchmark process (ru_maxrss): {peak_mb():.0f} MB")

        print(f"\n== the CLI (`csdiag diagnose FOLDER --format json --no-explanations`, "
              f"{'--jobs at its default: ' + jobs if jobs else 'no --jobs option yet'})",
              flush=True)
        for n_rules, context in contexts.items():
            if "expected" not in context:
                continue
            try:
                batch = cli_batch(context, n_rules, tmp)
            except RuntimeError as error:
                print(f"   {n_rules:,} rules: {error}")
                continue
            batches[n_rules] = batch
            print(f"   {n_rules:,} rules: {batch.cases:,} cases in {batch.all_s:.1f} s, one "
                  f"case in {batch.one_s:.1f} s: {batch.rate:,.0f} cases/s once started, "
                  f"{batch.overall:,.0f} overall; disagreements with the floor: "
                  f"{batch.mismatched}", flush=True)
        targets += throughput_targets(reports, batches, jobs)

        compile_pack = tmp / f"pack-{COMPILE_PACK}"
        if COMPILE_PACK in contexts:
            docs = contexts[COMPILE_PACK]["docs"][:1]
        else:  # --quick: a pack of its own, for the compile target only
            vocabulary = generate_pack(compile_pack, COMPILE_PACK, args.attributes, args.seed)
            docs = generate_cases(vocabulary, 1, args.seed)
        (compile_case,) = write_cases(tmp / "compile-case", docs)
        try:
            targets += startup_targets(tmp, compile_pack, compile_case, startup_runs,
                                       compile_runs)
        except RuntimeError as error:  # the built-in rules or case may be mid-edit
            targets.append(Target("start-up and compile", f"not measured: {error}", None))

    if args.full:
        import batch as large_batches  # the long run: only here

        print("\n== 100,000 cases in one run (bench/batch.py)", flush=True)
        rows = large_batches.run_sizes([1000, 100_000])
        targets.append(Target(*large_batches.target(rows)))
    print_targets(targets)
    mismatches = sum(r.mismatched for r in reports) + sum(
        b.mismatched for b in batches.values())
    errors = sum(len(r.errors) for r in reports)
    print(f"disagreements in all: {mismatches} cases; engine errors: {errors}")
    print(f"total time: {time.perf_counter() - began:.0f} s")
    if mismatches or errors:  # an engine that failed was not checked either
        sys.exit(1)


if __name__ == "__main__":
    main()
