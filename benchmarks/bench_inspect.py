"""What the page inspection costs: each gallery brief laid out with and without it.

    python benchmarks/bench_inspect.py             # 3 rounds over the gallery
    python benchmarks/bench_inspect.py --rounds 5

The gallery of hard cases (tests/gallery.py) is written to a temporary folder and loaded
once; each brief is then rendered in this process as a build worker renders it, with the
chart cache cleared before every render (a worker meets each brief once), without the
inspection and with it, alternately so that both see the same machine. Times are this
process's CPU time, so other work on a shared machine does not count. The canvas notes where
it draws text in both (`briefs.render.textboxes`); the inspection makes boxes of those notes
and checks them, with no second reading of the PDF. The last column is the check of the
layout's colours, done once per layout. Prints a table of medians per brief.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

LIMIT = 0.15  # the inspection may make a build at most this much slower


def main() -> int:
    from gallery import write_gallery

    from briefs.build.batch import plan_builds
    from briefs.render.charts import chart_drawing
    from briefs.render.contrast import layout_findings
    from briefs.render.document import render_pdf

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as tmp:
        write_gallery(Path(tmp))
        plan = plan_builds(Path(tmp), skip_current=False)
    render_pdf(plan.jobs[0].brief, plan.jobs[0].layout)  # fonts, imports: as a warm worker
    rows = []
    for job in plan.jobs:
        plain, inspected = [], []
        for _ in range(rounds):
            for inspect, times in ((False, plain), (True, inspected)):
                chart_drawing.cache_clear()
                start = time.process_time()
                rendered = render_pdf(job.brief, job.layout, inspect=inspect)
                times.append(time.process_time() - start)
        start = time.process_time()
        layout_findings(job.layout)
        colours = time.process_time() - start
        rows.append((job.brief.donor.code, job.layout.name, rendered.pages,
                     statistics.median(plain), statistics.median(inspected), colours))
    print(f"{'brief':<6} {'layout':<18} {'pages':>5} {'build ms':>9} {'+inspect ms':>12} "
          f"{'extra':>7} {'colours ms':>11}")
    for code, layout, pages, plain, inspected, colours in rows:
        print(f"{code:<6} {layout:<18} {pages:>5} {plain * 1e3:>9.1f} {inspected * 1e3:>12.1f} "
              f"{(inspected / plain - 1):>7.1%} {colours * 1e3:>11.2f}")
    total_plain = sum(r[3] for r in rows)
    total_inspected = sum(r[4] for r in rows)
    extra = total_inspected / total_plain - 1
    print(f"{'all':<6} {'':<18} {sum(r[2] for r in rows):>5} "
          f"{total_plain / len(rows) * 1e3:>9.1f} {total_inspected / len(rows) * 1e3:>12.1f} "
          f"{extra:>7.1%}")
    verdict = "within" if extra <= LIMIT else "OVER"
    print(f"the inspection adds {extra:.1%} to a build: {verdict} the {LIMIT:.0%} limit")
    return 0 if extra <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
