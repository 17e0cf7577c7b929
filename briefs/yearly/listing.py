"""Every donor × edition and the state of its PDF (`briefs list`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefs.build.store import is_current, read_manifest
from briefs.layout.figures import figures_of

# --- list ------------------------------------------------------------------------------------

STATES = ("missing", "built", "stale", "error")


@dataclass(frozen=True)
class BriefState:
    """One donor × edition and the state of its PDF (in the profile's own layout)."""

    code: str
    edition: int
    layout: str | None
    state: str  # one of STATES
    path: Path
    message: str | None = None  # the first problem, when state is "error"
    period: str | None = None  # the years the brief reports, as its PDF prints them


def list_briefs(root: Path) -> list[BriefState]:
    """Every brief of the project and whether its PDF is missing, built (current) or stale.

    `built` means exactly what `briefs build` would skip: the manifest's inputs match and the
    PDF is the one recorded. One broken profile must not hide the others, so its problem is
    reported in its row instead of being raised.
    """
    from briefs.build.batch import plan_builds

    plan = plan_builds(root, every_edition=True, skip_current=False)
    manifest = read_manifest(plan.project.output)
    states = [BriefState(f.code, f.edition, None, "error", f.path, str(f.problems[0]))
              for f in plan.failures]
    for job in plan.jobs:
        if not job.path.is_file():
            state = "missing"
        elif is_current(manifest.get(job.key), job.inputs, job.path):
            state = "built"
        else:
            state = "stale"
        states.append(BriefState(job.brief.donor.code, job.brief.edition, job.layout.name,
                                 state, job.path,
                                 period=figures_of(job.layout).period(job.brief.profile.period)))
    return sorted(states, key=lambda s: (s.code, s.edition))
