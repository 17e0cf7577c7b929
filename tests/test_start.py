"""A lean start: a command imports what it needs when it needs it (issue 15).

A rebuild with nothing changed reads the data, the front matter and the layout, and imports
nothing that draws; a one-brief build imports the drawing libraries but nothing another
command needs. Guarded by what fresh processes import, never by timing them; and each thing
done differently to start faster (escaping, reading pycountry's files, breaking words, the
table of commands, the cycle collector's pause) is held to what it replaced.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import run


def _modules_after(project: Path, *args: str) -> tuple[str, set[str], int]:
    """The output of `briefs --project PROJECT ARGS` run in a fresh Python, the modules it
    had imported when it ended, and how many hyphenation dictionaries it had read. A fresh
    process: this one has imported everything."""
    out, (modules, dictionaries) = _seen_at_exit(
        project, args, "[sorted(sys.modules), "
                       "len(sys.modules['pyphen'].hdcache) if 'pyphen' in sys.modules else 0]")
    return out, set(modules), dictionaries


def _seen_at_exit(project: Path, args: tuple[str, ...], seen: str) -> tuple[str, Any]:
    """The output of `briefs --project PROJECT ARGS` run by the script's `main` in a fresh
    Python, and the value of the expression `seen` (JSON, with `sys` at hand) as that
    process ended."""
    import json
    import os
    import subprocess
    import sys

    script = ("import atexit, json, sys\n"
              "def seen():\n"
              f"    print('SEEN ' + json.dumps({seen}))\n"
              "atexit.register(seen)\n"
              "from briefs.cli.main import main\n"
              f"sys.argv = ['briefs', '--project', {str(project)!r}, *{list(args)!r}]\n"
              "main()\n")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=project,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    out, _, value = done.stdout.rpartition("SEEN ")
    return out, json.loads(value)


def _among(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if m in names or m.startswith(tuple(f"{n}." for n in names)))


# what drawing, mailing, serving or the other commands need, and planning does not
DRAWING = ("matplotlib", "reportlab.platypus", "reportlab.pdfgen", "pypdfium2", "pyphen",
           "markdown_it", "numpy", "PIL.PngImagePlugin", "briefs.render.document",
           "briefs.render.inspect")
ELSEWHERE = ("email", "urllib.request", "http.client", "ssl", "xml.sax", "importlib.metadata",
             "pycountry", "briefs.mail", "briefs.serve", "briefs.yearly", "briefs.cli.send",
             "briefs.cli.serve", "briefs.cli.yearly", "briefs.cli.proof", "matplotlib.pyplot")


def test_a_rebuild_with_nothing_changed_imports_nothing_that_draws(project: Path) -> None:
    """Every PDF current: the run reads the data, the front matter and the layout, and
    imports no drawing library, nothing the other commands need, and no worker machinery
    with one job."""
    assert run(project, "build", "--quiet").exit_code == 0
    out, modules, _ = _modules_after(project, "build", "--quiet", "--jobs", "1")
    assert out.strip() == "built 0, unchanged 3", out  # the newest edition, 3 languages
    assert _among(modules, DRAWING + ELSEWHERE) == []
    assert _among(modules, ("multiprocessing", "concurrent.futures.process")) == []


def test_a_one_brief_build_imports_only_what_drawing_needs(project: Path) -> None:
    """A cold single brief imports the drawing libraries, but not what other commands need
    (mail, the desk, pyplot), nor ssl and email through xml.sax.saxutils or pycountry, nor
    worker machinery for one job; and reads no hyphenation dictionary when no word needs
    breaking (ReportLab reads one for a language's name: see `Hyphenator`)."""
    out, modules, dictionaries = _modules_after(project, "build", "KOR", "--edition", "2017",
                                                "--force", "--jobs", "1")
    assert "wrote output/2017/KOR.pdf" in out, out
    assert _among(modules, ("matplotlib.figure", "reportlab.platypus", "pypdfium2")) != []
    assert _among(modules, ELSEWHERE) == []
    assert _among(modules, ("multiprocessing", "concurrent.futures.process")) == []
    assert dictionaries == 0


def test_markup_escapes_as_xml_sax_saxutils_does() -> None:
    """briefs escapes text and quotes attributes itself (xml.sax.saxutils imports ssl): the
    same characters as the standard library's, for any text."""
    from xml.sax.saxutils import escape, quoteattr

    from briefs.render import markup

    rng = random.Random(15)
    for _ in range(2000):
        text = "".join(rng.choice("ab &<>\"'\n\r\t;#é") for _ in range(rng.randint(0, 12)))
        assert markup.xml_escape(text) == escape(text)
        assert markup.quoteattr(text) == quoteattr(text)


def test_country_names_read_from_pycountry_files_are_pycountry_names() -> None:
    """ISO 3166-1 read from pycountry's files, not through `import pycountry`: the same
    countries, the same names, the same translations folder."""
    import pycountry

    from briefs.contract.countries import ISO_NAMES, iso_countries

    countries, locales = iso_countries()
    assert countries == tuple({k: getattr(c, k) for k in ISO_NAMES if getattr(c, k, None)}
                              for c in pycountry.countries)
    assert locales == pycountry.LOCALES_DIR and len(countries) > 240


def test_a_long_word_breaks_where_pyphen_breaks_it() -> None:
    """A style's `Hyphenator` breaks a long word at a column's edge exactly where ReportLab
    breaks it when given the language's name (which reads the dictionary up front)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from briefs.render.styles import HYPHENATE_FROM, Hyphenator

    text = "The Lieferkettensorgfaltspflichtengesetz and internationalisation " * 3

    def lines(language: object) -> list[str]:
        style = ParagraphStyle("p", fontName="Helvetica", fontSize=10, leading=12,
                               hyphenationLang=language,
                               hyphenationMinWordLength=HYPHENATE_FROM)
        para = Paragraph(text, style)
        para.wrap(95, 1000)
        return [" ".join(line[1]) for line in para.blPara.lines]

    for language in ("en", "de"):
        mine = lines(Hyphenator(language))
        assert mine == lines(language)
        assert any(line.endswith("-") for line in mine), mine  # it did break a word


def test_every_command_of_the_table_is_the_command_of_that_name() -> None:
    """The group imports a command's module when the command is asked for: each name of its
    table leads to the command of that name."""
    import click

    from briefs.cli.main import COMMANDS, cli

    context = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(context, name)
        assert isinstance(command, click.Command) and command.name == name, name


def test_the_cycle_collector_is_paused_while_a_build_starts_and_on_once_it_draws(
        project: Path) -> None:
    """A build starts with the collector off (imports and tables make no cycles worth
    collecting) and turns it on with the first brief drawn; a pause it did not make is left
    alone; drawing, it collects the youngest objects less often; after a command, the
    collector is as it was."""
    import gc

    from briefs.build import collector
    from briefs.build.batch import plan_builds
    from briefs.build.run import render_job

    job = plan_builds(project, ("KOR",), 2017, skip_current=False, body=False).jobs[0]
    before = gc.get_threshold()
    with collector.paused():
        assert not gc.isenabled()
        assert render_job(job).status == "built"
        assert gc.isenabled()  # a run of many briefs collects
        # the youngest objects less often: a brief makes hundreds of thousands
        assert gc.get_threshold() == (collector.DRAWING_THRESHOLD, *before[1:])
    assert gc.get_threshold() == before
    gc.disable()
    try:
        with collector.paused():
            render_job(job)
            assert not gc.isenabled()  # someone else's pause
    finally:
        gc.enable()
    assert run(project, "build", "--jobs", "1", "--quiet").exit_code == 0
    assert gc.isenabled()


def test_the_script_freezes_what_its_build_made_as_it_ends_and_a_library_caller_does_not(
        project: Path) -> None:
    """In the `briefs` script's process the collector's pause ends with the command: what
    the build made is frozen, not walked as the collector comes back and again at exit (~17
    ms); a command run in a caller's process (here, this test's) leaves its collector as it
    was, nothing frozen."""
    import gc

    _, (frozen, enabled) = _seen_at_exit(
        project, ("build", "--jobs", "1", "--quiet"),
        "[__import__('gc').get_freeze_count(), __import__('gc').isenabled()]")
    assert frozen > 10_000 and enabled
    before = gc.get_freeze_count()
    assert run(project, "build", "KOR", "--edition", "2017", "--jobs", "1", "--force",
               "--quiet").exit_code == 0
    assert gc.get_freeze_count() == before and gc.isenabled()


def test_one_brief_is_drawn_by_one_worker_forked_before_the_project_is_read(
        project: Path) -> None:
    """Donors named with one profile between them: one worker, forked before the project is
    read, imports the drawing libraries and draws while the command plans, so the command's
    own process imports none of them, nor multiprocessing; with --jobs 1 the brief is drawn
    in the command's process, to the same bytes. Three briefs get two workers forked the same
    way (the first imports, then forks the second): the command still imports none of it,
    and the briefs are those drawn in the command's process."""
    out, modules, _ = _modules_after(project, "build", "KOR", "--edition", "2017", "--jobs",
                                     "2", "--force")
    assert out.splitlines()[-1] == "built 1, unchanged 0", out
    assert _among(modules, ("multiprocessing", "concurrent.futures.process")) == []
    assert _among(modules, ("matplotlib", "reportlab.platypus", "briefs.render")) == []
    ahead = (project / "output" / "2017" / "KOR.pdf").read_bytes()
    out, modules, _ = _modules_after(project, "build", "KOR", "--edition", "2017", "--jobs",
                                     "1", "--force")
    assert "matplotlib.figure" in modules and "briefs.render.document" in modules
    assert (project / "output" / "2017" / "KOR.pdf").read_bytes() == ahead
    out, modules, _ = _modules_after(project, "build", "KOR", "--jobs", "1", "--force")
    assert out.splitlines()[-1] == "built 3, unchanged 0", out  # 2023 in three languages
    here = {path.name: path.read_bytes() for path in (project / "output" / "2023").iterdir()}
    out, modules, _ = _modules_after(project, "build", "KOR", "--jobs", "2", "--force")
    assert out.splitlines()[-1] == "built 3, unchanged 0", out
    assert _among(modules, ("multiprocessing", "concurrent.futures.process")) == []
    assert _among(modules, ("matplotlib", "reportlab.platypus", "briefs.render")) == []
    assert {path.name: path.read_bytes() for path in (project / "output" / "2023").iterdir()} \
        == here


