"""Read a program's terminal output (``tmux pipe-pane -O``) and note when a text first shows.

    python watch_output.py TEXT OUT READY

Touches READY once it is listening, then writes to OUT the time (ns since the
epoch) at which the bytes that complete TEXT arrived, escape sequences (colours,
cursor moves) left aside; then drains its input until tmux closes the pipe.
"""

import os
import re
import sys
import time

ESCAPES = re.compile(rb"\x1b(?:\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])")


def main() -> int:
    text, out, ready = sys.argv[1].encode(), sys.argv[2], sys.argv[3]
    open(ready, "w").close()
    seen = b""
    stdin = sys.stdin.buffer.raw
    while True:
        chunk = stdin.read(1 << 16)
        if not chunk:
            return 0
        arrived = time.time_ns()
        seen += chunk
        if text in ESCAPES.sub(b"", seen):
            with open(out + ".tmp", "w") as handle:
                handle.write(f"{arrived}\n")
            os.replace(out + ".tmp", out)
            break
        seen = seen[-(1 << 16):]  # enough to hold the text across reads, escapes and all
    while stdin.read(1 << 16):
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
