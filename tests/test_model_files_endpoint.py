"""What servers say about the model they serve: (a) the parsers of
`advisor/catalog/model_files/endpoint.py` on the documented answers in `tests/fixtures/endpoints/`
(its README says where each field is documented); (b) `introspect_endpoint` against fake servers
on 127.0.0.1 that answer with those files, and against a REAL llama-cpp-python server serving a
random-weight GGUF (it is not llama.cpp's server: it answers `/v1/models` only, without `meta`)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from _measure_helpers import free_port
from advisor.catalog.model_files.endpoint import (
    ServerFacts, ollama_tag, parse_llamacpp_props, parse_ollama_show, parse_openai_models)
from advisor.measure.introspect import bare_model_name, introspect_endpoint, request_json, server_root

FIXTURES = Path(__file__).parent / "fixtures" / "endpoints"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


# --------------------------------------------------------------------------- (a) parsers


def test_llamacpp_v1_models_meta() -> None:
    # tools/server/README.md, "GET /v1/models": owned_by "llamacpp"; meta.n_params, n_ctx_train, n_embd,
    # n_vocab, size (bytes of the tensors); the id is the -m path by default
    r = parse_openai_models(fixture("llamacpp_v1_models.json"))
    assert (r.kind, r.model_id) == ("llama.cpp", "../models/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf")
    f = r.facts
    assert (f.get("name"), f.get("quant")) == ("Meta-Llama-3.1-8B-Instruct", "Q4_K_M")
    assert (f.get("context_len"), f.get("hidden_size"), f.get("vocab_size")) == (131072, 4096, 128256)
    assert f.get("params_b") == pytest.approx(8.030261312)
    assert f.get("file_size_gb") == pytest.approx(4.912898304)
    assert f.get("bits_per_weight") == pytest.approx(4912898304 * 8 / 8030261312, abs=1e-4)
    src = f.sources()
    assert src["params_b"] == "llama.cpp /v1/models meta.n_params"
    assert src["context_len"] == "llama.cpp /v1/models meta.n_ctx_train"
    assert src["quant"] == "/v1/models id (file name)"
    assert r.served_context is None


def test_llamacpp_v1_models_while_loading() -> None:
    # README: "The meta field can be null (for example, while the model is still loading)"; --alias sets the id
    r = parse_openai_models(fixture("llamacpp_v1_models_loading.json"))
    assert r.kind == "llama.cpp" and r.model_id == "gpt-4o-mini"
    assert dict(r.facts.facts).keys() == {"name"}


def test_llamacpp_props() -> None:
    # README, "GET /props": default_generation_settings.n_ctx, total_slots, model_path, modalities, build_info
    r = parse_llamacpp_props(fixture("llamacpp_props.json"))
    assert (r.kind, r.served_context) == ("llama.cpp", 1024)
    assert r.details["total_slots"] == 1 and r.details["modalities"] == {"vision": False}
    assert r.details["build_info"] == "b(build number)-(build commit hash)"
    assert (r.facts.get("name"), r.facts.get("quant")) == ("Meta-Llama-3.1-8B-Instruct", "Q4_K_M")
    assert r.facts.sources()["quant"] == "llama.cpp /props model_path (file name)"
    assert parse_llamacpp_props({"detail": "Not Found"}) == ServerFacts()  # llama-cpp-python's 404 body


def test_llamacpp_answers_merged_note_the_served_context() -> None:
    r = parse_openai_models(fixture("llamacpp_v1_models.json")).merged(
        parse_llamacpp_props(fixture("llamacpp_props.json"))).with_context_note()
    assert r.kind == "llama.cpp" and r.served_context == 1024 and r.facts.get("context_len") == 131072
    assert r.facts.notes == ("the server runs 1024 of the model's 131072 tokens of context",)
    assert r.answered == ("GET /v1/models", "GET /props")


def test_ollama_show_and_tags() -> None:
    # docs/api.md "Show Model Information": details.{family, parameter_size, quantization_level},
    # model_info (GGUF keys; tokenizer arrays empty unless verbose), parameters; "List Local Models": size
    tags = fixture("ollama_tags.json")
    tag = ollama_tag(tags, "llama3")
    assert tag is not None and tag["name"] == "llama3:latest"
    assert ollama_tag(tags, None) is None  # two models and none named
    r = parse_ollama_show(fixture("ollama_show.json"), "llama3:latest", tag)
    f = r.facts
    assert (r.kind, r.model_id) == ("ollama", "llama3:latest")
    expected = {"name": "llama3:latest", "n_layers": 32, "n_heads": 32, "n_kv_heads": 8, "head_dim": 128,
                "context_len": 8192, "hidden_size": 4096, "intermediate_size": 14336, "vocab_size": 128256,
                "quant": "Q4_0", "family": "llama", "attention": "full (GQA)", "kv_layers": 32}
    assert {k: f.get(k) for k in expected} == expected
    assert f.get("params_b") == pytest.approx(8.030261248)
    assert f.get("file_size_gb") == pytest.approx(3.825819519)
    assert f.get("bits_per_weight") == pytest.approx(3825819519 * 8 / 8030261248, abs=1e-4)
    src = f.sources()
    assert src["n_layers"] == "Ollama /api/show model_info llama.block_count"
    assert src["vocab_size"] == "Ollama /api/show model_info llama.vocab_size"  # tokens: [] without verbose
    assert src["params_b"] == "Ollama /api/show model_info general.parameter_count"
    assert src["quant"] == "Ollama /api/show details.quantization_level"
    assert r.served_context == 4096  # the example's modelfile: PARAMETER num_ctx 4096


def test_ollama_show_without_model_info_uses_details() -> None:
    show = {"details": {"family": "qwen2", "parameter_size": "494.03M", "quantization_level": "q8_0"},
            "parameters": "num_ctx   2048\nstop \"<|im_end|>\""}
    r = parse_ollama_show(show, "qwen2.5:0.5b")
    assert r.facts.get("params_b") == pytest.approx(0.49403)
    assert (r.facts.get("quant"), r.facts.get("family"), r.served_context) == ("Q8_0", "qwen2", 2048)
    assert r.facts.sources()["params_b"] == "Ollama /api/show details.parameter_size"


def test_vllm_v1_models() -> None:
    # vllm/entrypoints/openai/protocol.py ModelCard: id, owned_by "vllm", root, parent, max_model_len
    r = parse_openai_models(fixture("vllm_v1_models.json"))
    assert (r.kind, r.model_id, r.served_context) == ("vllm", "llama-8b", 32768)
    assert (r.facts.get("name"), r.facts.get("context_len")) == ("llama-8b", 32768)
    assert r.details["hf_repo"] == "meta-llama/Llama-3.1-8B-Instruct"
    assert "max_model_len" in r.facts.sources()["context_len"]


def test_ollama_and_llama_cpp_python_v1_models() -> None:
    both = fixture("ollama_v1_models.json")
    assert parse_openai_models(both).kind is None  # two models, none named
    r = parse_openai_models(both, "llama3")
    assert (r.kind, r.model_id) == ("ollama", "llama3:latest")
    p = parse_openai_models(fixture("llama_cpp_python_v1_models.json"))
    assert (p.kind, p.model_id, p.facts.get("name")) == ("llama-cpp-python", "tiny-random-llama", "tiny-random-llama")


def test_names() -> None:
    assert server_root("http://127.0.0.1:8080/v1/") == "http://127.0.0.1:8080"
    assert server_root("http://h:11434") == "http://h:11434"
    assert bare_model_name("ollama/llama3.2") == "llama3.2" and bare_model_name("openai/x/y") == "x/y"


# --------------------------------------------------------------------------- (b) fake servers


@contextmanager
def json_server(routes: dict[tuple[str, str], Any]) -> Iterator[tuple[str, list[tuple[str, str, Any]]]]:
    """A server on 127.0.0.1 answering `routes` {(method, path): JSON} (404 otherwise); yields its
    URL and the requests seen (method, path, JSON body or Authorization header)."""
    seen: list[tuple[str, str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def answer(self, method: str) -> None:
            n = int(self.headers.get("content-length") or 0)
            body = json.loads(self.rfile.read(n)) if n else self.headers.get("authorization")
            seen.append((method, self.path, body))
            found = (method, self.path) in routes
            payload = json.dumps(routes[(method, self.path)] if found else {"detail": "Not Found"}).encode()
            self.send_response(200 if found else 404)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:
            self.answer("GET")

        def do_POST(self) -> None:
            self.answer("POST")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def test_introspect_fake_llamacpp_server() -> None:
    routes = {("GET", "/v1/models"): fixture("llamacpp_v1_models.json"),
              ("GET", "/props"): fixture("llamacpp_props.json")}
    with json_server(routes) as (url, seen):
        r = introspect_endpoint(url + "/v1", api_key="sk-test")
    assert r.kind == "llama.cpp" and r.served_context == 1024
    assert r.facts.get("params_b") == pytest.approx(8.030261312) and r.facts.get("quant") == "Q4_K_M"
    assert r.answered == ("GET /v1/models", "GET /props") and r.details["unanswered"] == []
    assert [(m, p) for m, p, _ in seen] == [("GET", "/v1/models"), ("GET", "/props")]  # no Ollama probes
    assert seen[0][2] == "Bearer sk-test"


def test_introspect_fake_ollama_server() -> None:
    routes = {("GET", "/v1/models"): fixture("ollama_v1_models.json"),
              ("GET", "/api/tags"): fixture("ollama_tags.json"), ("POST", "/api/show"): fixture("ollama_show.json")}
    with json_server(routes) as (url, seen):
        r = introspect_endpoint(url + "/v1", model="ollama/llama3")
    assert (r.kind, r.model_id) == ("ollama", "llama3:latest")
    assert r.facts.get("n_layers") == 32 and r.facts.get("file_size_gb") == pytest.approx(3.825819519)
    assert ("POST", "/api/show", {"model": "llama3:latest"}) in seen
    assert r.details["unanswered"] == ["GET /props: HTTP 404"]
    assert r.facts.notes == ("the server runs 4096 of the model's 8192 tokens of context",)


def test_introspect_fake_vllm_server() -> None:
    with json_server({("GET", "/v1/models"): fixture("vllm_v1_models.json")}) as (url, seen):
        r = introspect_endpoint(url + "/v1")
    assert (r.kind, r.model_id, r.details["hf_repo"]) == ("vllm", "llama-8b", "meta-llama/Llama-3.1-8B-Instruct")
    assert [p for _, p, _ in seen] == ["/v1/models", "/props"]


def test_introspect_closed_port_is_quick_and_one_line() -> None:
    port = free_port()
    t0 = time.monotonic()
    r = introspect_endpoint(f"http://127.0.0.1:{port}/v1", timeout=2)
    assert time.monotonic() - t0 < 5
    assert r.kind is None and r.answered == ()
    assert r.details["error"].startswith(f"http://127.0.0.1:{port}/v1: cannot connect (")
    assert "\n" not in r.details["error"]


# --------------------------------------------------------------------------- (b) the real server


def test_introspect_real_llama_cpp_python_server(tmp_path: Path) -> None:
    pytest.importorskip("llama_cpp")
    from test_measure_llamacpp import _wait_ready

    from advisor.benchmarks.gguf_random import TINY, write_random_llama

    gguf_path = write_random_llama(tmp_path / "tiny-random-llama-F16.gguf", TINY, "f16")
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("w") as fh:  # no --model_alias: the served id is the model path
        server = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(gguf_path),
                                   "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "256", "--n_threads", "2"],
                                  stdout=fh, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}/v1"
        _wait_ready(server, base + "/models", log)
        r = introspect_endpoint(base)
        raw = request_json(base + "/models")
    finally:
        server.terminate()
        server.wait(timeout=30)
    # what llama-cpp-python 0.3.x answers: /v1/models {id: the model path, owned_by "me", permissions []},
    # no meta; /props is a 404; once owned_by names it, the Ollama API is not asked
    assert raw == {"object": "list", "data": [{"id": str(gguf_path), "object": "model", "owned_by": "me",
                                               "permissions": []}]}
    assert (r.kind, r.model_id) == ("llama-cpp-python", str(gguf_path))
    assert r.answered == ("GET /v1/models",)
    assert r.details["owned_by"] == "me"
    assert r.details["unanswered"] == ["GET /props: HTTP 404"]
    assert r.facts.facts.keys() == {"name", "quant"}  # all it tells is the file name
    assert (r.facts.get("name"), r.facts.get("quant")) == ("tiny-random-llama", "F16")
    assert r.served_context is None and r.facts.get("params_b") is None
