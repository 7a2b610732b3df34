"""End to end: ``timeline-explorer serve`` in a real browser.

The server runs as the installed command on a free port; headless Chromium (the
system's: Debian's ``chromium`` package; ``playwright install`` is never run)
opens the page through Playwright, keys go in, and the screen's text is read back
from xterm.js's buffer in the page. Every request the page makes is recorded (and
any beyond the loopback address refused): the page must load nothing from outside.

Missing Chromium or Playwright skips these tests, unless TIMELINE_EXPLORER_REQUIRE
names ``browser`` (CI does): then it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from model_support import require_or_skip

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
COMMAND = Path(sys.executable).parent / "timeline-explorer"
CHROMIUM = os.environ.get("TIMELINE_EXPLORER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TITLE = "Xinjiang at the UN, 2018–2019: five news reports"

# xterm.js's Terminal is not published by textual-serve's script: catch it as its constructor
# assigns it (``this.terminal = new Terminal(...)``), so that the test reads the screen's text.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {configurable: true, set(value) {
  window.__terminal = value;
  Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
}});
"""
SCREEN_TEXT = """() => {
  const t = window.__terminal;
  if (!t) return "";
  const buffer = t.buffer.active, rows = [];
  for (let y = 0; y < t.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _descendants(pid: int) -> set[int]:
    """The processes under ``pid`` (Linux's /proc)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"{what} within {timeout}s")


@pytest.fixture()
def playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_or_skip("browser", "Playwright is not installed (pip install -e '.[browser]')")
    if not Path(CHROMIUM).is_file():
        require_or_skip("browser", f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        import textual_serve  # noqa: F401
    except ImportError:
        require_or_skip("browser", "textual-serve is not installed (pip install -e '.[serve]')")
    with sync_playwright() as p:
        yield p


class Served:
    """``timeline-explorer serve`` on a free port, as a process of its own."""

    def __init__(self, tmp_path: Path, *argv: str) -> None:
        assert COMMAND.exists(), f"{COMMAND} is not installed: pip install -e '.[browser]'"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = {**os.environ, "TIMELINE_EXPLORER_KEYMAP": str(tmp_path / "no-keymap.toml"),
               "TIMELINE_EXPLORER_CACHE": str(tmp_path / "cache"), "TIMELINE_EXPLORER_DATA": str(tmp_path / "data")}
        self.process = subprocess.Popen([str(COMMAND), "serve", *argv, "--port", str(self.port)],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                                        start_new_session=True)
        self.first_line = self.process.stdout.readline()
        assert self.first_line.startswith("Serving "), self.first_line + self.process.stdout.read()
        _wait(self._listening, 10, f"nothing listens on port {self.port}")

    def _listening(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        except OSError:
            return False
        return True

    def stop(self) -> tuple[int, str]:
        """Ctrl-C, as a user stops it; (exit status, what it printed)."""
        if self.process.returncode is not None:
            return self.process.returncode, self.printed
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(15)
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            self.printed = self.process.stdout.read()
        return code, self.printed


class _OtherSite:
    """Another web site (another origin: another port) with an empty page, in a thread."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Page(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = b"<!DOCTYPE html><title>another site</title>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", folder)
    return folder


def test_the_explorer_in_a_browser_offline(playwright, corpus: Path, tmp_path: Path) -> None:
    served = Served(tmp_path, str(corpus))
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        assert TITLE in served.first_line and served.url in served.first_line
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served.url.rstrip("/"))
        page = context.new_page()
        requests: list[str] = []

        def record(route) -> None:
            url = route.request.url
            requests.append(url)
            if urlsplit(url).hostname == "127.0.0.1":
                route.continue_()
            else:
                route.abort()

        context.route("**/*", record)  # this tab and any it opens
        sockets: list[str] = []
        page.on("websocket", lambda ws: sockets.append(ws.url))
        page.add_init_script(CATCH_TERMINAL)

        def screen() -> str:
            return page.evaluate(SCREEN_TEXT)

        def wait_for(text: str, timeout: float = 20.0) -> str:
            deadline = time.monotonic() + timeout
            shown = ""
            while time.monotonic() < deadline:
                shown = screen()
                if text in shown:
                    return shown
                time.sleep(0.05)
            raise AssertionError(f"{text!r} did not appear within {timeout}s; the page shows:\n{shown}")

        page.goto(served.url)
        assert page.title() == f"{TITLE} · Timeline Explorer"
        shown = wait_for("22 of 22 events")
        assert "Mass detention of Uighurs" in shown and "Qatar" in shown
        app_processes = _descendants(served.process.pid)
        assert app_processes, "no app process runs for the tab"
        page.locator(".xterm-helper-textarea").focus()

        page.keyboard.press("j")
        wait_for("Mass detention of Uighurs and other Muslims")  # the second event, in the detail pane

        page.keyboard.press("/")
        page.keyboard.type("withdraws")
        page.keyboard.press("Enter")
        wait_for("search “withdraws”")
        page.keyboard.press("Enter")
        shown = wait_for("Quote 1/")  # the document view, on the quote
        assert "Qatar withdraws" in shown and "theprint.in" in shown
        with context.expect_page() as opened:
            page.keyboard.press("O")  # the document's web page, in a new tab
        wait_for("Opened in a new tab")
        link = "https://theprint.in/world/qatar-refuses-to-certify-chinas-human-rights-record-on-treatment-of-uighur-muslims/279851/"
        _wait(lambda: link in requests, 10, "the new tab did not ask for the document's address")
        requests.remove(link)  # asked for by the user, and refused here, as everything outside
        opened.value.close()
        page.keyboard.press("Escape")
        wait_for("search “withdraws”")
        page.keyboard.press("m")  # marked in the corpus's sidecar, as in a terminal
        notes_file = corpus / "corpus.notes.json"
        _wait(notes_file.exists, 10, "no notes sidecar was written")
        marks = json.loads(notes_file.read_text(encoding="utf-8"))
        assert "qatar-withdraws" in json.dumps(marks), marks

        page.keyboard.press("y")
        copied = _wait(lambda: page.evaluate("navigator.clipboard.readText()"), 10, "y copied nothing")
        assert "Qatar withdrew" in copied, copied

        page.screenshot(path=str(tmp_path / "browser.png"))
        if os.environ.get("TIMELINE_EXPLORER_SCREENSHOT"):
            page.screenshot(path=os.environ["TIMELINE_EXPLORER_SCREENSHOT"])

        outside = [url for url in requests + sockets if urlsplit(url).hostname != "127.0.0.1"]
        assert outside == []
        assert any(url.endswith("/static/js/textual.js") for url in requests)
        assert any("RobotoMono" in url for url in requests)  # the font came from the server
        assert sockets and sockets[0].startswith(f"ws://127.0.0.1:{served.port}/ws")

        page.close()  # closing the tab ends its app
        _wait(lambda: not any(_alive(pid) for pid in app_processes), 15, "the tab's app did not end")

        # Another tab, open when the server is stopped: Ctrl-C ends its app too.
        page = context.new_page()
        page.add_init_script(CATCH_TERMINAL)
        page.goto(served.url)
        wait_for("22 of 22 events")
        app_processes = _descendants(served.process.pid)
        assert app_processes
        code, printed = served.stop()
        _wait(lambda: not any(_alive(pid) for pid in app_processes), 15, "Ctrl-C left an app running")
    finally:
        browser.close()
        code, printed = served.stop()
    assert code == 0, printed
    assert "Traceback" not in printed, printed


def test_another_sites_page_cannot_reach_the_app(playwright, corpus: Path, tmp_path: Path) -> None:
    """A page of another origin open in the same browser may not connect to the explorer's websocket,
    nor reach it under another host name (DNS rebinding)."""
    from urllib.error import HTTPError
    from urllib.request import Request, urlopen

    served = Served(tmp_path, str(corpus))
    try:
        with pytest.raises(HTTPError) as refused:
            urlopen(Request(served.url, headers={"Host": f"attacker.example:{served.port}"}), timeout=5)
        assert refused.value.code == 403
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        other = _OtherSite()
        try:
            page = browser.new_page()
            page.goto(other.url)
            probe = """(url) => new Promise(resolve => {
                const ws = new WebSocket(url);
                ws.onopen = () => { ws.close(); resolve("open"); };
                ws.onerror = () => resolve("refused");
            })"""
            outcome = page.evaluate(probe, f"ws://127.0.0.1:{served.port}/ws?width=80&height=24")
            assert outcome == "refused"
            assert not _descendants(served.process.pid), "an app was started for another site"
            # The explorer's own page may.
            page.goto(served.url)
            assert page.evaluate(probe, f"ws://127.0.0.1:{served.port}/ws?width=80&height=24") == "open"
        finally:
            other.close()
            browser.close()
    finally:
        code, printed = served.stop()
    assert code == 0, printed


def test_with_a_token_only_the_printed_address_opens_the_explorer(playwright, corpus: Path, tmp_path: Path) -> None:
    import re
    from urllib.error import HTTPError
    from urllib.request import urlopen

    served = Served(tmp_path, str(corpus), "--token")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        printed = re.search(r"on (http://\S+) ", served.first_line).group(1)
        token = printed.split("?token=", 1)[1]
        assert printed == f"{served.url}?token={token}" and len(token) >= 24
        for wrong in (served.url, f"{served.url}?token=x{token}", f"{served.url}?token=%C3%A9",
                      f"{served.url}static/js/textual.js"):
            with pytest.raises(HTTPError) as refused:
                urlopen(wrong, timeout=5)
            assert refused.value.code == 403

        stranger = browser.new_page()
        assert stranger.goto(served.url).status == 403
        assert "needs its token" in stranger.content()

        page = browser.new_context().new_page()
        page.add_init_script(CATCH_TERMINAL)
        page.goto(printed)  # the cookie it sets lets the script, the font and the websocket through

        def shows_explorer() -> bool:
            return "22 of 22 events" in page.evaluate(SCREEN_TEXT)

        _wait(shows_explorer, 20, "the explorer did not appear with its token")
        assert _descendants(served.process.pid)
    finally:
        browser.close()
        code, printed_out = served.stop()
    assert code == 0, printed_out


def test_two_tabs_mark_into_one_sidecar(playwright, corpus: Path, tmp_path: Path) -> None:
    """Each tab is its own app on the same corpus: marks made in both are kept, neither overwrites the other."""
    served = Served(tmp_path, str(corpus))
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        tabs = []
        for _ in range(2):
            page = context.new_page()
            page.add_init_script(CATCH_TERMINAL)
            page.goto(served.url)
            _wait(lambda page=page: "22 of 22 events" in page.evaluate(SCREEN_TEXT), 20, "no explorer")
            page.locator(".xterm-helper-textarea").focus()
            tabs.append(page)
        first, second = tabs
        first.keyboard.press("m")  # the first event
        _wait(lambda: "1 marked" in first.evaluate(SCREEN_TEXT), 10, "the first tab's mark is not shown")
        second.keyboard.press("j")
        second.keyboard.press("m")  # the second event, in the other app (which has not seen the first mark)
        # The second app merges what the first wrote before writing (or, if it wrote first, reads the first's
        # at its next poll of the file): it counts both marks. A loaded machine is given time for both.
        try:
            _wait(lambda: "2 marked" in second.evaluate(SCREEN_TEXT), 20, "the second tab does not count both marks")
        except AssertionError as exc:  # what each tab shows says which side missed what
            raise AssertionError(f"{exc}\nfirst tab:\n{first.evaluate(SCREEN_TEXT)}\n"
                                 f"second tab:\n{second.evaluate(SCREEN_TEXT)}") from None
        notes_file = corpus / "corpus.notes.json"

        def both_marked() -> bool:
            text = notes_file.read_text(encoding="utf-8") if notes_file.exists() else ""
            return "past-unrest-in-xinjiang" in text and "detentions-since-2017" in text

        _wait(both_marked, 10, f"the sidecar lost a tab's mark: {notes_file.read_text(encoding='utf-8')}")
    finally:
        browser.close()
        code, printed = served.stop()
    assert code == 0, printed
