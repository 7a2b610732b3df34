"""``timeline-explorer serve``: the explorer in a browser, through textual-serve.

Every browser tab that connects gets its own app process (``timeline-explorer open``
with the options ``serve`` was given), shown through xterm.js; closing the tab ends
that process. The page is ours (``templates/app_index.html``): everything it loads
comes from this server (textual-serve's scripts, styles and its bundled Roboto Mono),
nothing from the network. textual-serve is the ``serve`` extra.

The server guards what a local web server must: a page of another site open in the
same browser may not connect to the app (the websocket's Origin must be this server),
and on a loopback address a request must name a loopback host (no DNS rebinding).
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import logging
import os
import shlex
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["TEMPLATES", "app_command", "is_loopback", "serve"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
COOKIE = "timeline_explorer_token"
_LOOPBACK_NAMES = {"localhost", "localhost.", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    """Is ``host`` (a name or an address, as --host takes it) this machine only?"""
    host = host.strip("[]")
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_command(open_args: list[str]) -> str:
    """The shell command textual-serve runs for each connection: this interpreter running
    ``timeline-explorer open`` with ``open_args``, every word quoted."""
    return shlex.join([sys.executable, "-m", "tui", "open", *open_args])


def _host_of(value: str) -> str:
    """The host name of a Host header (``name:port``, ``[::1]:port``)."""
    return (urlsplit(f"//{value}").hostname or "").lower()


def serve(command: str, *, host: str, port: int, title: str, token: str | None = None, out=None) -> int:
    """Serve ``command`` on ``host:port`` until Ctrl-C (or SIGTERM); the exit status.

    With ``token``, every request must carry it: the first in the address (``/?token=...``), which
    answers with a cookie (HttpOnly, SameSite=Strict) that the page's later requests and its
    websocket carry."""
    from aiohttp import web
    from textual_serve.server import Server

    out = out or sys.stdout
    loopback = is_loopback(host)

    @web.middleware
    async def guard(request: web.Request, handler):
        if loopback and not is_loopback(_host_of(request.host)):
            raise web.HTTPForbidden(text="this server answers to its loopback address only")
        if request.path == "/ws":
            origin = request.headers.get("Origin", "")
            parts = urlsplit(origin)
            if not origin or parts.netloc.lower() != request.host.lower():
                raise web.HTTPForbidden(text="the explorer may be reached from its own page only")
        if token is None:
            return await handler(request)
        secret = token.encode()
        given = request.query.get("token")
        if given is not None and hmac.compare_digest(given.encode(), secret):
            response = await handler(request)
            if not response.prepared:  # a page, not the websocket (already answered)
                response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/")
            return response
        if hmac.compare_digest(request.cookies.get(COOKIE, "").encode(), secret):
            return await handler(request)
        raise web.HTTPForbidden(text="this explorer needs its token: open the address that "
                                     "`timeline-explorer serve` printed, with ?token=...")

    class ExplorerServer(Server):
        sessions: set[asyncio.Task] = set()

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            task = asyncio.current_task()
            self.sessions.add(task)
            try:
                return await super().handle_websocket(request)
            finally:
                self.sessions.discard(task)

        async def on_shutdown(self, app: web.Application) -> None:
            # Ctrl-C: end every tab's session now (textual-serve then tells its app to quit and
            # waits for it); otherwise aiohttp would wait a minute for the open websockets.
            sessions = list(self.sessions)
            for task in sessions:
                task.cancel()
            if sessions:
                await asyncio.wait(sessions, timeout=10)

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.append(guard)
            return app

        def initialize_logging(self) -> None:
            super().initialize_logging()
            # A line per request is noise for a reader of the terminal; problems are still logged.
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

        async def on_startup(self, app: web.Application) -> None:
            shown = socket.gethostname() if host in ("0.0.0.0", "::", "") else host
            shown = f"[{shown}]" if ":" in shown else shown
            query = f"?token={token}" if token else ""
            out.write(f"Serving {title} on http://{shown}:{port}/{query} (Ctrl-C stops the server)\n")
            out.flush()

    # Is the address free? Told before "Serving ..." is printed (textual-serve prints at start-up,
    # before it binds), as one line.
    try:
        socket.create_server((host.strip("[]"), port), reuse_port=False).close()
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        sys.stderr.write(f"timeline-explorer serve: cannot listen on {host} port {port}: {reason} "
                         "(fix: choose another --port, or stop what uses it)\n")
        return 1
    server = ExplorerServer(command, host=host, port=port, title=title, templates_path=TEMPLATES)
    # textual-serve takes the current event loop; make one (there is none in the main thread).
    asyncio.set_event_loop(asyncio.new_event_loop())
    try:
        server.serve()
    except OSError as exc:
        sys.stderr.write(f"timeline-explorer serve: cannot listen on {host} port {port}: {exc.strerror or exc}\n")
        return 1
    return 0
