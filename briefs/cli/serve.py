"""`briefs serve`: the officer's desk, a live preview in the browser (briefs.serve).

Bound to 127.0.0.1 unless --host names another address, which is then warned about: the
desk has no password, and every brief it shows is readable by whoever can reach it.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import webbrowser
from pathlib import Path

import click

from briefs.cli.reporting import reported
from briefs.errors import WorkError

LOOPBACK = "127.0.0.1"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: any free port), or a WorkError saying why."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(64)
    except OSError as exc:
        raise WorkError(f"cannot listen on {host}:{port}: {exc.strerror or exc} — choose "
                        "another port with --port") from exc
    return sock


@click.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="The port (0: any free one).")
@click.option("--host", metavar="ADDRESS",
              help="Listen on this address instead of 127.0.0.1 (this machine only).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the browser.")
@click.pass_obj
@reported
def serve(project: Path, port: int, host: str | None, open_browser: bool) -> None:
    """A live preview of the briefs in the browser, rebuilt as you save; writes only output/."""
    import uvicorn

    from briefs.serve.app import create_app

    address = host or LOOPBACK
    if not is_loopback(address):
        click.echo(f"warning: serving on {address}: anyone who can reach this machine there "
                   "can read every brief — the desk has no password", err=True)
    sock = listen(address, port)
    bound = sock.getsockname()[1]
    url = f"http://{address if ':' not in address else f'[{address}]'}:{bound}/"
    click.echo(f"serving {project.resolve()} at {url} — press Ctrl+C to stop", err=True)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, (url,)).start()
    config = uvicorn.Config(create_app(project), log_level="warning", lifespan="on",
                            timeout_graceful_shutdown=1)
    uvicorn.Server(config).run(sockets=[sock])
