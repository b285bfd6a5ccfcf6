"""End to end against a REAL endpoint: a random-weight llama GGUF served by llama.cpp
(`python -m llama_cpp.server`), measured with `advisor measure`, recorded in the catalog, and
seen by `advisor catalog show` (and by the predictor as "measured", when it exposes `predict`)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from _measure_helpers import advisor_cmd, cat, catalog_template, free_port, import_tiny_model, user_rows  # noqa: F401

llama_cpp = pytest.importorskip("llama_cpp")


def _wait_ready(proc: subprocess.Popen, url: str, log: Path, deadline_s: float = 180) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise AssertionError(f"llama_cpp.server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"llama_cpp.server did not answer {url} in {deadline_s} s:\n{log.read_text()[-3000:]}")


def _predict_basis(model: str, quant: str, engine: str, hardware: str, prompt: int, gen: int) -> str | None:
    import advisor.predict as pred

    fn = getattr(pred, "predict", None)
    if fn is None:
        return None
    from advisor.schema import HardwareSpec, ModelSpec, PredictRequest, Workload

    req = PredictRequest(id="measured", model=ModelSpec(name=model), quant=quant, engine=engine,
                         hardware=HardwareSpec(name=hardware),
                         workload=Workload(prompt_tokens=prompt, gen_tokens=gen, batch_size=1))
    try:
        res = fn([req])
    except TypeError:
        res = fn(req)
    r = res[0] if isinstance(res, list) else res
    return r.basis


def test_measure_real_llamacpp_server(cat, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from advisor.benchmarks.gguf_random import TINY, write_random_llama

    # 1. register the random model through the import path (seed-format models.csv)
    imp = import_tiny_model(tmp_path)
    assert imp.returncode == 0, imp.stderr
    assert "imported 1 models rows" in imp.stdout

    # 2. a real GGUF, served by llama.cpp
    gguf_path = write_random_llama(tmp_path / "tiny-random-llama-F16.gguf", TINY, "f16")
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("w") as fh:
        server = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf_path), "--model_alias", TINY.name,
             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "512", "--n_threads", "2"],
            stdout=fh, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}/v1"
        _wait_ready(server, base + "/models", log)

        # 3. measure it
        before = len(user_rows(cat, "measurements"))
        run = subprocess.run(
            [*advisor_cmd(), "measure", "--model", TINY.name, "--api-base", base, "--runs", "2",
             "--gen-tokens", "16", "--prompt-tokens", "32", "--detect-hardware", "--quant", "F16", "--json"],
            capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr + log.read_text()[-2000:]
        out = json.loads(run.stdout)
        assert out["ttft_ms"] > 0 and out["decode_tok_s"] > 0 and out["prefill_tok_s"] > 0
        assert out["runs"] == 2 and out["recorded"] is True and out["measurement_id"]
        assert 2 <= out["completion_tokens"] <= 16  # max_tokens caps even an estimated count
        assert "[3/3]" in run.stderr  # progress went to stderr, JSON alone on stdout
    finally:
        _stop(server)

    # 4. exactly one new user measurement, visible in `catalog show`
    from advisor.catalog import forget_open_catalogs, open_catalog

    forget_open_catalogs()
    again = open_catalog()
    rows = user_rows(again, "measurements")
    assert len(rows) == before + 1
    row = rows[-1]
    assert (row["model"], row["quant"], row["measure_kind"], row["batch_size"]) == (TINY.name, "F16", "single_stream", 1)
    assert row["engine"] == "llama-cpp-python"  # guessed from /v1/models owned_by
    assert row["decode_tok_s"] == pytest.approx(out["decode_tok_s"])
    show = subprocess.run([*advisor_cmd(), "catalog", "show", TINY.name, "--json"], capture_output=True, text=True,
                          timeout=300)
    assert show.returncode == 0, show.stderr
    shown = json.loads(show.stdout)
    assert [m["origin"] for m in shown["measurements"]] == ["user"]
    assert shown["measurements"][0]["hardware"] == row["hardware"]
    assert "127.0.0.1" in shown["measurements"][0]["source"]

    # 5. the predictor treats it as measured (when the predictor exposes predict())
    basis = _predict_basis(TINY.name, "F16", row["engine"], row["hardware"], out["prompt_tokens"] or 32, 16)
    if basis is not None:
        assert basis == "measured"


def _serve(gguf_path: Path, alias: str, tmp_path: Path) -> tuple[subprocess.Popen, str, Path]:
    port = free_port()
    log = tmp_path / f"server-{alias}.log"
    with log.open("w") as fh:
        server = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf_path), "--model_alias", alias,
             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "512", "--n_threads", "2"],
            stdout=fh, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/v1"
    _wait_ready(server, base + "/models", log)
    return server, base, log


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=20)


def test_measure_an_unknown_model_registers_it_and_its_gguf_completes_it(cat, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`advisor measure --model openai/tiny` on a model the catalog has never seen: one
    measurement, recorded under the served name as a user model whose facts are unknown (the
    answer says how to complete them). Measured again with `--gguf FILE`: the model has its
    layers, heads and parameter count from the file, and `advisor predict` answers measured."""
    from advisor.benchmarks.gguf_random import TINY, write_random_llama

    gguf_path = write_random_llama(tmp_path / "tiny-random-llama-F16.gguf", TINY, "f16")
    server, base, log = _serve(gguf_path, "tiny", tmp_path)
    measure = [*advisor_cmd(), "measure", "--model", "openai/tiny", "--api-base", base, "--runs", "1",
               "--gen-tokens", "8", "--prompt-tokens", "32", "--json"]
    try:
        first = subprocess.run(measure, capture_output=True, text=True, timeout=600)
        assert first.returncode == 0, first.stderr + log.read_text()[-2000:]
        one = json.loads(first.stdout)
        assert one["recorded"] and one["new_model"] == "tiny"
        assert any("params_b unknown" in n and "--gguf FILE" in n for n in one["notes"])
        second = subprocess.run([*measure, "--gguf", str(gguf_path)], capture_output=True, text=True, timeout=600)
        assert second.returncode == 0, second.stderr + log.read_text()[-2000:]
        two = json.loads(second.stdout)
    finally:
        _stop(server)
    assert two["new_model"] == "tiny" and any("completed from" in n for n in two["notes"])
    from advisor.catalog import forget_open_catalogs, open_catalog

    forget_open_catalogs()
    again = open_catalog()
    rows = [r for r in user_rows(again, "measurements") if r["model"] == "tiny"]
    assert len(rows) == 2 and rows[1]["quant"] == "F16"            # the file's quantization
    shown = again.show("tiny")
    facts = shown["facts"]
    assert (facts["n_layers"], facts["n_heads"], facts["n_kv_heads"]) == (TINY.n_layers, TINY.n_heads, TINY.n_kv_heads)
    assert facts["params_b"] > 0 and "tiny-random-llama-F16.gguf" in shown["fact_sources"]["params_b"]
    basis = _predict_basis("tiny", "F16", rows[1]["engine"], rows[1]["hardware"], two["prompt_tokens"] or 32,
                           two["completion_tokens"] or 8)
    assert basis == "measured"
