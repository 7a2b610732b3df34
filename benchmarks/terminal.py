"""A program in a real terminal (tmux), for the benchmarks: start, type, read, time."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path


class Terminal:
    """One private tmux server running one program in a pane of the given size."""

    def __init__(self, width: int = 120, height: int = 40) -> None:
        self.tmux = shutil.which("tmux")
        if not self.tmux:
            raise SystemExit("the benchmarks need tmux (apt-get install tmux)")
        self.socket = f"bench-{uuid.uuid4().hex[:8]}"
        self.width, self.height = width, height

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([self.tmux, "-L", self.socket, *args], capture_output=True, text=True, check=check)

    def start(self, argv: list[str], env: dict[str, str], t0_file: Path | None = None,
              watch: list[tuple[str, Path]] | None = None) -> None:
        """Run ``argv`` in the pane; if ``t0_file``, the shell writes the start time (ns) there first.

        With ``watch=[(text, file), ...]``, the program's output is read as
        the terminal gets it, and the time at which each ``text`` first
        arrives is written to its ``file`` (see watch_output.py): the program
        starts only once that reader is listening.
        """
        assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        stamp = f"date +%s%N > {shlex.quote(str(t0_file))}; " if t0_file else ""
        go = None
        if watch:
            go = watch[0][1].with_name(watch[0][1].name + ".go")
            stamp = f"while [ ! -e {shlex.quote(str(go))} ]; do sleep 0.01; done; " + stamp
        command = f"{stamp}exec env -u COLUMNS -u LINES {assignments} {shlex.join(argv)}"
        self.run("-f", "/dev/null", "new-session", "-d", "-x", str(self.width), "-y", str(self.height),
                 "sh", "-c", command)
        if watch:
            ready = go.with_name(go.name + ".ready")
            pairs = [str(part) for text, out in watch for part in (text, out)]
            reader = shlex.join([sys.executable, str(Path(__file__).with_name("watch_output.py")), str(ready), *pairs])
            self.run("pipe-pane", "-O", reader)
            wait_for_file(ready, 30, lines=0)
            go.touch()

    def pid(self) -> int:
        return int(self.run("display", "-p", "#{pane_pid}").stdout.strip())

    def keys(self, *keys: str, pause: float = 0.05) -> None:
        for key in keys:
            self.run("send-keys", key)
            time.sleep(0.5 if key == "Escape" else pause)

    def type(self, text: str) -> None:
        self.run("send-keys", "-l", text)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", check=False).stdout

    def wait_for(self, text: str, timeout: float = 120.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        raise TimeoutError(f"{text!r} did not appear within {timeout}s:\n{self.screen()}")

    def close(self) -> None:
        self.run("kill-server", check=False)


def wait_for_file(path: Path, timeout: float = 300.0, lines: int = 1) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            content = path.read_text(encoding="utf-8").split()
            if len(content) >= lines:  # lines=0: the file exists
                return content
        time.sleep(0.005)
    raise TimeoutError(f"{path} was not written within {timeout}s")


def peak_rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def environment() -> dict[str, str]:
    """What is worth reporting beside the numbers."""
    info = {"cpus": str(os.cpu_count())}
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return info
