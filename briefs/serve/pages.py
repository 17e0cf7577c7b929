"""The desk's HTML: the index of briefs and a brief's page, plain HTML and a few lines of JS.

Every text from a user's file is escaped: a profile's `<b>` is shown as typed, never run. The
brief's page listens to /events (server-sent events) and swaps in the new body the server
sends, so the page follows the officer's saves without reloading or any build step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

from briefs.serve.view import BriefView, Key
from briefs.yearly.listing import BriefState

STYLE = """
body{font-family:system-ui,sans-serif;margin:0;background:#e4e6ec;color:#1e2d5a}
header{background:#1e2d5a;color:#fff;padding:.6em 1.2em}header a{color:#fff}
main{padding:1em 1.2em}table{border-collapse:collapse;background:#fff}
td,th{padding:.3em .7em;border-bottom:1px solid #d0d4de;text-align:left;vertical-align:top}
.pages{display:flex;flex-wrap:wrap;gap:16px}.pages.column{flex-direction:column}
figure{margin:0;background:#fff;padding:4px;box-shadow:0 1px 4px #0003}
figure img{display:block;max-width:100%}figcaption{font-size:.85em;padding:.3em}
.problems{background:#fff0f0;border-left:4px solid #b00020;padding:.6em 1em;white-space:pre-wrap}
.warning{color:#8a5300}.state-built{color:#1b7a3a}.state-stale{color:#8a5300}
.state-missing{color:#555}.state-failing{color:#b00020}pre{background:#fff;padding:.8em}
.num{text-align:right}.side{display:flex;gap:2em;flex-wrap:wrap;margin-top:1.5em}
"""

LIVE = """
const source = new EventSource(EVENTS);
source.addEventListener('update', (event) => {
  document.getElementById('brief').innerHTML = JSON.parse(event.data);
  document.body.dataset.version = String(Number(document.body.dataset.version || 0) + 1);
});
document.addEventListener('click', (event) => {
  if (event.target.id === 'arrange') {
    document.querySelector('.pages')?.classList.toggle('column');
  }
});
"""


def _page(title: str, body: str, script: str = "") -> str:
    tag = f"<script>{script}</script>" if script else ""
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
            f"<body><header><a href='/'>briefs</a> · {escape(title)}</header>"
            f"<main>{body}</main>{tag}</body></html>")


STATE_WORDS = {"error": "failing"}
"""The index's word for a `briefs list` state, where issue 16's differs (README: serve)."""


def brief_path(code: str, edition: int, language: str) -> str:
    """A brief's address on the desk: the main language's has no language part."""
    return f"/brief/{code}/{edition}" + (f"/{language}" if language else "")


def index_page(states: Iterable[BriefState], findings: Mapping[Key, tuple[str, ...]],
               checked: str, main: str, problems: tuple[str, ...] = ()) -> str:
    """Every donor × edition × language with its state, the last check's findings and links.

    `main` is the project's main language: its briefs' addresses carry no language.
    """
    if problems:
        return _page("every brief", _problems(problems))
    rows = []
    for state in states:
        suffix = "" if state.language == main else state.language
        found = findings.get((state.code, state.edition, suffix))
        said = "not checked yet" if found is None else \
            "<br>".join(escape(line) for line in found) or "no problems"
        if state.message and found is None:  # list's first problem, until the check is in
            said = escape(state.message)
        link = escape(brief_path(state.code, state.edition, suffix))
        word = STATE_WORDS.get(state.state, state.state)
        rows.append(
            f"<tr><td><a href='{link}'>{escape(state.code)}</a></td><td>{state.edition}</td>"
            f"<td>{escape(state.language)}</td><td>{escape(state.period or '')}</td>"
            f"<td class='state-{word}'>{word}</td>"
            f"<td>{said}</td><td><a href='{link}'>page</a> · "
            f"<a href='{link}/pdf'>PDF</a></td></tr>")
    table = ("<table id='briefs'><tr><th>donor</th><th>edition</th><th>language</th>"
             "<th>period</th><th>state</th><th>check</th><th></th></tr>" + "".join(rows) +
             "</table>")
    note = f"<p>Last check: {escape(checked)}.</p>"
    return _page("every brief", table + note if rows else
                 "<p>No briefs yet — add a profile as data/profiles/CODE/YEAR.md</p>")


def brief_page(view: BriefView, version: int) -> str:
    """A brief's page as of the desk's `version`, and the script that keeps it current."""
    language = f"/{view.language}" if view.language else ""
    events = f"/events/{view.code}/{view.edition}{language}?since={version}"
    body = f"<div id='brief'>{brief_body(view)}</div>"
    return _page(f"{view.code} {view.edition} {view.language}".strip(), body,
                 f"const EVENTS = {events!r};" + LIVE)


def brief_body(view: BriefView) -> str:
    """What changes with each save: the pages (or the problems), figures and diff."""
    if view.problems:
        return _problems(view.problems)
    base = brief_path(view.code, view.edition, view.language)
    general = [w for w in view.warnings if w.page is None or w.page > view.pages]
    parts = [f"<p class='warning'>{escape(w.text)}</p>" for w in general]
    parts.extend(f"<p><em>{escape(n)}</em></p>" for n in view.notes)
    parts.append(f"<p><button id='arrange'>side by side / one under the other</button> "
                 f"<a href='{base}/pdf?v={view.sha[:12]}'>PDF</a></p><div class='pages'>")
    for number in range(1, view.pages + 1):
        said = "".join(f"<p class='warning'>{escape(w.text)}</p>" for w in view.warnings
                       if w.page == number)
        parts.append(f"<figure><img alt='page {number}' "
                     f"src='{base}/page/{number}.png?v={view.sha[:12]}'>"
                     f"<figcaption>page {number}{said}</figcaption></figure>")
    parts.append("</div><div class='side'>")
    parts.append(_figures(view))
    if view.diff:
        parts.append(f"<div><h3>Against the previous edition</h3><pre id='diff'>"
                     f"{escape(view.diff)}</pre></div>")
    parts.append("</div>")
    return "".join(parts)


def _figures(view: BriefView) -> str:
    if not view.figures:
        return "<div><h3>Figures</h3><p>This brief shows no figures.</p></div>"
    rows = "".join(f"<tr><td>{escape(r.label)}</td><td class='num'>{escape(r.amount)}</td></tr>"
                   for r in view.figures)
    return (f"<div><h3>Figures, {escape(view.period)} (US$ million)</h3>"
            f"<table id='figures'><tr><th>channel</th><th class='num'>amount</th></tr>"
            f"{rows}</table></div>")


def _problems(problems: tuple[str, ...]) -> str:
    lines = "\n".join(escape(p) for p in problems)
    return (f"<div class='problems' id='problems'>{lines}\n\nFix the file and save it: "
            "this page follows.</div>")
