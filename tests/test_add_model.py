"""`advisor catalog add-model`: a model registered from its own config (origin user), every
fact with where it came from, predicted from then on; the errors of a careless user (a seed
name, a second registration, contradicting files) are one line, exit 2, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from _cli_helpers import run_main
from _measure_helpers import cat, catalog_template  # noqa: F401

CONFIGS = Path(__file__).parent / "fixtures" / "hf_configs"


def add(capsys, monkeypatch, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    return run_main(["catalog", "add-model", *args], capsys, monkeypatch)


def test_registered_from_a_config_with_every_fact_sourced_then_predicted(cat, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rc, out, err = add(capsys, monkeypatch, "--hf-config", str(CONFIGS / "Qwen3-30B-A3B"), "--name", "Acme-30B-A3B-Tune",
                       "--family", "Qwen3", "--release", "2025-09", "--variant", "instruct", "--json")
    assert rc == 0, err
    data = json.loads(out)
    assert data["written"] and data["name"] == "Acme-30B-A3B-Tune"
    assert data["facts"]["n_layers"] == {"value": 48, "source": "config.json: num_hidden_layers"}
    assert data["facts"]["release"]["source"] == "--release"
    assert abs(data["facts"]["params_b"]["value"] - 30.5) / 30.5 < 0.02
    shown = cat.show("Acme-30B-A3B-Tune")
    assert shown["facts"]["origin"] == "user"
    assert shown["fact_sources"]["moe_experts"].startswith("config.json")
    assert shown["fact_sources"]["family"] == "--family"

    from advisor.predict import predict
    from advisor.schema import PredictRequest

    new, seed = predict([PredictRequest(id=n, model={"name": n}, quant="Q4_K_M", hardware={"name": "RTX 4090"},
                                        benchmark="MMLU") for n in ("Acme-30B-A3B-Tune", "Qwen3-30B-A3B")])
    assert new.error is None and new.basis == "predicted"
    # the same shapes as the seed's Qwen3-30B-A3B: the same physics, within the interval noise
    assert new.memory_gb == pytest.approx(seed.memory_gb, rel=0.05)
    assert new.decode_tok_s == pytest.approx(seed.decode_tok_s, rel=0.15)
    assert new.decode_tok_s_low < new.decode_tok_s < new.decode_tok_s_high
    assert new.score is not None and new.score_low <= new.score <= new.score_high  # predicted: none published


def test_dry_run_prints_the_row_and_writes_nothing(cat, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    before = cat.stats()
    rc, out, err = add(capsys, monkeypatch, "--hf-config", str(CONFIGS / "Llama-3.1-8B" / "config.json"),
                       "--name", "Dry-8B", "--dry-run")
    assert rc == 0, err
    assert "would register model 'Dry-8B'" in out and "num_key_value_heads" in out
    assert cat.stats() == before and cat.find_model("Dry-8B") is None


@pytest.mark.parametrize("args,needle", [
    (["--name", "Qwen3-8B"], "'Qwen3-8B' is the catalog's own model"),
    (["--name", "llama3:8b"], "a seed model is never replaced"),
    ([], "give --hf-config PATH, --hf-id ORG/NAME or --gguf PATH"),
    (["--hf-config", "/nonexistent/config.json"], "/nonexistent/config.json"),
])
def test_errors_are_one_line_and_write_nothing(cat, capsys, monkeypatch, args: list[str], needle: str) -> None:  # type: ignore[no-untyped-def]
    before = cat.stats()
    extra = [] if not args or args[0] == "--hf-config" else ["--hf-config", str(CONFIGS / "Qwen3-8B")]
    rc, out, err = add(capsys, monkeypatch, *extra, *args)
    assert rc == 2, (out, err)
    assert needle in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert cat.stats() == before


def test_a_user_model_is_updated_only_with_replace(cat, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first = ["--hf-config", str(CONFIGS / "Qwen3-8B"), "--name", "Team-8B"]
    assert add(capsys, monkeypatch, *first)[0] == 0
    rc, out, err = add(capsys, monkeypatch, *first)
    assert rc == 2 and "--replace updates it" in err
    rc, out, err = add(capsys, monkeypatch, "--name", "Team-8B", "--context-len", "65536", "--replace")
    assert rc == 0, err
    shown = cat.show("Team-8B")
    assert shown["facts"]["context_len"] == 65536 and shown["fact_sources"]["context_len"] == "--context-len"
    assert shown["fact_sources"]["n_layers"] == "config.json: num_hidden_layers"   # kept with its source
    assert len([m for m in cat.list_models("Team-8B")]) == 1


def test_contradicting_files_name_both(cat, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from advisor.catalog.model_files.facts import ModelFacts
    from advisor.catalog.register import merge_file_facts
    from advisor.errors import InputError

    a = ModelFacts.of({"n_layers": 36, "params_b": 8.2}, "config.json: num_hidden_layers")
    b = ModelFacts.of({"n_layers": 32}, "x.gguf: qwen3.block_count")
    with pytest.raises(InputError, match=r"x.gguf: qwen3.block_count: n_layers = 32 contradicts config.json"):
        merge_file_facts([a, b])
    c = ModelFacts.of({"params_b": 14.0}, "x.gguf: tensor shapes")
    with pytest.raises(InputError, match="params_b"):
        merge_file_facts([a, c])


def test_contradicting_facts_are_refused() -> None:
    from advisor.catalog.model_files.facts import ModelFacts
    from advisor.catalog.register import check_facts
    from advisor.errors import InputError

    with pytest.raises(InputError, match="active_params_b"):
        check_facts(ModelFacts.of({"params_b": 3.0, "active_params_b": 30.0}, "config.json"))
    with pytest.raises(InputError, match="n_kv_heads"):
        check_facts(ModelFacts.of({"n_heads": 32, "n_kv_heads": 6}, "config.json"))