def _called(fn: object) -> object:
    return fn()  # type: ignore[operator]


def test_the_worker_drawing_ahead_answers_and_ends() -> None:
    """`DrawingAhead` runs each call in its own process and answers it, a call's exception
    included; sent nothing, it is killed rather than waited for; dead, it is an error, not
    a hang; told to end with its last answer, not at the block's end."""
    import os
    import signal
    import time

    import pytest
    from test_safe_files import alive

    from briefs.build.workers import DrawingAhead

    with DrawingAhead() as worker:  # one worker: the forker itself draws
        [(_, pid)] = worker.completed(_called, [os.getpid])
        assert pid.result() == worker.pid != os.getpid()
    assert os.WIFEXITED(worker.status) and os.WEXITSTATUS(worker.status) == 0
    with DrawingAhead() as parsing:
        answers = dict(parsing.completed(int, ["7", "x"]))
        assert answers["7"].result() == 7
        with pytest.raises(ValueError):
            answers["x"].result()
    with DrawingAhead() as unused:
        pass
    assert os.WIFSIGNALED(unused.status) and os.WTERMSIG(unused.status) == signal.SIGKILL
    with DrawingAhead() as dying, pytest.raises(ChildProcessError):
        [(_, died)] = dying.completed(os._exit, [3])
        died.result()
    assert os.WIFEXITED(dying.status) and os.WEXITSTATUS(dying.status) == 3
    with DrawingAhead() as once:  # told to end with its answer, not at the block's end
        [(_, pid)] = once.completed(_called, [os.getpid])
        assert pid.result() == once.pid
        deadline = time.monotonic() + 10
        while alive(once.pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not alive(once.pid)  # ended (not yet reaped) inside the block
        [(_, late)] = once.completed(_called, [os.getpid])
        with pytest.raises(ChildProcessError):
            late.result()
    assert os.WIFEXITED(once.status) and os.WEXITSTATUS(once.status) == 0


def test_at_most_one_brief_counts_profile_files_before_reading_the_project(
        project: Path) -> None:
    from briefs.build.workers import at_most_one_brief

    assert at_most_one_brief(project, ("KOR",), 2017)
    assert not at_most_one_brief(project, ("KOR",), 2023)  # and in French and Spanish
    assert not at_most_one_brief(project, ("KOR",))
    assert not at_most_one_brief(project, ())  # every donor
    assert at_most_one_brief(project, ("NOPE", "../x"), None)  # planning reports them


def _fresh_python(script: str) -> str:
    """What `script` prints run in a fresh Python with this repository on its path."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_matplotlib_is_imported_without_property_tables_and_kwdoc_is_restored() -> None:
    """`load_matplotlib` imports matplotlib.figure with `kwdoc` answering no table (a sixth
    of a cold build): no `set()` help lists its properties, while `set()` still takes them
    all; `kwdoc` is matplotlib's own again after; a process that imported matplotlib.figure
    first keeps its tables."""
    import json

    def imported(first: bool) -> tuple[bool, str, list[str], str]:
        return tuple(json.loads(_fresh_python(
            "import inspect, json\n"
            "import matplotlib.artist as artist\n"
            "own = artist.kwdoc\n"
            f"{'import matplotlib.figure' if first else ''}\n"
            "from briefs.render.mplimport import load_matplotlib\n"
            "load_matplotlib()\n"
            "from matplotlib.patches import Rectangle\n"
            "print(json.dumps([artist.kwdoc is own, Rectangle.set.__doc__,\n"
            "                  list(inspect.signature(Rectangle.set).parameters),\n"
            "                  own(Rectangle)]))\n")))

    restored, doc, parameters, table = imported(first=False)
    assert restored
    assert "facecolor" in parameters and "facecolor" in table  # what a table would list
    assert "facecolor" not in doc
    restored, doc, _, _ = imported(first=True)
    assert restored and "facecolor" in doc  # imported before briefs: left alone


def test_the_forker_imports_matplotlib_without_its_3d_axes_and_says_nothing() -> None:
    """The forker (`import_drawing`) leaves out mpl_toolkits.mplot3d (~20 ms of a cold
    brief) without matplotlib's warning about it, and the module can be imported after; a
    process that loads matplotlib for other uses (the Python API) keeps the 3D axes."""
    import json

    def imported(forker: bool) -> list:
        load = ("from briefs.build.forked import import_drawing\nimport_drawing()\n"
                if forker else "from briefs.render.mplimport import load_matplotlib\n"
                "load_matplotlib()\n")
        return json.loads(_fresh_python(
            "import json, sys, warnings\n"
            "warnings.simplefilter('error')\n"  # a warning shown would fail the import
            f"{load}"
            "from matplotlib.projections import get_projection_names\n"
            "loaded = 'mpl_toolkits.mplot3d' in sys.modules\n"
            "names = get_projection_names()\n"
            "import mpl_toolkits.mplot3d\n"
            "print(json.dumps([loaded, '3d' in names, 'polar' in names]))\n"))

    assert imported(forker=True) == [False, False, True]
    assert imported(forker=False) == [True, True, True]


@pytest.mark.parametrize("name", ["amount not a number", "unknown key", "unknown section class",
                                  "contributions section without rows", "h1 heading"])
def test_one_brief_drawn_ahead_is_refused_as_one_drawn_here(name: str, project: Path) -> None:
    """A mistake in the data, the front matter or the text of the one brief asked for: the
    same messages and exit status whether it is drawn by the worker drawing ahead (which
    reads the text in the command) or in the command's process, and nothing written."""
    from test_bad_inputs import CASES

    next(case for case in CASES if case.name == name).mutate(project)
    ahead, here = (run(project, "build", "KOR", "--edition", "2017", "--jobs", jobs)
                   for jobs in ("2", "1"))
    assert ahead.exit_code == here.exit_code == 2, ahead.output
    assert ahead.stderr == here.stderr
    assert "Traceback" not in ahead.output
    assert not (project / "output" / "2017" / "KOR.pdf").exists()


def test_a_damaged_font_found_by_the_worker_drawing_ahead_is_the_users_mistake(
        project: Path) -> None:
    """A font that looks like TrueType but is not is found when the worker registers it: the
    failure crosses back as the in-process build reports it, exit 2, nothing written."""
    import os

    (project / "fonts").mkdir()
    (project / "fonts" / "Odd.ttf").write_bytes(b"\x00\x01\x00\x00" + os.urandom(4096))
    (project / "layouts").mkdir()
    (project / "layouts" / "factsheet.yaml").write_text(
        "extends: factsheet\nfonts:\n  sans:\n    regular: Odd.ttf\n", encoding="utf-8")
    ahead, here = (run(project, "build", "KOR", "--edition", "2017", "--jobs", jobs)
                   for jobs in ("2", "1"))
    assert ahead.exit_code == here.exit_code == 2, ahead.output
    assert "is not a usable TrueType font" in ahead.stderr, ahead.stderr
    assert ahead.stderr == here.stderr
    assert not (project / "output" / "2017" / "KOR.pdf").exists()


def test_reportlab_address_pattern_is_compiled_when_first_used_and_answers_the_same() -> None:
    """briefs.render imports ReportLab's paragraphs with `uri_pat` lazy (~30 ms a process):
    re.compile is the standard one again after, a brief that breaks no address never
    compiles it, and once used it splits addresses exactly as the compiled pattern does."""
    import json

    out = json.loads(_fresh_python(
        "import json, re\n"
        "own = re.compile\n"
        "import briefs.render.document\n"
        "from reportlab.platypus import paragraph\n"
        "from briefs.render.rlimport import LazyPattern\n"
        "lazy = paragraph.uri_pat\n"
        "print(json.dumps([re.compile is own, isinstance(lazy, LazyPattern),\n"
        "                  lazy.compiled]))\n"))
    assert out == [True, True, False]
    from reportlab.platypus import paragraph

    from briefs.render.rlimport import LazyPattern

    compiled = re.compile(paragraph.uri_pat.pattern, paragraph.uri_pat.flags)
    lazy = LazyPattern(compiled.pattern, compiled.flags)
    for text in ("https://www.ilo.org/global/about-the-ilo/lang--en/index.htm", "ilo.org",
                 "http://例え.テスト/パス", "mailto:someone@example.org", "ftp://10.0.0.1:21/x",
                 "Lieferkettensorgfaltspflichtengesetz", "HTTPS://EXAMPLE.ORG/A/B", ""):
        mine, theirs = lazy.match(text), compiled.match(text)
        assert (mine and mine.groups()) == (theirs and theirs.groups()), text
    assert lazy.compiled and lazy.pattern == compiled.pattern


def test_a_worker_ready_to_draw_imports_nothing_more_for_its_first_brief(
        project: Path) -> None:
    """What the forker imports ahead (`import_drawing`) is all a brief imports: a worker's
    first brief imports no module of its own (codecs aside, which font files name), so
    none is imported once per worker."""
    import json
    import os
    import subprocess
    import sys

    script = ("import json, sys\n"
              "from pathlib import Path\n"
              "from briefs.build.forked import import_drawing\n"
              "import_drawing()\n"
              "from briefs.build.batch import plan_builds\n"
              "from briefs.build.run import render_job\n"
              f"jobs = plan_builds(Path({str(project)!r}), ('KOR',), 2017, skip_current=False,"
              " body=False).jobs\n"
              "before = set(sys.modules)\n"
              "outcome = render_job(jobs[0])\n"
              "print(json.dumps([outcome.status, sorted(set(sys.modules) - before)]))\n")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=project,
                          capture_output=True, text=True, check=True)
    status, imported = json.loads(done.stdout.splitlines()[-1])
    assert status == "built"
    assert [m for m in imported if not m.startswith("encodings.")] == []
