"""A model published quantized (gpt-oss's MXFP4, DeepSeek-V3's FP8) is proposed as released and
in smaller formats, never upcast; its published scores are of those weights, so running them as
released loses no accuracy."""

from __future__ import annotations

import pytest

from advisor.predict.scores import quant_factor

CURVE = [(2.0, -0.30), (4.0, -0.05), (8.0, -0.01)]


def test_quantization_loss_counts_from_the_published_format() -> None:
    assert quant_factor(CURVE, 4.25) < 1.0                           # a 16-bit release loses at 4.25 bits
    assert quant_factor(CURVE, 4.25, native_bits=4.25) == 1.0        # gpt-oss at its own MXFP4: nothing
    assert quant_factor(CURVE, 8.5, native_bits=4.25) == 1.0         # more bits than the release: nothing gained
    below = quant_factor(CURVE, 3.0, native_bits=4.25)
    assert below == pytest.approx(quant_factor(CURVE, 3.0) / quant_factor(CURVE, 4.25))
    assert quant_factor(CURVE, 4.25, native_bits=16) == quant_factor(CURVE, 4.25)


def test_gpt_oss_is_proposed_as_released_and_deepseek_never_upcast() -> None:
    from advisor.catalog.read import catalog_snapshot
    from advisor.predict.predictor import get_predictor
    from advisor.recommend.pipeline import _candidate_source
    from advisor.recommend.questionnaire import parse_questionnaire
    from advisor.schema import HardwareSpec

    snap = catalog_snapshot()
    src = _candidate_source(snap, get_predictor(snap))
    q = parse_questionnaire({"use_case": {"task": "chat"}})
    gpu = HardwareSpec.of(snap.find_hardware("RTX 4090"), 8)
    t = src.local_table(q, gpu)
    by_model: dict[str, set[tuple[str, str]]] = {}
    for m, c in zip(t.model_id, t.configs):
        by_model.setdefault(snap.models[int(m)].name, set()).add((c[0], c[1]))
    assert by_model["gpt-oss-20b"] == {("llama.cpp", "MXFP4"), ("vllm", "MXFP4")}
    deepseek = {quant for _, quant in by_model["DeepSeek-V3"]}
    assert "FP8" in deepseek and not deepseek & {"F16", "BF16", "Q8_0"}
    assert {"Q4_K_M", "AWQ-INT4"} <= deepseek                       # smaller than FP8: proposed
    assert "MXFP4" not in {quant for _, quant in by_model["Qwen3-8B"]}  # native-only: not for a 16-bit release
    assert "F16" in {quant for _, quant in by_model["Qwen3-8B"]}


def test_a_gpt_oss_answer_shows_its_released_size_and_full_accuracy() -> None:
    from advisor.recommend import recommend

    r = recommend({"use_case": {"task": "chat"}, "hardware": {"name": "RX 7800 XT"}}, with_prompts=False)
    oss = next(c for c in r.candidates if c.model == "gpt-oss-20b")
    assert oss.quant == "MXFP4" and oss.predicted.memory_gb < 16
    assert "quantization loss" not in oss.basis["accuracy"].detail
