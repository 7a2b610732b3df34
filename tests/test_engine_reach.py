"""An engine that cannot be reached, or reached but silent, is said so in one line, soon: never a
hang, never a traceback, never a password."""

from __future__ import annotations

import socket
import time

import pytest
from model_support import SEEDS, require_or_skip, run

from tui.model.engine import backends
from tui.model.engine.backends import EngineError, connect


@pytest.fixture
def pyspark():
    try:
        import pyspark.sql.connect  # noqa: F401
    except ImportError:
        require_or_skip("spark", "pyspark (the spark extra) is not installed")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_nothing_listening_is_unreachable_at_once(pyspark):
    started = time.monotonic()
    with pytest.raises(EngineError, match=r"cannot reach the Spark Connect server at 127\.0\.0\.1:\d+ .*is it running"):
        connect(f"sc://127.0.0.1:{closed_port()}")
    assert time.monotonic() - started < 5


def test_a_server_that_accepts_but_never_answers_is_given_up_on(pyspark, monkeypatch):
    monkeypatch.setattr(backends, "ANSWER_SECONDS", 2.0)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        started = time.monotonic()
        with pytest.raises(EngineError, match="accepted the connection but did not answer within 2 s"):
            connect(f"sc://127.0.0.1:{silent.getsockname()[1]}")
        assert time.monotonic() - started < 15


@pytest.mark.spark
def test_a_silent_server_does_not_stand_in_for_the_next_one(pyspark, spark_url, monkeypatch):
    """pyspark keeps the session it made last and hands it back for any URL: a second connect, to a
    server that answers, must reach that server and not the silent one before it."""
    monkeypatch.setattr(backends, "ANSWER_SECONDS", 2.0)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        with pytest.raises(EngineError, match="did not answer"):
            connect(f"sc://127.0.0.1:{silent.getsockname()[1]}")
    monkeypatch.setattr(backends, "ANSWER_SECONDS", 60.0)
    backend = connect(spark_url)
    assert backend.sql("SELECT 41 + 1 AS n").execute()["n"].tolist() == [42]


def test_the_command_line_says_it_in_one_line_and_exits_1(pyspark, capsys):
    status, out, err = run(["check", str(SEEDS), "--engine", f"sc://analyst:hunter2@127.0.0.1:{closed_port()}"], capsys)
    said = out + err
    assert status == 1
    assert "cannot reach the Spark Connect server" in said and "Traceback" not in said
    assert "hunter2" not in said and "analyst:***@" in said


def test_a_transport_error_is_told_by_its_details():
    error = RuntimeError('<_InactiveRpcError of RPC that terminated with:\n\tstatus = StatusCode.UNAVAILABLE\n'
                         '\tdetails = "failed to connect to all addresses"\n\tdebug_error_string = "..."\n>')
    assert backends._first_line(error) == "failed to connect to all addresses"
    assert backends._first_line(ValueError("one\ntwo")) == "one"


def test_a_port_that_is_not_a_number_is_a_located_mistake(pyspark):
    with pytest.raises(EngineError, match="the port is not a number"):
        connect("sc://127.0.0.1:notaport")
