"""Outputs of briefs that no longer exist: a removed donor, a renamed or deleted edition.

A PDF in output/EDITION/ (and its manifest entry) is an orphan when no profile
data/profiles/CODE/EDITION.md could have made it. `briefs list` reports them and
`briefs build --prune` removes them with their page images. The test is conservative: a
file whose name could belong to an existing brief (`KOR-profile.pdf`, built with another
layout) is kept, since deleting a brief that still exists is worse than keeping a stale one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from briefs.build.store import project_lock, read_manifest, write_manifest
from briefs.contract.project import Project

_EDITION = re.compile(r"\d{4}")


@dataclass(frozen=True)
class Orphan:
    """A PDF (or only its manifest entry) without a profile."""

    key: str  # "2019/XYZ.pdf", as in the manifest
    path: Path
    why: str  # "no profile data/profiles/XYZ/2019.md"


def _belongs(stem: str, edition: int, project: Project) -> bool:
    stem = stem.split(".", 1)[0]  # KOR.fr -> KOR
    return any(edition in editions and (stem == code or stem.startswith(code + "-"))
               for code, editions in project.profiles.items())


def find_orphans(project: Project) -> list[Orphan]:
    """Every PDF and manifest entry of output/ that no profile accounts for."""
    keys = set(read_manifest(project.output))
    if project.output.is_dir():
        for folder in project.output.iterdir():
            if folder.is_dir() and _EDITION.fullmatch(folder.name):
                keys |= {f"{folder.name}/{pdf.name}" for pdf in folder.glob("*.pdf")}
    orphans = []
    for key in sorted(keys):
        edition, _, name = key.partition("/")
        if not _EDITION.fullmatch(edition) or not name.endswith(".pdf"):
            continue
        stem = name.removesuffix(".pdf")
        if not _belongs(stem, int(edition), project):
            code = stem.split(".", 1)[0]
            orphans.append(Orphan(key, project.output / edition / name,
                                  f"no profile data/profiles/{code}/{edition}.md"))
    return orphans


def prune(project: Project, wait: bool = False) -> list[Orphan]:
    """Remove the orphans' PDFs, their page images and their manifest entries."""
    with project_lock(project.root, wait):
        orphans = find_orphans(project)
        manifest = read_manifest(project.output)
        for orphan in orphans:
            orphan.path.unlink(missing_ok=True)
            stem = orphan.path.stem
            for image in orphan.path.parent.glob(f"{stem}-*.png"):
                if re.fullmatch(rf"{re.escape(stem)}-(\d+|sheet)\.png", image.name):
                    image.unlink(missing_ok=True)
            manifest.pop(orphan.key, None)
        if orphans:
            write_manifest(project.output, manifest)
    return orphans
