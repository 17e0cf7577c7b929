"""What tagging (PDF/UA-1 and PDF/A-1b) costs: render time and size, base against this tree.

    python benchmarks/bench_tagging.py                 # base = main, 20 synthetic donors
    python benchmarks/bench_tagging.py --base HEAD~5 --n 40

The base revision is extracted with `git archive` into a temporary folder and both trees
render the same briefs (N synthetic donors from bench_build.py: box, lists, quotes, chart)
in a fresh process per round, the two trees alternating, after one warm-up brief. Prints a
table; the target is at most 20 % slower per brief.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_build import make_project  # noqa: E402

TIMER = """
import json, sys, time
import briefs
assert briefs.__file__.startswith(sys.argv[3]), briefs.__file__  # the tree asked for
from briefs.build.batch import plan_builds
try:
    from briefs.render.document import render_pdf
except ImportError:  # a revision from before the render stage was split
    from briefs.render.compose import render_pdf
plan = plan_builds(__import__("pathlib").Path(sys.argv[1]), every_edition=True,
                   skip_current=False)
jobs = plan.jobs
render_pdf(jobs[0].brief, jobs[0].layout)  # warm-up: fonts, matplotlib
rounds, sizes = [], {}
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    for job in jobs:
        sizes[job.key] = len(render_pdf(job.brief, job.layout).pdf)
    rounds.append((time.perf_counter() - start) / len(jobs))
print(json.dumps({"per_brief": rounds, "sizes": sizes}))
"""


def measure(tree: Path, project: Path, rounds: int) -> dict:
    done = subprocess.run([sys.executable, "-c", TIMER, str(project), str(rounds), str(tree)],
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(tree)}, cwd=tree)
    if done.returncode:
        raise SystemExit(f"rendering with {tree} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def extract(revision: str, dest: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision],
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="main", help="revision to compare with (main)")
    parser.add_argument("--n", type=int, default=20, help="synthetic donors (default 20)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        make_project(project, args.n)
        trees = {"base": extract(args.base, Path(tmp) / "base"), "this": REPO}
        runs: dict[str, list[dict]] = {"base": [], "this": []}
        for _ in range(args.rounds):  # alternate, so a busy moment hits both alike
            for name, tree in trees.items():
                runs[name].append(measure(tree, project, 1))
        base, this = ({"per_brief": [r["per_brief"][0] for r in runs[n]],
                       "sizes": runs[n][0]["sizes"]} for n in ("base", "this"))
    rows = []
    b, t = statistics.median(base["per_brief"]), statistics.median(this["per_brief"])
    rows.append(("render, per brief (median of rounds)", f"{b * 1000:.0f} ms",
                 f"{t * 1000:.0f} ms", f"{(t / b - 1) * 100:+.0f} %", "≤ +20 %"))
    bs, ts = statistics.mean(base["sizes"].values()), statistics.mean(this["sizes"].values())
    rows.append(("PDF size, mean", f"{bs / 1024:.0f} KB", f"{ts / 1024:.0f} KB",
                 f"{(ts / bs - 1) * 100:+.0f} %", ""))
    head = ("measure", f"base ({args.base})", "this tree", "change", "target")
    widths = [max(len(str(r[i])) for r in (head, *rows)) for i in range(5)]
    for row in (head, tuple("-" * w for w in widths), *rows):
        print("  ".join(f"{c:<{w}}" for c, w in zip(row, widths, strict=True)).rstrip())
    print(f"({args.n} synthetic donors, {args.rounds} rounds)")


if __name__ == "__main__":
    main()
