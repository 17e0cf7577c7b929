"""How fast `briefs serve` follows a save, and how it behaves with many donors; prints a table.

    python benchmarks/bench_serve.py            # 20 saves; N = 200 donors
    python benchmarks/bench_serve.py --n 50 --saves 5

Save to refreshed page: the sample project served, KOR 2023 open in headless Chromium (as in
tests/test_serve.py); the profile's title is changed and saved, and the time is taken until
the open page shows the new title (in its diff), without a reload. Many donors: the
synthetic project of bench_build.py; the index's load time (first and again), the brief
page's first load, the time until every brief's check findings are in, and the server's
resident memory (VmHWM, the peak) after each.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.bench_build import make_project  # noqa: E402
from tests.browser import Browser  # noqa: E402


def start(project: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "briefs", "--project", str(project), "serve", "--port", "0"],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, cwd=REPO)
    assert process.stderr is not None
    for line in process.stderr:
        match = re.search(r"at (http://\S+/) ", line)
        if match:
            return process, match.group(1)
    raise RuntimeError("the server printed no URL")


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    process.communicate(timeout=20)


def peak_mib(process: subprocess.Popen[str]) -> float:
    status = Path(f"/proc/{process.pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]


def fetch(url: str) -> tuple[float, bytes]:
    began = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as response:
        body = response.read()
    return time.perf_counter() - began, body


def saves(work: Path, count: int) -> list[float]:
    """Seconds from each save of the profile to the open page showing it."""
    project = work / "sample"
    project.mkdir()
    shutil.copytree(REPO / "data", project / "data")
    process, url = start(project)
    browser = Browser(work / "chromium")
    try:
        browser.open(url + "brief/KOR/2023")
        browser.wait_for("document.images.length > 0", 120)
        profile = project / "data" / "profiles" / "KOR" / "2023.md"
        original = profile.read_text(encoding="utf-8")
        times = []
        for number in range(1, count + 1):
            title = f"Save number {number} of the benchmark"
            text = original.replace("edition: 2023", f"edition: 2023\ntitle: {title}", 1)
            began = time.perf_counter()
            profile.write_text(text, encoding="utf-8")
            browser.wait_for(f"document.querySelector('#diff')?.textContent.includes("
                             f"'{title}')", 60)
            times.append(time.perf_counter() - began)
            time.sleep(0.3)
        assert browser.evaluate("performance.getEntriesByType('navigation').length") == 1
        return times
    finally:
        browser.close()
        stop(process)


def many(work: Path, n: int) -> list[tuple[str, str]]:
    project = work / "many"
    project.mkdir()
    codes = make_project(project, n)
    process, url = start(project)
    rows = []
    try:
        first, body = fetch(url)
        listed = body.count(b"<tr>") - 1
        rows.append((f"index, first load ({listed} briefs listed)", f"{first:.2f} s"))
        rows.append(("server memory after the index (peak)", f"{peak_mib(process):.0f} MiB"))
        again, _ = fetch(url)
        rows.append(("index, again", f"{again:.2f} s"))
        page, _ = fetch(url + f"brief/{codes[0]}/2024")
        rows.append(("a brief's page, first load (build + images)", f"{page:.2f} s"))
        began = time.perf_counter()
        while b"not checked yet" in fetch(url)[1]:
            time.sleep(1)
        rows.append(("every brief's check findings in (from start)",
                     f"{time.perf_counter() - began + first + again + page:.0f} s"))
        rows.append(("server memory after the check (peak)", f"{peak_mib(process):.0f} MiB"))
        during, _ = fetch(url)
        rows.append(("index, after the check", f"{during:.2f} s"))
    finally:
        stop(process)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="donors (default 200)")
    parser.add_argument("--saves", type=int, default=20, help="saves timed (default 20)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        times = saves(work, args.saves)
        rows = [(f"save to refreshed page, median of {len(times)}",
                 f"{statistics.median(times):.2f} s"),
                ("save to refreshed page, min / max",
                 f"{min(times):.2f} / {max(times):.2f} s")]
        rows.extend(many(work, args.n))
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    main()
