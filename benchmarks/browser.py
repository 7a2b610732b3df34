"""Time to the explorer on screen: in a browser through ``timeline-explorer serve``, beside a terminal.

    python benchmarks/browser.py --runs 5

Browser: a ``serve`` of the seed corpus is running; each run opens a new tab in
headless Chromium (the system's, driven by Playwright: the browser extra) and
times from the navigation's start until xterm.js's buffer shows "22 of 22
events" (read every 10 ms in the page), and until the page opens its websocket (which
starts the tab's app). This includes loading the page, its
script and font, the websocket, and starting the tab's own app process.

Terminal: the same corpus, started in a tmux pane of 120x40 by ``run.py``'s
``first_paint`` (from process start until the terminal receives that text).
Runs alternate, so that both see the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from run import APP, first_paint  # noqa: E402
from terminal import environment  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {configurable: true, set(value) {
  window.__terminal = value;
  Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
}});
"""
SHOWS = """(text) => {
  const t = window.__terminal;
  if (!t) return false;
  const b = t.buffer.active;
  for (let y = 0; y < t.rows; y++) {
    const line = b.getLine(b.viewportY + y);
    if (line && line.translateToString(true).includes(text)) return true;
  }
  return false;
}"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([*APP, "serve", str(ROOT / "seeds"), "--port", str(port)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, start_new_session=True,
                              env={**os.environ, "TIMELINE_EXPLORER_KEYMAP": "/nonexistent"})
    server.stdout.readline()
    time.sleep(1)
    browser_ms, socket_ms, terminal_ms = [], [], []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            for _ in range(args.runs):
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                page = context.new_page()
                page.add_init_script(CATCH_TERMINAL)
                opened: list[float] = []
                page.on("websocket", lambda ws: opened.append(time.perf_counter()))
                t0 = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/")
                while not page.evaluate(SHOWS, "22 of 22 events"):
                    time.sleep(0.01)
                browser_ms.append((time.perf_counter() - t0) * 1000)
                socket_ms.append((opened[0] - t0) * 1000)
                context.close()
                time.sleep(0.5)  # the tab's app ends
                terminal_ms.append(first_paint(APP + [str(ROOT / "seeds")], "22 of 22 events")[0])
            browser.close()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(15)

    def summary(values: list[float]) -> dict:
        return {"median": round(statistics.median(values)), "min": round(min(values)), "max": round(max(values))}

    print(json.dumps({"environment": environment(), "runs": args.runs, "browser_page_to_explorer_ms": summary(browser_ms),
                      "browser_page_to_websocket_ms": summary(socket_ms),
                      "terminal_first_screen_ms": summary(terminal_ms)}, indent=2))
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
