"""Hostile and broken input (issue 19): every file of tests/fixtures/hostile/ through its real
command; the poisoned imports refused (or flagged and kept out of the fit), recommend and
predict working after each, `catalog remove` restoring the counts; strict JSON out; writes that
would replace a user's file ask for --force; measure bounded by --timeout and --gen-tokens."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from _cli_helpers import run_main
from _measure_helpers import catalog_template, cat  # noqa: F401 - fixtures

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
CASES = json.loads((HOSTILE / "cases.json").read_text(encoding="utf-8"))


def strict_loads(text: str) -> Any:
    """json.loads that refuses NaN/Infinity (what strict parsers do)."""
    def refuse(name: str) -> Any:
        raise ValueError(f"non-strict JSON: {name}")
    return json.loads(text, parse_constant=refuse)


def _argv(case: dict[str, Any]) -> list[str]:
    return [a.replace("{f}", str(HOSTILE / case["file"])).replace("{d}", str(HOSTILE)) for a in case["argv"]]


@pytest.mark.parametrize("case", [c for c in CASES if c["argv"][0] != "predict"], ids=lambda c: c["file"])
def test_hostile_file_fails_in_one_line(cat, capsys, monkeypatch, case: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    before = cat.stats()
    t0 = time.perf_counter()
    rc, out, err = run_main(_argv(case), capsys, monkeypatch)
    assert time.perf_counter() - t0 < 30, "a hostile file must not hang the command"
    assert rc == case["rc"], (out, err)
    assert "Traceback" not in out + err
    text = out if case["argv"][:2] == ["prompts", "lint"] else err
    assert case["expect"] in text, text
    if case["rc"] == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and case.get("names", case["file"]) in lines[0], err  # one line, naming the file
        assert cat.stats() == before  # nothing written


def test_predict_batch_answers_good_lines_and_fails_bad_ones_alone(capsys, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out_file = tmp_path / "out.jsonl"
    rc, out, err = run_main(["predict", "--input", str(HOSTILE / "predict_mixed.jsonl"), "--output", str(out_file)],
                            capsys, monkeypatch)
    assert rc == 2 and "Traceback" not in err
    answers = [strict_loads(x) for x in out_file.read_text(encoding="utf-8").splitlines()]
    assert len(answers) == 8
    good = [a for a in answers if a["error"] is None]
    assert [a["id"] for a in good] == ["good-1", "good-2"]
    assert all(a["decode_tok_s"] > 0 and a["memory_gb"] > 0 for a in good)
    errors = {a["id"]: a["error"] for a in answers if a["error"]}
    assert "'params_b'" in errors["line-2"] and "Infinity" in errors["line-2"]
    assert "model.params_b" in errors["huge-params"]
    assert "not UTF-8 at byte 48" in errors["line-4"]
    assert "nested deeper" in errors["line-5"] and "5000 digits" in errors["line-6"]
    assert "'mem_bandwidth_gbs'" in errors["line-7"]
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]  # no temporary file left


def test_predict_output_asks_force_and_writes_nothing_else(capsys, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "model": {"params_b": 7}, "hardware": {"mem_bandwidth_gbs": 1000}}) + "\n")
    dest, tmp = tmp_path / "x.jsonl", tmp_path / "x.tmp"
    dest.write_text("mine\n")
    tmp.write_text("also mine\n")
    rc, _, err = run_main(["predict", "--input", str(src), "--output", str(dest)], capsys, monkeypatch)
    assert rc == 2 and "--force" in err and str(dest) in err
    assert dest.read_text() == "mine\n" and tmp.read_text() == "also mine\n"
    rc, _, err = run_main(["predict", "--input", str(src), "--output", str(dest), "--force"], capsys, monkeypatch)
    assert rc == 0, err
    assert strict_loads(dest.read_text())["id"] == "a" and tmp.read_text() == "also mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "x.jsonl", "x.tmp"]


POISON = ["measurements_inf.csv", "measurements_1e400.csv", "measurements_zero_speed.csv", "measurements_ndev0.csv",
          "measurements_inf_memory.csv", "measurements_roofline.csv", "measurements_prefill_roofline.csv",
          "scores_out_of_scale.csv", "llama_bench_1e308.json"]
PREDICT_LINE = {"id": "p", "model": {"name": "Llama-2-7B"}, "quant": "Q4_K_M", "engine": "llama.cpp",
                "hardware": {"name": "NVIDIA A100 80GB PCIe"}}


def _recommend_and_predict(capsys, monkeypatch) -> float:  # type: ignore[no-untyped-def]
    rc, out, err = run_main(["recommend", "--task", "chat", "--hardware", "RTX 4090", "--json", "--no-prompts"],
                            capsys, monkeypatch)
    assert rc == 0 and strict_loads(out)["candidates"], err
    rc, out, err = run_main(["predict", "--input", "-"], capsys, monkeypatch, stdin=json.dumps(PREDICT_LINE) + "\n")
    assert rc == 0, err
    return float(strict_loads(out)["decode_tok_s"])


def test_poisoned_imports_refused_or_flagged_and_removed(cat, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    before = cat.stats()
    speed = _recommend_and_predict(capsys, monkeypatch)
    assert 20 < speed < 1000
    for name in POISON:  # refused: nothing written, and the estimates unchanged
        rc, _, err = run_main(["catalog", "import", str(HOSTILE / name)], capsys, monkeypatch)
        assert rc == 2 and name in err and "Traceback" not in err
        assert cat.stats() == before
        assert _recommend_and_predict(capsys, monkeypatch) == pytest.approx(speed)
    flagged = []
    for name in ("measurements_roofline.csv", "measurements_prefill_roofline.csv", "scores_out_of_scale.csv"):
        rc, out, err = run_main(["catalog", "import", str(HOSTILE / name), "--allow-implausible"], capsys, monkeypatch)
        assert rc == 0 and "flagged implausible" in err, err
        flagged.append(int(out.split("import #")[1].split(")")[0]))
        assert _recommend_and_predict(capsys, monkeypatch) == pytest.approx(speed)  # kept out of the fit
    assert cat.stats()["implausible"] == 3
    shown = cat.show("Llama-2-7B")
    assert len(shown["implausible"]) == 3 and all(m["decode_tok_s"] != 50000 for m in shown["measurements"])
    for n in flagged:
        rc, out, err = run_main(["catalog", "remove", "--import", str(n)], capsys, monkeypatch)
        assert rc == 0 and out.startswith("removed "), err
    assert cat.stats() == before


def test_seed_row_is_overridden_not_rewritten_and_kept_across_rebuilds(cat, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from sqlalchemy import select

    from advisor.catalog import orm
    from advisor.catalog.db import read_session
    from advisor.catalog.seed import SEED_HASH_KEY, ensure_catalog, set_meta
    from advisor.catalog.db import write_session
    from advisor.config import seed_dir

    before = cat.stats()
    rc, out, err = run_main(["catalog", "import", str(HOSTILE / "models_seed_override.csv")], capsys, monkeypatch)
    assert rc == 0 and "user override" in err and "import #" in out
    with read_session(cat.engine) as s:
        seed_row = s.execute(select(orm.Model).where(orm.Model.name == "Llama-2-7B")).scalar_one()
        assert seed_row.origin == "seed" and seed_row.params_b > 6  # the seed row is as shipped
    shown = cat.show("Llama-2-7B")
    assert shown["facts"]["params_b"] == 1e-06 and shown["user_overrides"]["params_b"]["user"] == 1e-06
    rc, out, _ = run_main(["catalog", "show", "Llama-2-7B"], capsys, monkeypatch)
    assert "[user override; seed: 7" in out
    rc, out, err = run_main(["catalog", "import", str(HOSTILE / "models_seed_override.csv")], capsys, monkeypatch)
    assert rc == 0 and "0 new rows, 1 already in the catalog" in out and cat.stats()["user_overrides"] == 1
    with write_session(cat.engine) as s:  # force a seed rebuild
        set_meta(s, SEED_HASH_KEY, "stale")
    assert ensure_catalog(cat.engine, seed_dir())
    assert cat.show("Llama-2-7B")["facts"]["params_b"] == 1e-06  # kept across the rebuild
    rc, out, err = run_main(["catalog", "remove", "--source", "hostile fixture models"], capsys, monkeypatch)
    assert rc == 0, err
    assert cat.show("Llama-2-7B")["facts"]["params_b"] > 6 and cat.stats() == before


def test_remove_refuses_seed_rows_and_unknown_imports(cat, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    before = cat.stats()
    for args, needle in ((["--row", "measurements:1"], "seed row"), (["--import", "99"], "no import #99"),
                         (["--row", "nonsense"], "TABLE:ID"), ([], "exactly one")):
        rc, _, err = run_main(["catalog", "remove", *args], capsys, monkeypatch)
        assert rc == 2 and needle in err and len(err.strip().splitlines()) == 1, err
    assert cat.stats() == before


def test_remove_by_row_and_dry_run(cat, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from _measure_helpers import user_rows  # noqa: F401

    before = cat.stats()
    rc, out, err = run_main(["catalog", "import", str(Path(__file__).parent / "fixtures/catalog/measurements_good.csv")],
                            capsys, monkeypatch)
    assert rc == 0, err
    ids = [m.id for m in cat.snapshot().measurements if m.origin == "user"]
    assert len(ids) == 2
    rc, out, _ = run_main(["catalog", "remove", "--row", f"measurements:{ids[0]}", "--dry-run"], capsys, monkeypatch)
    assert out.startswith("would remove 1 measurements") and cat.stats()["measurements"] == before["measurements"] + 2
    rc, out, _ = run_main(["catalog", "remove", "--row", f"measurements:{ids[0]}", "--row", f"measurements:{ids[1]}"],
                          capsys, monkeypatch)
    assert rc == 0 and out.startswith("removed 2 measurements")
    after = cat.stats()
    assert after["measurements"] == before["measurements"] and after["user_rows"] == 0


def test_exports_ask_force_before_replacing_files(cat, capsys, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    out_dir = tmp_path / "export"
    out_dir.mkdir()
    (out_dir / "models.csv").write_text("mine\n")
    rc, _, err = run_main(["catalog", "export", "--format", "csv", "--out", str(out_dir)], capsys, monkeypatch)
    assert rc == 2 and "models.csv: already exists; give --force" in err
    assert sorted(p.name for p in out_dir.iterdir()) == ["models.csv"] and (out_dir / "models.csv").read_text() == "mine\n"
    rc, _, err = run_main(["catalog", "export", "--format", "csv", "--out", str(out_dir), "--force"], capsys, monkeypatch)
    assert rc == 0 and (out_dir / "models.csv").read_text().startswith("name,")
    gen = tmp_path / "gen"
    args = ["prompts", "generate", "--task", "code", "--model", "Qwen2.5-7B-Instruct", "--out", str(gen)]
    assert run_main(args, capsys, monkeypatch)[0] == 0
    first = sorted(p.relative_to(gen) for p in gen.rglob("*") if p.is_file())
    (gen / "prompt-set.json").write_text("mine\n")
    rc, _, err = run_main(args, capsys, monkeypatch)
    assert rc == 2 and "already exists; give --force" in err and (gen / "prompt-set.json").read_text() == "mine\n"
    assert run_main([*args, "--force"], capsys, monkeypatch)[0] == 0
    assert sorted(p.relative_to(gen) for p in gen.rglob("*") if p.is_file()) == first


def test_damaged_predictor_file_is_refit_with_a_notice(cat, capsys) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from advisor.predict.predictor import _CACHE, _path_for, get_predictor

    snap = cat.snapshot()
    path = _path_for(snap.fit_version)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK\x03\x04 truncated")
    _CACHE.clear()
    pred = get_predictor(snap)
    err = capsys.readouterr().err
    assert pred.data_version == snap.fit_version
    assert err.count("\n") == 1 and "cannot be read" in err and str(path) in err


def test_json_output_is_strict_for_non_finite_figures() -> None:
    from advisor.safeio import dumps

    text = dumps({"a": float("inf"), "b": [float("nan"), 1.5], "c": {"d": -float("inf")}})
    assert strict_loads(text) == {"a": None, "b": [None, 1.5], "c": {"d": None}}


def test_measure_timeout_bounds_a_dripping_server_and_stops_at_gen_tokens() -> None:
    """A real HTTP server on loopback that sends one chunk every 0.4 s and ignores max_tokens:
    --timeout bounds the whole request; with time enough, the stream is left at --gen-tokens."""
    from _measure_helpers import fake_openai_server

    from advisor.measure.request import MeasureConfig, MeasureError, load_litellm, time_request

    litellm = load_litellm()
    server = fake_openai_server("usage", n_tokens=200, delay=0.4)
    base = f"http://127.0.0.1:{server.server_port}/v1"
    try:
        t0 = time.perf_counter()
        with pytest.raises(MeasureError, match="timed out"):
            time_request(litellm, MeasureConfig("drip", base, prompt_tokens=16, gen_tokens=100, timeout=2.0), 1)
        assert time.perf_counter() - t0 < 4.0  # was: runs until the server stops (200 x 0.4 s)
        t0 = time.perf_counter()
        stats = time_request(litellm, MeasureConfig("drip", base, prompt_tokens=16, gen_tokens=3, timeout=30), 1)
        assert time.perf_counter() - t0 < 5.0 and stats.completion_tokens == 3
    finally:
        server.shutdown()
