"""Read a program's terminal output (``tmux pipe-pane -O``) and note when texts first show.

    python watch_output.py READY TEXT OUT [TEXT OUT ...]

Touches READY once it is listening, then for each TEXT writes to its OUT the
time (ns since the epoch) at which the bytes that complete it arrived, escape
sequences (colours, cursor moves) left aside; then drains its input until tmux
closes the pipe.
"""

import os
import re
import sys
import time

ESCAPES = re.compile(rb"\x1b(?:\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])")


def main() -> int:
    ready, pairs = sys.argv[1], sys.argv[2:]
    waiting = {pairs[i].encode(): pairs[i + 1] for i in range(0, len(pairs), 2)}
    open(ready, "w").close()
    seen = b""
    stdin = sys.stdin.buffer.raw
    while waiting:
        chunk = stdin.read(1 << 16)
        if not chunk:
            return 0
        arrived = time.time_ns()
        seen += chunk
        plain = ESCAPES.sub(b"", seen)
        for text in [t for t in waiting if t in plain]:
            out = waiting.pop(text)
            with open(out + ".tmp", "w") as handle:
                handle.write(f"{arrived}\n")
            os.replace(out + ".tmp", out)
        seen = seen[-(1 << 16):]  # enough to hold a text across reads, escapes and all
    while stdin.read(1 << 16):
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
