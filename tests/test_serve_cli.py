"""``timeline-explorer serve`` up to the server: what it checks first, what each tab runs, the
warning off loopback. (The server itself, in a real browser: tests/browser/test_serve.py.)"""

from __future__ import annotations

import shlex
import shutil
import sys

import pytest

from model_support import SEEDS, run

pytest.importorskip("textual_serve", reason="the serve extra is not installed")


@pytest.fixture()
def served(monkeypatch):
    """Replace the server: record what it would serve and return at once."""
    calls: list[dict] = []

    def fake_serve(command, **options):
        calls.append({"command": command, **options})
        return 0

    monkeypatch.setattr("tui.web.serve", fake_serve)
    return calls


def test_each_tab_runs_open_with_the_same_source_and_options(served, capsys, tmp_path) -> None:
    corpus = tmp_path / "my corpus"
    shutil.copytree(SEEDS, corpus)
    status, _, err = run(["serve", str(corpus), "--actor", "qatar", "--actor", "China", "--from", "2019-07",
                          "--search=-withdraws", "--event", "july-12-letter", "--port", "8123"], capsys)
    assert status == 0, err
    (call,) = served
    assert call["host"] == "127.0.0.1" and call["port"] == 8123
    assert call["title"] == "Xinjiang at the UN, 2018–2019: five news reports"
    words = shlex.split(call["command"])
    assert words[:4] == [sys.executable, "-m", "tui", "open"]
    assert words[-2:] == ["--", str(corpus)]
    assert {"--actor=qatar", "--actor=China", "--from=2019-07", "--search=-withdraws",
            "--event=july-12-letter"} <= set(words)
    assert err == ""  # no warning on loopback


def test_the_command_each_tab_runs_parses_back_to_the_same_options(served, capsys) -> None:
    from tui.cli import build_parser

    run(["serve", "--actor", "qatar", "--to", "2019", "--search", '"hopping mad"'], capsys)
    words = shlex.split(served[0]["command"])[4:]
    args = build_parser("open").parse_args(["open", *words])
    assert args.actor == ["qatar"] and args.date_to == "2019" and args.search == '"hopping mad"'
    assert args.corpus is None  # the bundled corpus, as for serve


def test_a_corpus_with_problems_is_told_before_serving(served, capsys, tmp_path) -> None:
    (tmp_path / "corpus.json").write_text('{"format": "timeline-corpus/1", "events": [{"id": 3}]}')
    status, _, err = run(["serve", str(tmp_path)], capsys)
    assert status == 1
    assert "cannot be opened" in err and "corpus.json" in err
    assert served == []


def test_a_bad_filter_is_a_usage_error_before_serving(served, capsys) -> None:
    status, _, err = run(["serve", "--actor", "atlantis"], capsys)
    assert status == 2 and "--actor" in err and "atlantis" in err
    assert served == []


def test_another_address_is_served_with_a_warning(served, capsys) -> None:
    status, _, err = run(["serve", "--host", "0.0.0.0"], capsys)
    assert status == 0
    assert served[0]["host"] == "0.0.0.0"
    assert "warning" in err and "anyone who can reach" in err and "--token" in err
    assert served[0]["token"] is None


def test_token_makes_a_secret_for_the_run_and_silences_the_warning(served, capsys) -> None:
    status, _, err = run(["serve", "--host", "0.0.0.0", "--token"], capsys)
    run(["serve", "--token"], capsys)
    assert status == 0 and err == ""
    first, second = served[0]["token"], served[1]["token"]
    assert len(first) >= 24 and first != second


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                            ("[::1]", True), ("127.0.0.2", True), ("0.0.0.0", False),
                                            ("192.168.1.4", False), ("example.org", False), ("::", False)])
def test_loopback_addresses(host: str, loopback: bool) -> None:
    from tui.web import is_loopback

    assert is_loopback(host) is loopback


def test_a_port_out_of_range_is_a_usage_error(served, capsys) -> None:
    status, _, err = run(["serve", "--port", "70000"], capsys)
    assert status == 2 and "--port" in err
    assert served == []


def test_a_port_in_use_is_told_in_one_line(capsys) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status, out, err = run(["serve", "--port", str(port)], capsys)
    assert status == 1
    assert err.startswith("timeline-explorer serve: cannot listen on 127.0.0.1 port") and "in use" in err
    assert "Serving" not in out and "Traceback" not in err
