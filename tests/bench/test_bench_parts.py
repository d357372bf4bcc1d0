"""The bench's pure parts: wrk output, /proc parsing, the rows, targets and table, the stub and
fixture of the peer comparison, `--quick`. Nothing here measures or asserts a timing."""

import json
from pathlib import Path
from typing import Any

import pytest

from bench.__main__ import parse
from bench.bodies import CHAT, all_bodies
from bench.figures import all_rows, empty_runs
from bench.load import parse_wrk, wrk_argv
from bench.peers import (
    CANNED,
    CHUNK_CHARS,
    MATCH,
    aimock_fixture,
    npm_reason,
    stub_rule,
    write_fixtures,
)
from bench.procstat import (
    TICKS_PER_S,
    cpu_us_per_request,
    stat_cpu_ticks,
    status_rss_kb,
    tree,
    tree_cpu_s,
    tree_rss_mb,
)
from bench.report import growth, met, missed, ratio_of_ratios, row, table
from bench.run import events_in, sse_data_lines
from mockazure.stubs.rules import load_stub_files

WRK_OUT = """Running 5s test @ http://127.0.0.1:1234/openai/deployments/gpt-4o/chat/completions
  1 threads and 32 connections
BENCH {"requests":5000,"duration_us":2000000,"bytes":123,"socket_errors":0,"non2xx":3,"p50_us":6000,"p99_us":9000}
"""


def test_parse_wrk_reads_the_summary_and_derives_req_per_s() -> None:
    result = parse_wrk(WRK_OUT)
    assert result["requests"] == 5000
    assert result["rps"] == 2500.0
    assert (result["p50_us"], result["p99_us"], result["non2xx"]) == (6000, 9000, 3)


