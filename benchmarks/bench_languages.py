"""What a French or Spanish brief costs against the English one of the same edition.

    python benchmarks/bench_languages.py              # 15 rounds, the sample's KOR 2023
    python benchmarks/bench_languages.py --rounds 25 --base main

Each round renders KOR 2023 in English, French and Spanish, in a rotating order, in one
process after a warm-up, and loads each brief as `build` does (its profile and the tables'
words in its language; each layout once per run; each brief draws its own chart) as well as
drawing it. With `--base REV`, the English brief of that revision (extracted with `git
archive`) is timed the same way, in its own process, to show what Babel and the languages
machinery cost an English brief. Prints the best and the median time of each, in CPU seconds
of the process (a shared machine's other load barely counts), the best being the steadier
measure. The target is at most 5 % slower per brief than English.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

TIMER = """
import json, sys, time
from pathlib import Path
import briefs
assert briefs.__file__.startswith(sys.argv[3]), briefs.__file__  # the tree asked for
from briefs.contract.project import load_brief, load_project
from briefs.layout.loader import load_layout
from briefs.render.document import render_pdf
from briefs.render.charts import chart_drawing
project = load_project(Path(sys.argv[1]))
languages = [l for l in sys.argv[4].split(",") if l]
layouts = {}
def once(language):
    kwargs = {"language": language} if language != "-" else {}
    brief, name, _ = load_brief(project, "KOR", 2023, **kwargs)
    if name not in layouts:  # a build loads each layout once per run
        layouts[name] = load_layout(name, project.root)
    chart_drawing.cache_clear()  # each brief of a build draws its own chart
    return len(render_pdf(brief, layouts[name]).pdf)
for language in languages:
    once(language)  # warm-up: fonts, matplotlib, Babel's data
times = {language: [] for language in languages}
for turn in range(int(sys.argv[2])):
    for language in languages[turn % len(languages):] + languages[:turn % len(languages)]:
        start = time.process_time()
        once(language)
        times[language].append(time.process_time() - start)
print(json.dumps(times))
"""


def measure(tree: Path, project: Path, rounds: int, languages: list[str]) -> dict:
    done = subprocess.run([sys.executable, "-c", TIMER, str(project), str(rounds), str(tree),
                           ",".join(languages)], capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(tree)}, cwd=tree)
    if done.returncode:
        raise SystemExit(f"rendering with {tree} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def extract(revision: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision], check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--base", help="also time the English brief of this revision")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(REPO / "data", project / "data")
        times = measure(REPO, project, args.rounds, ["en", "fr", "es"])
        rows = [("this tree", lang, t) for lang, t in times.items()]
        if args.base:
            base = extract(args.base, Path(tmp) / "base")
            old = Path(tmp) / "old"
            shutil.copytree(base / "data", old / "data")
            base_times = measure(base, old, args.rounds, ["-"])
            rows.insert(0, (args.base, "en", base_times["-"]))
    english = next(t for tree, lang, t in rows if tree == "this tree" and lang == "en")
    print(f"{'tree':<10} {'brief':<13} {'best s':>7} {'vs English':>11} {'median s':>9} "
          f"{'vs English':>11}")
    for tree, lang, seconds in rows:
        best, middle = min(seconds), statistics.median(seconds)
        print(f"{tree:<10} {'KOR 2023 ' + lang:<13} {best:>7.3f} "
              f"{100 * (best / min(english) - 1):>+10.1f}% {middle:>9.3f} "
              f"{100 * (middle / statistics.median(english) - 1):>+10.1f}%")


if __name__ == "__main__":
    main()
