"""`advisor serve` as a client sees it: a real server process on 127.0.0.1 (an ephemeral port),
real HTTP. Answers are those of the library; errors are JSON with the right status; writes need
the token, are validated and written whole; concurrent requests each get their own answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests._serve_helpers import TOKEN, call, server_env

FIXTURES = Path(__file__).parent / "fixtures" / "catalog"
Q = {"use_case": {"task": "code"}, "hardware": {"name": "RTX 4090"}, "requirements": {"deployment": "local"}}


@pytest.fixture(scope="module")
def server(shared_home: Path):  # type: ignore[no-untyped-def]
    from advisor.serve.process import server_process

    with server_process(env=server_env(shared_home)) as s:
        yield s.url


def _error(status: int, answer: object, expected: int, *words: str) -> None:
    assert status == expected, answer
    assert isinstance(answer, dict) and answer["status"] == expected and isinstance(answer["error"], str)
    assert "\n" not in answer["error"] and "Traceback" not in answer["error"]
    for w in words:
        assert w in answer["error"], answer["error"]


def test_recommend_and_predict_are_the_library_answers(server: str) -> None:
    import advisor
    from advisor.schema import PredictRequest, Recommendation

    status, answer, headers = call(server, "POST", "/v1/recommend?prompts=false", Q)
    assert status == 200 and headers["content-type"].startswith("application/json")
    got = Recommendation.model_validate(answer)
    want = advisor.recommend(Q, with_prompts=False)
    assert [c.key for c in got.candidates] == [c.key for c in want.candidates] and got.candidates
    assert got.notes == want.notes and got.catalog_version == want.catalog_version
    assert call(server, "POST", "/v1/recommend", Q)[1]["prompt_set"]["prompts"]
    batch = {"requests": [{"id": "a", "model": {"name": "llama3:8b"}, "quant": "Q4_K_M", "hardware": {"name": "4090"}},
                          {"id": "b", "model": {"name": "no-such-model-xyz"}, "hardware": {"name": "4090"}}]}
    status, answer, _ = call(server, "POST", "/v1/predict", batch)
    assert status == 200
    a, b = answer["results"]
    ref = advisor.predict([PredictRequest.model_validate(batch["requests"][0])])[0]
    assert a["id"] == "a" and a["error"] is None and a["decode_tok_s"] == pytest.approx(ref.decode_tok_s)
    assert b["id"] == "b" and "no-such-model-xyz" in b["error"]   # a bad request fails alone
    # figures past the schema's physical bounds (found by schemathesis: an OverflowError ended the
    # whole batch) are refused before predicting, naming the request and the field
    huge = {"id": "huge", "model": {"params_b": 5.3e16, "active_params_b": 3.7e307, "moe_experts": 58879220133}, "hardware": {}}
    status, answer, _ = call(server, "POST", "/v1/predict", {"requests": [batch["requests"][0], huge]})
    assert status == 422 and "requests.1.model.params_b" in answer["error"]


def test_bad_input_is_a_json_error_with_the_right_status(server: str) -> None:
    _error(*call(server, "POST", "/v1/recommend", raw=b"{not json")[:2], 400, "not valid JSON")
    _error(*call(server, "POST", "/v1/recommend", raw=b'{"use_case": {"task": "\xff"}}')[:2], 400, "not UTF-8 at byte 23")
    _error(*call(server, "POST", "/v1/recommend", raw=b'{"use_case": {"task": "chat"}, "priorities": {"speed": NaN}}')[:2],
           400, "NaN")
    _error(*call(server, "POST", "/v1/recommend", raw=b'{"x": ' + b"1" * 5000 + b"}")[:2], 400, "5000 digits")
    _error(*call(server, "POST", "/v1/recommend", raw=b"[" * 10_000 + b"]" * 10_000)[:2], 400, "nested deeper")
    _error(*call(server, "POST", "/v1/recommend", raw=b'{"a": "' + b"x" * (5 * 1024 * 1024) + b'"}')[:2], 413, "limit")
    _error(*call(server, "POST", "/v1/recommend", {"use_case": {"task": "cook"}})[:2], 422, "use_case.task")
    _error(*call(server, "POST", "/v1/recommend", {**Q, "extra": 1})[:2], 422, "extra")
    _error(*call(server, "POST", "/v1/recommend", {"use_case": {"task": "chat"}, "hardware": {"name": "RTX 4099"}})[:2],
           422, "unknown hardware 'RTX 4099'", "RTX 4090")
    _error(*call(server, "POST", "/v1/recommend", {"use_case": {"task": "chat"}, "hardware": {"detect": True}})[:2],
           422, "hardware.detect")
    _error(*call(server, "POST", "/v1/predict", {"requests": []})[:2], 422, "requests")
    _error(*call(server, "GET", "/v1/catalog/entries/zzzz-unknown")[:2], 404, "zzzz-unknown")
    _error(*call(server, "GET", "/v1/nowhere")[:2], 404, "/v1/nowhere")
    _error(*call(server, "GET", "/v1/recommend")[:2], 405, "GET")
    _error(*call(server, "POST", "/v1/prompts/chat.assistant-turn/render", {"vars": {}})[:2], 422, "message")
    _error(*call(server, "POST", "/v1/prompts/no.such/render", {"vars": {}})[:2], 404, "no.such")


def test_catalog_and_prompts_read(server: str) -> None:
    from advisor.catalog import open_catalog

    status, stats, _ = call(server, "GET", "/v1/catalog/stats")
    assert status == 200 and stats == open_catalog().stats()
    models = call(server, "GET", "/v1/catalog/models?search=llama")[1]
    assert models and all("llama" in (m["name"] + (m["family"] or "")).lower() for m in models)
    found = call(server, "GET", "/v1/catalog/search?q=4090")[1]
    assert "NVIDIA GeForce RTX 4090" in [h["name"] for h in found["hardware"]]
    assert call(server, "GET", "/v1/catalog/entries/llama3:8b")[1]["type"] == "model"
    prompts = call(server, "GET", "/v1/prompts?task=chat")[1]
    assert prompts and {p["task"] for p in prompts} == {"chat"}
    status, rendered, _ = call(server, "POST", "/v1/prompts/chat.assistant-turn/render", {"vars": {"message": "hi there"}})
    assert status == 200 and "hi there" in rendered["text"]
    status, ps, _ = call(server, "POST", "/v1/prompts/generate", {"task": "code", "model": "gpt-4o-mini"})
    assert status == 200 and ps["model"] == "gpt-4o-mini" and ps["prompts"]
    _error(*call(server, "POST", "/v1/catalog/measurements", {"measurements": []})[:2], 403, "read-only")


def test_openapi_comes_from_the_schema_models(server: str) -> None:
    from advisor.schema import Questionnaire, Recommendation

    doc = call(server, "GET", "/openapi.json")[1]
    schemas = doc["components"]["schemas"]
    for model in (Questionnaire, Recommendation):
        assert set(schemas[model.__name__]["properties"]) == set(model.model_json_schema()["properties"])
    op = doc["paths"]["/v1/recommend"]["post"]
    assert op["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/Questionnaire")
    assert {"400", "413", "422"} <= set(op["responses"])
    assert "HTTPBearer" in json.dumps(doc["paths"]["/v1/catalog/imports"]["post"]["security"])


def test_concurrent_requests_each_get_their_own_answer(server: str) -> None:
    """96 recommend requests over 8 different questionnaires, 16 at a time: no failure, and
    every answer is the one its questionnaire gets alone (no notes or caches mixed)."""
    from advisor.serve.load import questionnaires, run_load

    bodies = questionnaires()[::3]
    alone = [call(server, "POST", "/v1/recommend", b)[1] for b in bodies]
    report = run_load(server, "/v1/recommend", bodies, 12 * len(bodies), 16, keep_answers=True)
    assert report.failures == 0, report.errors
    assert len(report.answers) == report.requests
    mixed = [i for i, answer in report.answers if answer != alone[i]]
    assert not mixed, f"answers differing from the answer alone for bodies {sorted(set(mixed))}"


HW_CSV = ("name,vendor,kind,memory_gb,mem_bandwidth_gbs,fp16_tflops,source,notes\n"
          "Team Box GPU 48G,Acme,gpu,48,960,150,team inventory 2026-12 (serve test),\n")


def test_writes_need_the_token_and_are_written_whole(tmp_path: Path) -> None:
    """Imports and measurements with the token; a bad file or row writes nothing; a device
    added over HTTP is recommended for at once. (A figure added makes the server refit the
    predictor in the background; `test_catalog_write.py` covers answers after a refit.)"""
    from advisor.serve.process import server_process

    csv = (FIXTURES / "measurements_good.csv").read_text(encoding="utf-8")
    bad = (FIXTURES / "bad_unknown_model.csv").read_text(encoding="utf-8")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with server_process(env=server_env(tmp_path / "home", token=TOKEN)) as s:
        before = call(s.url, "GET", "/v1/catalog/stats")[1]
        body = {"content": HW_CSV, "filename": "hardware.csv"}
        _error(*call(s.url, "POST", "/v1/catalog/imports", body)[:2], 401, "missing")
        _error(*call(s.url, "POST", "/v1/catalog/imports", body, headers={"Authorization": "Bearer nope"})[:2], 401, "wrong")
        status, answer, _ = call(s.url, "POST", "/v1/catalog/imports", body, headers=auth)
        assert status == 201 and answer["table"] == "hardware" and answer["rows"] == 1, answer
        status, rec, _ = call(s.url, "POST", "/v1/recommend?prompts=false",
                              {"use_case": {"task": "chat"}, "hardware": {"name": "team box gpu 48g"}})
        assert status == 200 and rec["hardware"]["name"] == "Team Box GPU 48G" and rec["candidates"], rec
        _error(*call(s.url, "POST", "/v1/catalog/imports", {"content": bad, "filename": "measurements.csv"},
                     headers=auth)[:2], 422, "measurements.csv:3:", "Llama-99-1T-Imaginary")
        assert call(s.url, "GET", "/v1/catalog/stats")[1]["measurements"] == before["measurements"]
        rows = [{"model": "llama3:8b", "hardware": "Team Box GPU 48G", "quant": "Q8_0", "engine": "llama.cpp",
                 "gen_tokens": 128, "decode_tok_s": 80.5, "source": "team bench 2026-12 (serve test)"},
                {"model": "Llama-99-1T-Imaginary", "hardware": "RTX 4090", "decode_tok_s": 1.0, "source": "x"}]
        _error(*call(s.url, "POST", "/v1/catalog/measurements", {"measurements": rows}, headers=auth)[:2],
               422, "measurements.1:", "Llama-99-1T-Imaginary")
        status, answer, _ = call(s.url, "POST", "/v1/catalog/measurements", {"measurements": rows[:1]}, headers=auth)
        assert status == 201 and answer["rows"] == 1
        status, answer, _ = call(s.url, "POST", "/v1/catalog/imports", {"content": csv, "filename": "measurements.csv"},
                                 headers=auth)
        assert status == 201 and answer["rows"] == 2 and answer["already"] == 0, answer
        again = call(s.url, "POST", "/v1/catalog/imports", {"content": csv, "filename": "measurements.csv"}, headers=auth)[1]
        assert again["rows"] == 0 and again["already"] == 2
        after = call(s.url, "GET", "/v1/catalog/stats")[1]
        assert after["measurements"] == before["measurements"] + 3 and after["user_rows"] == 3


def test_import_advisor_does_not_load_the_web_framework() -> None:
    code = ("import sys, advisor, advisor.cli, advisor.serve, advisor.serve.settings\n"
            "print(sorted(m for m in ('fastapi', 'starlette', 'uvicorn') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ), timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_database_is_one_line_at_start_and_503_while_serving() -> None:
    """At start: exit 2 with one line naming the URL (password hidden). While serving (the
    database gone after the start): 503 with Retry-After, as JSON. The second half runs the
    app in-process (starlette's TestClient): a database cannot be made to vanish under a
    child process here."""
    from starlette.testclient import TestClient

    from advisor.serve.app import create_app
    from advisor.serve.settings import ServeSettings

    url = f"postgresql+psycopg://someone:secret@127.0.0.1:{_closed_port()}/advisor"
    r = subprocess.run([sys.executable, "-m", "advisor", "--db", url, "serve", "--port", "0"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot open the database" in lines[0] and "secret" not in lines[0], r.stderr
    with TestClient(create_app(ServeSettings(db_url=url))) as client:
        resp = client.post("/v1/recommend", json=Q)
    assert resp.status_code == 503 and resp.headers["retry-after"] and "unavailable" in resp.json()["error"]
