"""briefs side by side with Typst and a plain-ReportLab floor, on the same donors, in one run.

    pip install -e ".[bench]"                      # the anchors: typst (only for this script)
    python benchmarks/bench_peers.py               # 200 donors, 4 rounds, 2,000 for the rebuild
    python benchmarks/bench_peers.py --n 50 --rounds 1 --large 0   # a quick look

The donors are those of bench_build.py (fictional, fixed seed; 4–6 stories; a 5-year ×
3-channel stacked-bar chart; briefs in the factsheet layout). Each engine builds them with 2
worker processes in a whole fresh process; the engines take turns (the order rotates each
round) and each figure is the median of the rounds. The anchors are in peer_engines.py:
Typst with a comparable template and the same matplotlib chart as SVG, and plain ReportLab
with a native chart in one pass (no tagging, no balancing, no fitting).

Measures: the rate of a 200-brief build, a warm brief (one process, after a first brief, as a
worker renders), one brief from a cold start, the workers' peak memory (the largest child of
the building process), briefs' rebuild with nothing changed (of N and of --large donors), and
the PDFs' mean size. The load average of the machine is printed before and after.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import runpy
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO)]
ENGINES = ("briefs", "typst", "floor")
ENV = {**os.environ, "COLUMNS": "100",
       "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}


# -- what runs inside the fresh processes --------------------------------------------------

def _peer_build(engine: str, project: Path, jobs: int, first: int) -> None:
    """Build the donors' PDFs with a peer engine in `jobs` workers, into output-ENGINE/."""
    import multiprocessing

    import peer_engines

    donors = peer_engines.load_donors(project)[: first or None]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        pool.map(_peer_one, [(engine, project, d) for d in donors], chunksize=1)


def _peer_one(args: tuple) -> None:
    import peer_engines

    engine, project, donor = args
    pdf = (peer_engines.typst_pdf if engine == "typst" else peer_engines.floor_pdf)(donor)
    folder = project / f"output-{engine}"
    folder.mkdir(exist_ok=True)
    (folder / f"{donor.code}.pdf").write_bytes(pdf)


def _warm(engine: str, project: Path, count: int) -> dict[str, float]:
    """Seconds per brief in this process after a first one; RSS after 10 and after `count`."""
    if engine == "briefs":
        import gc

        from briefs.build.batch import plan_builds
        from briefs.build.forked import import_drawing
        from briefs.build.run import render_job

        import_drawing()  # as a worker starts: the imports made, then out of gc's sight
        gc.freeze()
        jobs = plan_builds(project, every_edition=True, skip_current=False,
                           body=False).jobs[:count]  # as `briefs build` plans
        render: Callable = render_job
    else:
        import peer_engines

        jobs = peer_engines.load_donors(project)[:count]
        draw = peer_engines.typst_pdf if engine == "typst" else peer_engines.floor_pdf
        render = draw
    render(jobs[0])
    start, early = time.perf_counter(), 0.0
    for index, job in enumerate(jobs[1:], start=2):
        render(job)
        if index == 10:
            early = _rss_mib()
    return {"per": (time.perf_counter() - start) / (len(jobs) - 1), "early": early,
            "late": _rss_mib()}


def _rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _inside(args: argparse.Namespace) -> None:
    """The fresh process: run one engine, then report the workers' peak memory as JSON."""
    if args.inside == "warm":
        from briefs.build import collector

        # briefs as `briefs build` runs them; the peers with Python's collector as it is
        with collector.paused() if args.engine == "briefs" else contextlib.nullcontext():
            print(json.dumps(_warm(args.engine, Path(args.project), args.count)))
        return
    if args.engine == "briefs":
        sys.argv = ["briefs", "--project", args.project, *args.rest]
        try:
            runpy.run_module("briefs", run_name="__main__")
        except SystemExit as exc:
            if exc.code:
                raise
    else:
        _peer_build(args.engine, Path(args.project), args.jobs, args.first)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"peak": peak}))


# -- the measuring process -----------------------------------------------------------------

def _fresh(*args: str) -> tuple[float, dict]:
    """Seconds of a fresh process running this script `--inside`, and what it printed."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--inside", *args], env=ENV, check=True,
                          stdout=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    return seconds, json.loads(done.stdout.strip().splitlines()[-1])


def _build(engine: str, project: Path, jobs: int | None = 2, first: int = 0,
           *more: str) -> tuple[float, float]:
    """(seconds, workers' peak MiB) of one whole build by an engine in a fresh process.

    `jobs` None: briefs as a user types it, with no --jobs (one brief is then drawn by one
    worker while the command plans it); the peers with one worker process."""
    if engine == "briefs":
        codes = [f"D{i:03d}" for i in range(first)]
        jobs_option = ["--jobs", str(jobs)] if jobs else []
        rest = ["build", *codes, "--force", *jobs_option, "--quiet", *more]
        seconds, out = _fresh("build", "--engine", engine, "--project", str(project),
                              "--", *rest)
    else:
        seconds, out = _fresh("build", "--engine", engine, "--project", str(project),
                              "--jobs", str(jobs or 1), "--first", str(first))
    return seconds, out["peak"]


def _unchanged(project: Path) -> float:
    """Seconds of `briefs build` when every PDF is current (a plain fresh process)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "briefs", "--project", str(project), "build",
                    "--quiet"], env=ENV, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _sizes(project: Path, engine: str) -> tuple[float, int]:
    """Mean KB of the engine's PDFs and the page count of the first."""
    folder = project / ("output" if engine == "briefs" else f"output-{engine}")
    pdfs = sorted(folder.rglob("*.pdf"))
    import pypdfium2

    return (statistics.mean(p.stat().st_size for p in pdfs) / 1000,
            len(pypdfium2.PdfDocument(str(pdfs[0]))))


