"""A new project folder with the sample data (`briefs init`)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from briefs.build.store import write_atomic
from briefs.errors import Problem, UserError
from briefs.resources import sample_data_dir
from briefs.text import fill

# --- init ------------------------------------------------------------------------------------

GITIGNORE = ("# written by briefs: the lock, and built PDFs, previews and the manifest (keep\n"
             "# .briefs/send-log.jsonl: it records what was mailed)\n.briefs/lock\noutput/\n")

README = """\
# {name}: donor briefs

This folder is a project of `briefs`, which builds donor-profile PDF fact sheets from the
files in `data/`. It starts as a copy of the sample data: one donor, the Republic of Korea, in
two editions. Replace it with your own.

- `data/donors.csv`, `data/channels.csv`: who the donors are and the funding channels.
- `data/contributions.csv`: the figures, in US dollars, one row per donor, channel and period
  (or year). Totals are computed from the rows.
- `data/stakeholders.csv`: who receives which donor's brief.
- `data/profiles/CODE/EDITION.md`: the text of each brief (front matter, then Markdown).
- `layouts/` (optional): your own layouts, or changed copies of the built-in ones.
- `output/`: written by briefs (the PDFs in `output/EDITION/CODE.pdf`); not kept in git.

Run the commands in this folder, or from anywhere with `briefs --project {name} ...`.

## Every year

1. Append the new figures to `data/contributions.csv`.
2. Start each donor's new edition from the newest one: `briefs new-edition CODE YEAR`.
3. Edit `data/profiles/CODE/YEAR.md`: the command lists what to review.
4. `briefs check`: fix what it reports.
5. `briefs build`: writes the PDFs.
6. Look at them: `briefs preview CODE --sheet`, or open the PDFs. `briefs diff CODE` shows
   what changed since the previous edition, `briefs list` which PDFs are built or stale.
7. Send them to the people in `data/stakeholders.csv`.
"""


def init_project(target: Path) -> list[Path]:
    """Create a project folder holding the sample data, a .gitignore and a README.

    An existing folder with anything in it is refused, so init never mixes the sample into
    someone's files or overwrites them. If copying fails halfway, what was written is
    removed again.
    """

    if target.exists() and not target.is_dir():
        raise UserError([Problem(str(target), "is a file — give the name of a new folder")])
    if target.is_dir() and any(target.iterdir()):
        raise UserError([Problem(str(target), "is not empty — give the name of a new folder "
                                 "(or an empty one); init never writes into existing files")])
    created = not target.exists()
    sample = sample_data_dir()
    written: list[Path] = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for source in sorted(_sample_files(sample)):
            dest = target / "data" / source.relative_to(sample)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)
            written.append(dest)
        for name, text in ((".gitignore", GITIGNORE),
                           ("README.md", fill(README, {"name": target.name}))):
            write_atomic(target / name, text.encode("utf-8"))
            written.append(target / name)
    except BaseException:
        if created:
            shutil.rmtree(target, ignore_errors=True)
        else:
            for path in written:
                path.unlink(missing_ok=True)
            if (target / "data").is_dir():
                shutil.rmtree(target / "data", ignore_errors=True)
        raise
    return sorted(written, key=lambda p: (p.parent != target, p.as_posix()))


def _sample_files(sample: Path) -> list[Path]:
    """The shipped data files: CSV and Markdown, never caches or hidden files."""
    files = []
    for folder, dirs, names in os.walk(sample):
        dirs[:] = [d for d in dirs if not d.startswith((".", "__"))]
        files.extend(Path(folder) / n for n in names
                     if n.endswith((".csv", ".md")) and not n.startswith("."))
    return files
