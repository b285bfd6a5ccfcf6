"""Measurement arithmetic with a fake clock and fake streams, error paths against a local fake
server, hardware detection. The real end-to-end test is test_measure_llamacpp.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from _measure_helpers import advisor_cmd, cat, catalog_template, fake_openai_server, free_port, user_rows  # noqa: F401
from advisor.measure import (
    MeasureConfig, MeasureError, MeasureResult, RunStats, Target, build_prompt, consume_stream,
    count_text_tokens, litellm_model, measure_endpoint, measurement_row, redact_url, summarize,
)


class FakeClock:
    def __init__(self, times: list[float]):
        self.times = list(times)

    def __call__(self) -> float:
        return self.times.pop(0)


def _chunk(text: str | None = None, usage: dict | None = None) -> dict:
    d: dict = {"choices": [{"delta": {"content": text}}] if text is not None else []}
    if usage is not None:
        d["usage"] = usage
    return d


def test_consume_stream_arithmetic() -> None:
    # request sent at t=10.0; chunks arrive at 10.2 (empty role chunk), 10.5, 10.6, 10.7, 10.9, usage at 11.0
    chunks = [_chunk(""), _chunk("a"), _chunk("b"), _chunk("c"), _chunk("d"),
              _chunk(None, {"prompt_tokens": 100, "completion_tokens": 5})]
    clock = FakeClock([10.2, 10.5, 10.6, 10.7, 10.9, 11.0, 11.1])
    s = consume_stream(chunks, 10.0, clock=clock)
    assert s.ttft_s == pytest.approx(0.5)  # the empty delta does not count
    assert s.total_s == pytest.approx(1.1)
    assert (s.prompt_tokens, s.completion_tokens, s.tokens_estimated) == (100, 5, False)
    assert s.decode_tok_s == pytest.approx((5 - 1) / (0.9 - 0.5))
    assert s.prefill_tok_s == pytest.approx(100 / 0.5)


def test_consume_stream_without_usage_is_estimated() -> None:
    chunks = [_chunk("hello"), _chunk(" world")]
    s = consume_stream(chunks, 0.0, clock=FakeClock([1.0, 2.0, 2.5]), count=lambda t: len(t.split()) * 3)
    by_delta = consume_stream(chunks, 0.0, clock=FakeClock([1.0, 2.0, 2.5]), count=lambda t: None)
    assert (by_delta.completion_tokens, by_delta.tokens_estimated) == (2, True)
    assert s.tokens_estimated is True
    assert s.completion_tokens == 6
    assert s.decode_tok_s == pytest.approx(5 / 1.0)
    # a usage that litellm made up is ignored when the raw chunks carried none
    s2 = consume_stream([_chunk("x"), _chunk("y", {"completion_tokens": 99})], 0.0,
                        clock=FakeClock([1, 2, 3]), count=lambda t: 2, reported_usage=lambda: None)
    assert (s2.completion_tokens, s2.tokens_estimated) == (2, True)


def test_empty_deltas_between_texts_are_tokens() -> None:
    """A server may stream a token as "" (half a character, a special token): without usage,
    every delta from the first text to the last counts, the leading role chunk and the
    closing one do not."""
    chunks = [_chunk(""), _chunk("a"), _chunk(""), _chunk(""), _chunk("b"), {"choices": [{"delta": {}}]}]
    s = consume_stream(chunks, 0.0, clock=FakeClock([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]))
    assert (s.completion_tokens, s.tokens_estimated) == (4, True)


def test_llamacpp_timings_are_the_servers_counts() -> None:
    timings = {"cache_n": 2, "prompt_n": 10, "predicted_n": 7, "predicted_per_second": 50.0}
    chunks = [_chunk("a"), _chunk("b"), {"choices": [], "timings": timings}]
    s = consume_stream(chunks, 0.0, clock=FakeClock([0.1, 0.2, 0.3, 0.4]))
    assert (s.prompt_tokens, s.completion_tokens, s.tokens_estimated) == (12, 7, False)
    from advisor.measure.stream import last_usage

    assert last_usage(chunks) == {"prompt_tokens": 12, "completion_tokens": 7}
    assert last_usage([{"usage": {"completion_tokens": 3}}, {"timings": timings}]) == {"completion_tokens": 3}


@pytest.mark.parametrize("mode", ["ctx400", "ctxempty"])
def test_prompt_over_the_servers_context_is_named(mode: str) -> None:
    server = fake_openai_server(mode)
    try:
        cfg = MeasureConfig(model="m", api_base=f"http://127.0.0.1:{server.server_port}/v1", runs=1,
                            prompt_tokens=300, gen_tokens=4, timeout=10, warmup=False)
        with pytest.raises(MeasureError) as err:
            measure_endpoint(cfg)
        msg = str(err.value)
        assert "the prompt did not fit the server's context" in msg and "--prompt-tokens" in msg
        assert "malformed" not in msg and "\n" not in msg
        if mode == "ctx400":
            assert "exceeds the available context size (512 tokens)" in msg
        small = measure_endpoint(MeasureConfig(model="m", api_base=cfg.api_base, runs=1, prompt_tokens=8,
                                               gen_tokens=4, timeout=10, warmup=False))
        assert small.summary["completion_tokens"] >= 2  # a short prompt is measured
    finally:
        server.shutdown()


def test_single_token_has_no_decode_speed() -> None:
    s = consume_stream([_chunk("x", {"completion_tokens": 1, "prompt_tokens": 3})], 0.0, clock=FakeClock([1, 1.5]))
    assert s.decode_tok_s is None and s.ttft_s == 1


def test_summarize_medians_and_spread() -> None:
    runs = [RunStats(t, t + 1, t + 1.1, 100, 11, False) for t in (0.1, 0.3, 0.2)]
    s = summarize(runs)
    assert s["runs"] == 3
    assert (s["ttft_ms"], s["ttft_ms_min"], s["ttft_ms_max"]) == (200.0, 100.0, 300.0)
    assert s["decode_tok_s"] == pytest.approx(10.0)
    assert s["prefill_tok_s"] == pytest.approx(500.0)
    assert s["prompt_tokens"] == 100 and s["completion_tokens"] == 11 and s["tokens_estimated"] is False


def test_prompt_size_and_uniqueness() -> None:
    a, b = build_prompt(200, "some-model", 1), build_prompt(200, "some-model", 2)
    assert a.split("]")[0] != b.split("]")[0]  # runs differ from the first token on
    n = count_text_tokens(a, "some-model")[0]
    assert 200 <= n <= 215


def test_names_and_redaction() -> None:
    assert litellm_model("llama3", ["openai", "ollama"]) == "openai/llama3"
    assert litellm_model("ollama/llama3", ["openai", "ollama"]) == "ollama/llama3"
    assert litellm_model("meta-llama/Llama-3-8B", ["openai"]) == "openai/meta-llama/Llama-3-8B"
    assert redact_url("https://user:secret@host:8443/v1?key=abc") == "https://host:8443/v1"


def test_measurement_row_never_holds_the_key() -> None:
    cfg = MeasureConfig(model="m", api_base="http://u:pw@127.0.0.1:1/v1?api_key=SECRET", api_key="SECRET")
    runs = [RunStats(0.1, 0.5, 0.6, 40, 9, False)]
    res = MeasureResult(cfg, runs, summarize(runs), "2026-01-02T03:04:05+00:00", ["n"])
    row = measurement_row(res, Target("Llama-3-8B-Instruct", "NVIDIA GeForce RTX 4090", 1, "Q4_K_M", "vllm"))
    text = json.dumps(row)
    assert "SECRET" not in text and "pw" not in text
    assert row["measure_kind"] == "single_stream" and row["batch_size"] == "1" and row["context_depth"] == "0"
    assert "2026-01-02" in row["source"] and "http://127.0.0.1:1/v1" in row["source"] and "vllm" in row["source"]


# --------------------------------------------------------------------------- errors, fake server


@pytest.mark.parametrize("mode,needle", [
    ("http500", "HTTP 500"),
    ("garbage", "malformed"),
    ("empty", "no generated text"),
])
def test_endpoint_errors(mode: str, needle: str) -> None:
    server = fake_openai_server(mode)
    try:
        cfg = MeasureConfig(model="m", api_base=f"http://127.0.0.1:{server.server_port}/v1", runs=1,
                            prompt_tokens=8, gen_tokens=4, timeout=10)
        with pytest.raises(MeasureError) as err:
            measure_endpoint(cfg)
        assert needle in str(err.value)
        assert "\n" not in str(err.value)
    finally:
        server.shutdown()


def test_refused_connection() -> None:
    cfg = MeasureConfig(model="m", api_base=f"http://127.0.0.1:{free_port()}/v1", runs=1, prompt_tokens=8,
                        gen_tokens=4, timeout=5)
    with pytest.raises(MeasureError, match="cannot connect"):
        measure_endpoint(cfg)


def test_timeout() -> None:
    server = fake_openai_server("usage", n_tokens=3, delay=2.0)
    try:
        cfg = MeasureConfig(model="m", api_base=f"http://127.0.0.1:{server.server_port}/v1", runs=1,
                            prompt_tokens=8, gen_tokens=4, timeout=0.5, warmup=False)
        with pytest.raises(MeasureError, match="timed out"):
            measure_endpoint(cfg)
    finally:
        server.shutdown()


def test_cli_records_without_key_and_registers_unknown_model(cat) -> None:  # type: ignore[no-untyped-def]
    """Against the fake server (a real test runs llama.cpp): the key reaches the server but is
    never written; an unknown model is registered under its served name with the measurement,
    and the answer says in one line how to complete its facts."""
    server = fake_openai_server("usage")
    env = {**os.environ, "MY_TEST_KEY": "sk-test-SECRET-123"}
    base = f"http://127.0.0.1:{server.server_port}/v1"
    try:
        before = cat.stats()
        new = subprocess.run([*advisor_cmd(), "measure", "--model", "frobnicator-13b", "--api-base", base,
                              "--hardware", "RTX 4090", "--runs", "1", "--prompt-tokens", "40", "--gen-tokens", "6",
                              "--json"], capture_output=True, text=True, env=env, timeout=300)
        assert new.returncode == 0, new.stderr
        got = json.loads(new.stdout)
        assert got["recorded"] and got["new_model"] == "frobnicator-13b" == got["catalog_model"]
        assert any("advisor catalog add-model --name 'frobnicator-13b' --replace" in n for n in got["notes"])
        assert not any("SECRET" in a for a in server.handler.seen_auth)   # no --api-key-env: no key sent
        after = cat.stats()
        assert (after["models"], after["measurements"]) == (before["models"] + 1, before["measurements"] + 1)
        ok = subprocess.run([*advisor_cmd(), "measure", "--model", "Llama-3-8B-Instruct-Q4_K_M", "--api-base", base,
                             "--api-key-env", "MY_TEST_KEY", "--hardware", "RTX 4090", "--runs", "2",
                             "--prompt-tokens", "40", "--gen-tokens", "6", "--json"],
                            capture_output=True, text=True, env=env, timeout=300)
        assert ok.returncode == 0, ok.stderr
        out = json.loads(ok.stdout)
        assert set(out) == {"model", "api_base", "runs", "ttft_ms", "ttft_ms_min", "ttft_ms_max", "decode_tok_s",
                            "decode_tok_s_min", "decode_tok_s_max", "prefill_tok_s", "prompt_tokens",
                            "completion_tokens", "tokens_estimated", "total_s", "recorded", "measurement_id",
                            "catalog_model", "new_model", "notes"}
        assert out["new_model"] is None
        assert out["recorded"] is True and out["runs"] == 2 and out["tokens_estimated"] is False
        assert (out["prompt_tokens"], out["completion_tokens"]) == (40, 6)
        assert out["decode_tok_s"] > 0 and out["ttft_ms"] > 0
        assert "Bearer sk-test-SECRET-123" in server.handler.seen_auth
        assert "SECRET" not in ok.stdout + ok.stderr
        from advisor.catalog import forget_open_catalogs, open_catalog
        from advisor.catalog.seed_io import export

        forget_open_catalogs()
        again = open_catalog()
        rows = user_rows(again, "measurements")
        assert len(rows) == 2
        r = rows[1]
        assert (r["model"], r["quant"], r["hardware"], r["engine"]) == (
            "Llama-3-8B-Instruct", "Q4_K_M", "NVIDIA GeForce RTX 4090", "vllm")  # engine from /models owned_by
        assert "SECRET" not in export(again.engine, "json", None)
    finally:
        server.shutdown()


# --------------------------------------------------------------------------- hardware detection


def test_detect_hardware_never_crashes_and_is_fast(monkeypatch: pytest.MonkeyPatch, cat) -> None:  # type: ignore[no-untyped-def]
    from advisor import hardware_detect as hd

    t = time.perf_counter()
    det = hd.detect(refresh=True)
    elapsed = time.perf_counter() - t
    spec = det.spec
    assert spec.kind in ("cpu", "gpu", "apple")
    assert spec.name
    if det.catalog_name is None:
        assert "(detected)" in spec.name
    if det.bandwidth_measured:
        assert spec.mem_bandwidth_gbs and spec.mem_bandwidth_gbs > 0
        assert any("measured estimate" in n for n in det.notes)
    assert elapsed < 15  # < 1.5 s on an idle machine; the CI box is shared
    assert hd.detect_hardware() is det.spec  # cached

    # every probe failing still gives an answer
    def boom(*a, **k):  # type: ignore[no-untyped-def]
        raise OSError("no")

    monkeypatch.setattr(hd.subprocess, "run", boom)
    monkeypatch.setattr("builtins.open", boom)
    monkeypatch.setattr(hd, "measure_bandwidth_gbs", lambda *a, **k: None)
    det2 = hd.detect(refresh=True)
    assert det2.spec.kind == "cpu" and det2.spec.name


def test_detect_gpu_from_nvidia_smi(monkeypatch: pytest.MonkeyPatch, cat) -> None:  # type: ignore[no-untyped-def]
    from advisor import hardware_detect as hd

    class R:
        returncode = 0
        stdout = "NVIDIA GeForce RTX 4090, 24564 MiB\nNVIDIA GeForce RTX 4090, 24564 MiB\n"

    monkeypatch.setattr(hd.subprocess, "run", lambda *a, **k: R())
    det = hd.detect(refresh=True)
    assert det.catalog_name == "NVIDIA GeForce RTX 4090"
    assert det.spec.kind == "gpu" and det.spec.n_devices == 2 and det.spec.mem_bandwidth_gbs
    monkeypatch.setattr(hd, "_CACHE", None)


def test_import_of_measure_does_not_load_litellm() -> None:
    code = ("import sys, advisor.measure, advisor.cli_measure, advisor.hardware_detect, "
            "advisor.catalog.tools; print('litellm' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr
