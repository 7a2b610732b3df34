"""A local Spark Connect server for the tests (and the benchmarks): pyspark's own jars, run by its
``spark-daemon.sh`` (pyspark 4.0's wheel has no ``start-connect-server.sh``), on loopback."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

CONNECT_SERVER = "org.apache.spark.sql.connect.service.SparkConnectServer"


def unavailable() -> str:
    """Why no Spark Connect server can start here ("" when one can)."""
    try:
        import pyspark  # noqa: F401
        from pyspark.sql.connect import session  # noqa: F401
    except ImportError as exc:
        return f"pyspark with Spark Connect is not installed ({exc.name}): pip install '.[spark]'"
    if shutil.which("java") is None:
        return "Java is not installed (apt-get install openjdk-17-jre-headless)"
    return ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SparkConnectServer:
    def __init__(self, folder: Path, cores: int = 2) -> None:
        import pyspark

        self.home = Path(pyspark.__file__).parent
        self.folder = folder
        self.port = _free_port()
        self.cores = cores
        self.env = {**os.environ, "SPARK_HOME": str(self.home), "SPARK_LOG_DIR": str(folder / "logs"),
                    "SPARK_PID_DIR": str(folder / "pids"), "SPARK_LOCAL_IP": "127.0.0.1",
                    "SPARK_IDENT_STRING": f"te-{self.port}"}

    @property
    def url(self) -> str:
        return f"sc://127.0.0.1:{self.port}"

    def _daemon(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", str(self.home / "sbin" / "spark-daemon.sh"), *args], env=self.env,
                              capture_output=True, text=True, timeout=120)

    def start(self, timeout: float = 120.0) -> None:
        done = self._daemon("submit", CONNECT_SERVER, "1", "--master", f"local[{self.cores}]",
                            "--conf", f"spark.connect.grpc.binding.port={self.port}",
                            "--conf", "spark.connect.grpc.binding.address=127.0.0.1",
                            "--conf", "spark.ui.enabled=false", "--conf", "spark.sql.shuffle.partitions=4",
                            "--conf", f"spark.local.dir={self.folder / 'local'}",
                            "--driver-memory", "2g")
        if done.returncode != 0:
            raise RuntimeError(done.stderr.strip() or done.stdout.strip())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.5)
        self.stop()
        logs = "\n".join(p.read_text(errors="replace")[-2000:] for p in (self.folder / "logs").glob("*.out"))
        raise RuntimeError(f"no answer on port {self.port} after {timeout:.0f} s; its log ends: {logs[-1500:]}")

    def stop(self) -> None:
        self._daemon("stop", CONNECT_SERVER, "1")