def test_parse_wrk_without_summary_says_so() -> None:
    with pytest.raises(ValueError, match="no BENCH line"):
        parse_wrk("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_wrk_argv_is_one_thread_with_the_script() -> None:
    argv = wrk_argv("http://h/x", 2.5, 32)
    assert argv[:4] == ["wrk", "-t1", "-c32", "-d2.5s"]
    assert argv[-1] == "http://h/x"
    assert argv[argv.index("-s") + 1].endswith("wrk.lua")


def test_stat_cpu_ticks_counts_fields_after_the_command_name() -> None:
    # comm may hold spaces and parentheses; utime=700, stime=55 are fields 14 and 15
    stat = "4242 (python (x) y) S 1 4242 4242 0 -1 4194304 900 0 0 0 700 55 0 0 20 0 3 0 1"
    assert stat_cpu_ticks(stat) == 755


def _fake_proc(root: Path, pid: int, ticks: int, kids: list[int], rss_kb: int) -> None:
    task = root / str(pid) / "task" / str(pid)
    task.mkdir(parents=True)
    (task / "children").write_text(" ".join(map(str, kids)))
    fields = ["S"] + ["0"] * 10 + [str(ticks), "0"] + ["0"] * 5
    (root / str(pid) / "stat").write_text(f"{pid} (uvicorn) " + " ".join(fields))
    (root / str(pid) / "status").write_text(f"Name:\tuvicorn\nVmRSS:\t  {rss_kb} kB\n")


def test_process_tree_cpu_sums_the_workers(tmp_path: Path) -> None:
    _fake_proc(tmp_path, 10, 100, [11, 12], 1000)
    _fake_proc(tmp_path, 11, 250, [], 2000)
    _fake_proc(tmp_path, 12, 50, [13], 2000)
    _fake_proc(tmp_path, 13, 0, [], 0)
    assert tree(10, tmp_path) == [10, 11, 12, 13]
    assert tree_cpu_s(10, tmp_path) == pytest.approx(400 / TICKS_PER_S)
    assert tree_rss_mb(10, tmp_path) == pytest.approx(5000 / 1024)


def test_status_rss_and_cpu_per_request() -> None:
    assert status_rss_kb("Name:\tx\nVmRSS:\t   81234 kB\nVmSwap:\t0 kB\n") == 81234
    assert status_rss_kb("Name:\tzombie\n") == 0
    assert cpu_us_per_request(1.0, 1.5, 2500) == pytest.approx(200.0)
    assert cpu_us_per_request(1.0, 1.0, 0) is None


def test_row_ratio_and_targets() -> None:
    r = row("chat", 400.0, "req/s", baseline="bare", of=500.0, target="ratio >= 0.8")
    assert (r["ratio"], r["met"]) == (0.8, True)
    start = row("start", 0.5, "s", target="value <= 0.4")
    assert start["met"] is False
    assert row("info", 1.0, "x")["met"] is None
    assert met({"target": "ratio >= 1", "ratio": None}) is None
    assert missed([r, start]) == ["start: value <= 0.4 (is 0.5)"]


def test_ratio_of_ratios_and_growth() -> None:
    both = ratio_of_ratios("scaling", (1600.0, 1000.0), (3200.0, 2000.0))
    assert both is not None
    assert (both["value"], both["baseline_value"], both["ratio"]) == (1.6, 1.6, 1.0)
    assert ratio_of_ratios("scaling", (1.0, 0.0), (1.0, 1.0)) is None
    assert growth([[1000, 200.0], [50000, 210.0]]) == pytest.approx(1.05)
    assert growth([[1000, 200.0]]) is None


def _wrk(rps: float, p50: int = 10_000, p99: int = 20_000, cpu: float = 300.0) -> dict[str, Any]:
    return {"rps": rps, "requests": int(rps * 5), "p50_us": p50, "p99_us": p99, "cpu_us": cpu}


def _run() -> dict[str, Any]:
    mock = {
        "chat": _wrk(800.0, cpu=900.0),
        "chat_sequential": _wrk(500.0, p50=1200, p99=2000),
        "chat_stream": _wrk(300.0),
        "stream_chunks_per_stream": 43,
        "embeddings_1": _wrk(600.0),
        "rss_idle_mb": 79.0,
        "rss_first_chat_mb": 110.0,
        "rss_after_load_mb": 200.0,
        "rss_series": [[10_000, 200.0], [100_000, 200.0]],
    }
    base = {
        "fastapi_app": _wrk(1000.0, cpu=250.0),
        "raw_app": _wrk(4000.0),
        "fastapi_sequential": _wrk(900.0, p50=1000, p99=1800),
        "sse_app": _wrk(250.0),
    }
    peers = {
        "stub_chat": _wrk(700.0),
        "aimock_chat": _wrk(1000.0),
        "stub_stream": _wrk(200.0),
        "aimock_stream": _wrk(400.0),
        "stub_events_per_stream": 15,
        "aimock_events_per_stream": 14,
    }
    scale = {
        "memory_1w": _wrk(800.0),
        "fastapi_1w": _wrk(1000.0),
        "redis_1w": _wrk(640.0),
        "redis_2w": _wrk(1280.0),
        "fastapi_2w": _wrk(1600.0),
    }
    startup = {"mockazure": {"median_s": 0.35}, "fastapi": {"median_s": 0.3}}
    imports = {"python": 0.02, "mockazure.clock": 0.03, "mockazure.pytest_plugin": 0.1}
    imports["mockazure.app"] = 0.9
    plugin = {"with_plugin": 1.1, "without_plugin": 1.0}
    return {
        "mockazure": mock,
        "baselines": base,
        "peers": peers,
        "scale": scale,
        "startup": startup,
        "imports": imports,
        "plugin": plugin,
    }


def test_rows_of_a_run_carry_their_baselines_cpu_and_targets() -> None:
    rows = {r["figure"]: r for r in all_rows(_run())}
    chat = rows["chat (generated) req/s"]
    assert (chat["ratio"], chat["met"], chat["cpu_us"], chat["baseline_cpu_us"]) == (
        0.8,
        True,
        900.0,
        250.0,
    )
    assert rows["sequential chat p50 (1 keep-alive client)"]["ratio"] == 1.2
    assert rows["chat p99 / p50 @ 32 connections"]["value"] == 2.0
    assert rows["streamed chat chunks/s"]["ratio"] == 1.2
    assert rows["embeddings, 1 input req/s"]["met"] is True
    assert rows["stubbed chat req/s"]["ratio"] == 0.7
    assert rows["stubbed streamed chat events/s"]["value"] == 3000.0
    assert rows["stubbed streamed chat events/s"]["baseline_value"] == 5600.0
    assert rows["chat, 1 worker on Redis req/s"]["ratio"] == 0.8
    assert rows["chat, 2 workers on Redis req/s"]["ratio"] == 1.6
    assert rows["2-worker scaling, mockazure (Redis) / FastAPI"]["ratio"] == 1.0
    assert rows["process start -> first chat 200 (median)"]["met"] is True
    assert rows["RSS last / first over 100,000 requests"]["met"] is True
    text = table(list(rows.values()))
    assert "µs/req" in text.splitlines()[0]
    assert "stubbed chat req/s" in text


def test_missing_parts_give_no_rows_and_empty_runs_a_note() -> None:
    run = _run()
    del run["peers"]["aimock_chat"]
    run["scale"] = {"skipped": "redis-server is not installed"}
    run["mockazure"]["embeddings_1"] = {**_wrk(0.0), "requests": 0}
    figures = [r["figure"] for r in all_rows(run)]
    assert "stubbed chat req/s" not in figures
    assert not any("Redis" in f for f in figures)
    assert empty_runs(run) == ["mockazure.embeddings_1: no request completed within the run"]


def test_sse_events_leave_out_done() -> None:
    text = 'data: {"a":1}\n\ndata: {"a":2}\n\ndata: [DONE]\n\n'
    assert sse_data_lines(text) == ['{"a":1}', '{"a":2}', "[DONE]"]
    assert events_in(text) == 2


def test_peer_stub_and_fixture_answer_the_bench_chat(tmp_path: Path) -> None:
    last_user = CHAT["messages"][-1]["content"]  # type: ignore[index]
    assert MATCH in last_user
    fixture, stubs = write_fixtures(tmp_path)
    assert json.loads(fixture.read_text()) == aimock_fixture()
    (rule,) = load_stub_files(stubs)  # a valid mockazure rule
    (answer,) = rule.responses
    assert answer.content == CANNED
    assert answer.stream is not None
    assert answer.stream.chunk_chars == CHUNK_CHARS
    assert stub_rule()[0]["match"] == {"operation": "chat_completions", "contains": MATCH}
    assert all_bodies()["chat"].path.startswith("/openai/deployments/gpt-4o/chat/completions?")


def test_quick_mode_is_short() -> None:
    quick = parse(["--quick", "--rss-requests", "100000"])
    assert (quick.duration, quick.startup_runs, quick.rss_requests) == (2.0, 1, 0)
    full = parse([])
    assert (full.duration, full.startup_runs, full.connections) == (8.0, 5, 32)


def test_npm_reason_is_the_error_code_line() -> None:
    stderr = "npm warn x\nnpm error code ECONNREFUSED\nnpm error errno ECONNREFUSED\n"
    assert npm_reason(stderr) == "npm error code ECONNREFUSED"
    assert npm_reason("") == "no output"