def measure(project: Path, n: int, rounds: int, count: int) -> dict[str, dict[str, list]]:
    """Every figure of every engine, one list of values per round."""
    got: dict[str, dict[str, list]] = {e: {} for e in ENGINES}
    for round_ in range(rounds):
        order = ENGINES[round_ % 3:] + ENGINES[: round_ % 3]
        for engine in order:
            mine = got[engine]
            seconds, peak = _build(engine, project)
            mine.setdefault("rate", []).append(n / seconds)
            mine.setdefault("peak", []).append(peak)
            mine.setdefault("cold", []).append(_build(engine, project, None, 1)[0])
            mine.setdefault("warm", []).append(
                _fresh("warm", "--engine", engine, "--project", str(project),
                       "--count", str(count))[1]["per"])
            if engine == "briefs":
                _build(engine, project)  # every PDF current again after the cold one
                mine.setdefault("unchanged", []).append(_unchanged(project))
            print(f"round {round_ + 1}: {engine} done", file=sys.stderr)
    return got


def large(root: Path, n: int, rounds: int) -> tuple[float, float]:
    """(worker peak MiB of a build of n, median seconds of a no-change rebuild of n)."""
    from bench_build import make_project

    project = root / f"large-{n}"
    project.mkdir()
    make_project(project, n)
    _, peak = _build("briefs", project)
    return peak, statistics.median(_unchanged(project) for _ in range(rounds))


def table(got: dict, n: int, big: tuple[int, float, float] | None) -> list[tuple[str, ...]]:
    """The issue's table: each engine's median, briefs' ratios and the target."""
    def med(engine: str, key: str) -> float:
        return statistics.median(got[engine][key])

    b, t, f = (lambda key: med("briefs", key)), (lambda key: med("typst", key)), \
        (lambda key: med("floor", key))
    rows = [
        (f"{n} briefs, 2 workers (briefs/s)", f"{b('rate'):.1f}", f"{t('rate'):.1f}",
         f"{f('rate'):.1f}", f"{b('rate') / t('rate'):.2f}× Typst, "
         f"{b('rate') / f('rate'):.2f}× floor", "≥ 1.6× Typst, ≥ 0.85× floor",
         b("rate") >= 1.6 * t("rate") and b("rate") >= 0.85 * f("rate")),
        ("warm, per brief (ms)", f"{b('warm') * 1e3:.0f}", f"{t('warm') * 1e3:.0f}",
         f"{f('warm') * 1e3:.0f}", f"{b('warm') / f('warm'):.2f}× floor", "≤ 1.5× floor",
         b("warm") <= 1.5 * f("warm")),
        ("cold, one brief (s)", f"{b('cold'):.2f}", f"{t('cold'):.2f}", f"{f('cold'):.2f}",
         f"{b('cold') / t('cold'):.2f}× Typst", "≤ 1× Typst", b("cold") <= t("cold")),
        (f"worker peak memory, {n} (MiB)", f"{b('peak'):.0f}", f"{t('peak'):.0f}",
         f"{f('peak'):.0f}", "", "≤ 130", b("peak") <= 130),
        (f"no-change rebuild of {n} (s)", f"{b('unchanged'):.2f}", "", "", "", "≤ 0.5",
         b("unchanged") <= 0.5),
        ("PDF size, mean (KB, pages)", *got["sizes"], "", "≤ 73 KB for 4 pages", None),
    ]
    if big:
        count, peak, seconds = big
        rows += [(f"worker peak memory, {count} (MiB)", f"{peak:.0f}", "", "", "", "≤ 130",
                  peak <= 130),
                 (f"no-change rebuild of {count} (s)", f"{seconds:.2f}", "", "", "",
                  "≤ 3", seconds <= 3)]
    return [(*row[:6], "" if row[6] is None else "yes" if row[6] else "NO") for row in rows]


def _compiled() -> None:
    """briefs' bytecode written beforehand (in its __pycache__ folders, which git ignores), as
    `pip install` writes an installed package's: with PYTHONDONTWRITEBYTECODE set, every
    fresh process would otherwise compile briefs from its source (~60 ms of a cold brief)."""
    import compileall

    compileall.compile_dir(REPO / "briefs", quiet=1)
    compileall.compile_dir(HERE, quiet=1, maxlevels=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="donors (default 200)")
    parser.add_argument("--rounds", type=int, default=4, help="rotated rounds (default 4)")
    parser.add_argument("--large", type=int, default=2000,
                        help="donors for the large no-change rebuild (0: skip)")
    parser.add_argument("--warm-count", type=int, default=40, help="briefs for 'warm'")
    parser.add_argument("--inside", help=argparse.SUPPRESS)
    parser.add_argument("--engine", help=argparse.SUPPRESS)
    parser.add_argument("--project", help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=2, help=argparse.SUPPRESS)
    parser.add_argument("--first", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=40, help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        _inside(args)
        return
    from bench_build import make_project

    _compiled()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        project.mkdir()
        make_project(project, args.n)
        got: dict = measure(project, args.n, args.rounds, args.warm_count)
        got["sizes"] = [f"{s:.0f} ({p})" for s, p in (_sizes(project, e) for e in ENGINES)]
        big = (args.large, *large(Path(tmp), args.large, min(3, args.rounds))) \
            if args.large else None
        rows = table(got, args.n, big)
    head = ("measure", "briefs", "Typst", "floor", "ratio", "target", "met")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    print(f"load average before {load[0]:.2f} {load[1]:.2f}, after "
          f"{os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} on {os.cpu_count()} cores; "
          f"medians of {args.rounds} rounds")
    for row in [head, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


if __name__ == "__main__":
    main()
