"""The desk's web app (Starlette): routes, the watcher, and server-sent events.

One `Desk` per project. It watches the project folder (watchfiles) except output/; each save
bumps a version, the briefs being looked at are rebuilt and their pages receive the new body
over /events. Only briefs the project has are served, by donor code, edition and language
(`/brief/KOR/2023` the main language's, `/brief/KOR/2023/fr` the translation's): no route takes
a path, so nothing outside the project can be asked for.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse
from starlette.routing import Route

from briefs.build.store import MANIFEST
from briefs.contract.languages import main_language
from briefs.contract.names import DONOR_CODE, PROFILE_FILE
from briefs.errors import Bug, Collector, UserError
from briefs.serve.pages import brief_body, brief_page, index_page
from briefs.serve.view import (
    BriefView,
    Key,
    check_findings,
    page_images,
    shown_problems,
    view_brief,
)
from briefs.yearly.listing import BriefState

IGNORED = ("output", ".git", "__pycache__")
KEPT = 16  # briefs whose PDF and page images are kept in memory, the most recently viewed


class Desk:
    """The state of one served project: its version, the views and images, the findings."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.version = 0
        self.changed = asyncio.Condition()
        self.views: dict[Key, tuple[int, BriefView]] = {}
        self.building: dict[Key, asyncio.Lock] = {}
        self.images: dict[str, list[bytes]] = {}
        self.findings: dict[Key, tuple[str, ...]] = {}
        self.checked = "not yet (running)"
        self.listing: tuple[tuple[int, float], list[BriefState] | UserError] | None = None
        self.listing_lock = asyncio.Lock()

    async def states(self) -> list[BriefState] | UserError:
        """`briefs list`'s rows, computed again only after a save or a build: with hundreds
        of donors, listing reads every profile and hashes every PDF."""
        from briefs.yearly.listing import list_briefs

        async with self.listing_lock:
            manifest = self.root / "output" / MANIFEST
            key = (self.version, manifest.stat().st_mtime if manifest.is_file() else 0.0)
            if self.listing is None or self.listing[0] != key:
                try:
                    found: list[BriefState] | UserError = \
                        await asyncio.to_thread(list_briefs, self.root)
                except UserError as exc:
                    found = exc
                self.listing = (key, found)
            return self.listing[1]

    def known(self, code: str, edition: int, language: str = "") -> Key:
        """The brief asked for, if the project has its profile in that language; else 404.

        The language is read as a profile's file name is (`2023.fr.md`), so only a code of
        two letters reaches the file system, and the main language has no suffix.
        """
        name = f"{edition}.{language}.md" if language else f"{edition}.md"
        profile = self.root / "data" / "profiles" / code / name
        if not DONOR_CODE.match(code) or not PROFILE_FILE.match(name) or not profile.is_file():
            raise HTTPException(404, "no such brief in this project")
        return code, edition, language

    async def view(self, key: Key) -> BriefView:
        """The brief as of the current version, rebuilt at most once per version."""
        lock = self.building.setdefault(key, asyncio.Lock())
        async with lock:
            cached = self.views.get(key)
            if cached is not None and cached[0] == self.version:
                return cached[1]
            version = self.version
            try:
                view = await asyncio.to_thread(view_brief, self.root, *key)
            except Exception as exc:  # a bug in briefs: said to be one, on the page
                bug = Bug.caught(exc, " ".join(map(str, key)).strip())
                view = BriefView(*key, problems=(f"error: {bug.said}",))
            if view.sha and view.sha not in self.images:
                self.images[view.sha] = await asyncio.to_thread(page_images, view.pdf)
            self.views.pop(key, None)
            self.views[key] = (version, view)  # newest last; the oldest go beyond KEPT
            for old in list(self.views)[:-KEPT]:
                del self.views[old]
            shown = {v.sha for _, v in self.views.values()}
            for sha in [s for s in self.images if s not in shown]:  # each save's old pages
                del self.images[sha]
            return view

    async def bump(self) -> None:
        async with self.changed:
            self.version += 1
            self.changed.notify_all()

    async def wait_past(self, seen: int) -> int:
        async with self.changed:
            await self.changed.wait_for(lambda: self.version != seen)
            return self.version

    async def watch(self, stop: asyncio.Event) -> None:
        """Bump the version on each change of a file the briefs may depend on."""
        from watchfiles import awatch

        def relevant(_change: object, path: str) -> bool:
            try:
                parts = Path(path).relative_to(self.root).parts
            except ValueError:  # reached by another route (a link): count it
                return True
            return bool(parts) and parts[0] not in IGNORED and \
                not any(p.startswith(".") or p.endswith("~") for p in parts)

        async for _ in awatch(self.root, watch_filter=relevant, debounce=100, step=20,
                              stop_event=stop, rust_timeout=200):
            await self.bump()

    async def keep_checked(self) -> None:
        """Run the project's check after start and after each change; keep the findings."""
        while True:
            seen = self.version
            await self.states()  # ready before the first visit to the index
            self.findings = await asyncio.to_thread(check_findings, self.root)
            self.checked = time.strftime("%H:%M:%S")
            await self.wait_past(seen)

    # --- the routes --------------------------------------------------------------------------

    def key_of(self, request: Request) -> Key:
        params = request.path_params
        return self.known(params["code"], params["edition"], params.get("lang", ""))

    async def index(self, request: Request) -> HTMLResponse:
        states = await self.states()
        if isinstance(states, UserError):
            return HTMLResponse(index_page([], {}, self.checked, "",
                                           shown_problems(states.problems)))
        main = main_language(self.root, Collector())
        return HTMLResponse(index_page(states, self.findings, self.checked, main))

    async def brief(self, request: Request) -> HTMLResponse:
        key = self.key_of(request)
        version = self.version  # the page is as of this version; later saves are sent
        return HTMLResponse(brief_page(await self.view(key), version))

    async def page(self, request: Request) -> Response:
        view = await self.view(self.key_of(request))
        images = self.images.get(view.sha, [])
        number = request.path_params["number"]
        if not 1 <= number <= len(images):
            raise HTTPException(404, "no such page")
        return Response(images[number - 1], media_type="image/png",
                        headers={"Cache-Control": "max-age=3600"})

    async def pdf(self, request: Request) -> Response:
        view = await self.view(self.key_of(request))
        if not view.pdf:
            raise HTTPException(404, "this brief has problems: see its page")
        return Response(view.pdf, media_type="application/pdf")

    async def events(self, request: Request) -> StreamingResponse:
        """The brief's new body after each save, as server-sent events, from `since` on."""
        key = self.key_of(request)
        since = request.query_params.get("since", "")
        seen = int(since) if since.isdigit() else self.version

        async def stream() -> AsyncIterator[str]:
            nonlocal seen
            yield ": connected\n\n"
            while True:
                if seen == self.version:
                    await self.wait_past(seen)
                seen = self.version
                view = await self.view(key)
                yield f"event: update\ndata: {json.dumps(brief_body(view))}\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store"})

    @contextlib.asynccontextmanager
    async def running(self, app: Starlette) -> AsyncIterator[None]:
        """While the server runs: the watcher and the background check."""
        stop = asyncio.Event()
        tasks = [asyncio.create_task(self.watch(stop)), asyncio.create_task(self.keep_checked())]
        try:
            yield
        finally:
            stop.set()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)


def create_app(root: Path) -> Starlette:
    """The web app for the project at `root`."""
    desk = Desk(root)
    routes = [Route("/", desk.index)]
    # the main language's routes first: "pdf" and "page" are never a language's two letters
    for brief, events in (("/brief/{code}/{edition:int}", "/events/{code}/{edition:int}"),
                          ("/brief/{code}/{edition:int}/{lang}",
                           "/events/{code}/{edition:int}/{lang}")):
        routes += [Route(brief, desk.brief), Route(brief + "/page/{number:int}.png", desk.page),
                   Route(brief + "/pdf", desk.pdf), Route(events, desk.events)]
    return Starlette(routes=routes, lifespan=desk.running)
