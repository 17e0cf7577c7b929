"""The two outside validators the tagging tests run: `pdfua` (PyPI) and PDFBox Preflight.

Preflight is Java: all files go to one JVM run (its `group` mode), which keeps the tests
fast. Its Debian packages are installed by .ci/run.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

JARS = ("preflight", "pdfbox2", "fontbox2", "xmpbox", "commons-logging", "javax.activation",
        "jaxb-api")
JAVA_DIR = Path("/usr/share/java")


def pdfua(paths: Sequence[Path]) -> dict[str, dict]:
    """path (as given) -> pdfua's JSON report (summary, findings), all files in one run."""
    done = subprocess.run([sys.executable, "-m", "pdfua", "check", "--format", "json",
                           *map(str, paths)], capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1, 2, 3), done.stderr
    decoder, text, out = json.JSONDecoder(), done.stdout.strip(), {}
    while text:  # one JSON document per file, one after the other
        report, end = decoder.raw_decode(text)
        out[report["file"]] = report
        text = text[end:].strip()
    return out


def preflight(paths: Sequence[Path], work: Path) -> dict[str, list[str]]:
    """path -> Preflight's PDF/A-1b errors ([] when valid), all files in one JVM run."""
    missing = [j for j in JARS if not (JAVA_DIR / f"{j}.jar").exists()]
    assert shutil.which("java") and not missing, (
        f"PDFBox Preflight is not installed (missing {missing or ['java']}): see .ci/run")
    listing = work / "preflight-files.txt"
    listing.write_text("".join(f"{p}\n" for p in paths), encoding="utf-8")
    classpath = ":".join(str(JAVA_DIR / f"{j}.jar") for j in JARS)
    subprocess.run(["java", "-cp", classpath, "org.apache.pdfbox.preflight.Validator_A1b",
                    "xml", "group", str(listing)], capture_output=True, check=False,
                   timeout=300)
    report = ET.parse(f"{listing}.preflight.xml").getroot()
    results: dict[str, list[str]] = {}
    for path, item in zip(paths, report.findall("preflight"), strict=True):
        assert item.get("name") == path.name
        valid = item.findtext("isValid") == "true"
        results[str(path)] = [] if valid else [
            f"{e.findtext('code')}: {e.findtext('details')}" for e in item.iter("error")]
    return results
