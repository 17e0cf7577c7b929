"""Speed and memory of `briefs build` on many synthetic donors; prints a table.

    python benchmarks/bench_build.py            # N = 200
    python benchmarks/bench_build.py --n 50     # a quicker look

Donors are fictional, generated with a fixed seed: per-year figures for 15 years over three
channels (so charts are stacked bars per year), 4 to 6 stories each with a quote. Every figure
comes from the real command run in fresh processes, except "warm per brief", which renders in
one process after a first brief, as a worker does.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SYLLABLES = ["ka", "lo", "mi", "ra", "ten", "vu", "sa", "do", "ri", "na", "bel", "tor", "quin"]
WORDS = [
    "decent", "work", "social", "protection", "skills", "employment", "labour", "standards",
    "safety", "health", "training", "workers", "employers", "dialogue", "youth", "women",
    "rural", "enterprises", "migration", "inspection", "policy", "capacity", "partners",
    "programme", "results", "evidence",
]
EDITION = 2024


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(10, 22))]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))


def make_project(root: Path, n: int, seed: int = 2026) -> list[str]:
    """A project with n fictional donors; returns their codes."""
    rng = random.Random(seed)
    data = root / "data"
    shutil.copytree(REPO / "data", data)
    shutil.rmtree(data / "profiles")
    codes, donors, rows = [], ["code,name,short_name,member_since"], [
        "donor,start_year,end_year,channel,amount_usd,qualifier,note"]
    for index in range(n):
        code = f"D{index:03d}"
        name = f"Republic of {_name(rng)}"
        codes.append(code)
        donors.append(f"{code},{name},{name.split()[-1]},{rng.randint(1919, 2010)}")
        for year in range(EDITION - 15, EDITION):
            for channel in ("assessed", "voluntary_core", "voluntary_earmarked"):
                rows.append(f"{code},{year},{year},{channel},{rng.randint(1, 90) * 100000},,")
        stories = []
        for _ in range(rng.randint(4, 6)):
            quote = (f"> “{_sentence(rng)} {_sentence(rng)}”\n>\n> — {_name(rng)} "
                     f"{_name(rng)}, project participant")
            stories.append(f"## {_sentence(rng)[:-1]}\n\n{_paragraph(rng)}\n\n"
                           f"{_paragraph(rng)}\n\n{quote}\n\n{_paragraph(rng)}")
        countries = ", ".join(rng.sample(["Ghana", "Nepal", "Peru", "Kenya", "Viet Nam",
                                          "Senegal", "Bolivia", "Jordan", "Morocco"], 5))
        profile = (f"---\nedition: {EDITION}\npartner_countries: [{countries}]\n"
                   f"key_partners: [Ministry of Labour, Development Agency]\n---\n\n"
                   f"{_paragraph(rng)}\n\n## At a glance {{.box}}\n\n{_paragraph(rng)}\n\n"
                   f"## Priorities {{.partner-countries}}\n\n{_paragraph(rng)}\n\n"
                   f"## Key partners {{.key-partners}}\n\nThe ILO works with:\n\n"
                   f"## Contributions {{.contributions}}\n\n{_sentence(rng)}\n\n"
                   + "\n\n".join(stories) + "\n")
        folder = data / "profiles" / code
        folder.mkdir(parents=True)
        (folder / f"{EDITION}.md").write_text(profile, encoding="utf-8")
    (data / "donors.csv").write_text("\n".join(donors) + "\n", encoding="utf-8")
    (data / "contributions.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return codes


def briefs(project: Path, *args: str) -> tuple[float, int]:
    """Seconds and peak memory (KiB of the largest process) of one `briefs` run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "briefs", "--project", str(project), *args],
                   check=True, stdout=subprocess.DEVNULL, env={**os.environ, "COLUMNS": "100"})
    seconds = time.perf_counter() - start
    return seconds, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def warm(project: Path, count: int) -> tuple[float, float, float]:
    """Seconds per brief rendered in this process after a first one, and RSS (MiB) after 10
    briefs and after `count` (equal figures show nothing accumulates over a batch)."""
    sys.path.insert(0, str(REPO))
    from briefs.build.batch import plan_builds
    from briefs.build.run import render_job

    plan = plan_builds(project, every_edition=True, skip_current=False)
    jobs = plan.jobs[:count]
    render_job(jobs[0])
    start = time.perf_counter()
    early = 0.0
    for index, job in enumerate(jobs[1:], start=2):
        render_job(job)
        if index == 10:
            early = _rss_mib()
    per = (time.perf_counter() - start) / max(1, len(jobs) - 1)
    return per, early, _rss_mib()


def _rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="donors (default 200)")
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        codes = make_project(project, args.n)
        help_runs = [_timed([sys.executable, "-m", "briefs", "--help"]) for _ in range(5)]
        rows.append(("briefs --help", f"{statistics.median(help_runs):.3f} s", "≤ 0.15 s"))
        error_runs = [_timed([sys.executable, "-m", "briefs", "build", "--jobs", "x"],
                             ok=False) for _ in range(5)]
        rows.append(("option error", f"{statistics.median(error_runs):.3f} s", "≤ 0.15 s"))
        cold = [briefs(project, "build", codes[0], "--force", "--jobs", "1", "--quiet")[0]
                for _ in range(3)]
        rows.append(("cold single brief (fresh process)", f"{statistics.median(cold):.2f} s",
                     "≤ 1.2 s"))
        per, first, last = warm(project, min(80, args.n))
        rows.append(("warm, per brief (one process)", f"{per * 1000:.0f} ms", ""))
        for jobs in ("1", "2"):
            seconds, peak = briefs(project, "build", "--force", "--jobs", jobs, "--quiet")
            rows.append((f"build {args.n}, --jobs {jobs}",
                         f"{seconds:.1f} s = {args.n / seconds:.1f} briefs/s",
                         "≥ 30 briefs/s" if jobs == "2" else ""))
            rows.append((f"  peak memory of a process, --jobs {jobs}", f"{peak / 1024:.0f} MiB",
                         "≤ 150 MiB"))
        seconds, _ = briefs(project, "build", "--quiet")
        rows.append((f"no-change rebuild of {args.n}", f"{seconds:.2f} s", "≤ 2 s"))
        rows.append((f"memory after 10 and {min(80, args.n)} warm briefs",
                     f"{first:.0f} → {last:.0f} MiB", "flat"))
        sizes = [p.stat().st_size for p in (project / "output").rglob("*.pdf")]
        pages = _pages(next((project / "output").rglob("*.pdf")))
        rows.append(("PDF size (mean, max)", f"{statistics.mean(sizes) / 1024:.0f} KB, "
                     f"{max(sizes) / 1024:.0f} KB ({pages} pages)", "≤ 80 KB for 4 pages"))
    width = max(len(r[0]) for r in rows)
    value = max(len(r[1]) for r in rows)
    print(f"{'measure':<{width}}  {'result':<{value}}  target")
    print(f"{'-' * width}  {'-' * value}  {'-' * 14}")
    for name, result, target in rows:
        print(f"{name:<{width}}  {result:<{value}}  {target}")


def _timed(command: list[str], ok: bool = True) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if ok and done.returncode:
        raise RuntimeError(f"{command} failed")
    return time.perf_counter() - start


def _pages(pdf: Path) -> int:
    return pdf.read_bytes().count(b"/Type /Page\n")


if __name__ == "__main__":
    main()
