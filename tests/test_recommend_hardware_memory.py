"""A catalog device without a memory figure (a board sold in several sizes) is answered for the
variant of it the catalog knows best, and the answer says so; one with no sized variant fails in
one line that names the field and how to give it."""

from __future__ import annotations

import math

import pytest

from advisor.errors import InputError


def test_a_device_without_memory_is_answered_for_its_sized_variant_and_says_so() -> None:
    from advisor.recommend import recommend

    r = recommend({"use_case": {"task": "chat"}, "hardware": {"name": "Pi 5"}}, with_prompts=False)
    assert r.hardware.name == "Raspberry Pi 5 CPU 8GB" and r.hardware.memory_gb == 8  # the smaller of 8/16 GB
    assert r.candidates
    said = [n for n in r.notes if "which has no memory figure" in n]
    assert said == ["'Pi 5' is Raspberry Pi 5 CPU (RAM unspecified) in the catalog, which has no memory figure: "
                    "answered for its variant Raspberry Pi 5 CPU 8GB; give hardware.memory_gb (--memory-gb) for yours."]
    m1 = recommend({"use_case": {"task": "chat"}, "hardware": {"name": "M1 Max"}}, with_prompts=False)
    assert m1.hardware.name == "Apple M1 Max (32-core GPU) 64GB"  # a bandwidth figure and the most measurements
    own = recommend({"use_case": {"task": "chat"}, "hardware": {"name": "Raspberry Pi 5", "memory_gb": 4}},
                    with_prompts=False)
    assert own.hardware.name == "Raspberry Pi 5 CPU (RAM unspecified)" and own.hardware.memory_gb == 4
    assert not [n for n in own.notes if "which has no memory figure" in n]
    plain = recommend({"use_case": {"task": "chat"}, "hardware": {"name": "Raspberry Pi 5 CPU 16GB"}}, with_prompts=False)
    assert not [n for n in plain.notes if "which has no memory figure" in n]


def test_a_name_that_states_its_memory_is_answered_with_that_memory() -> None:
    """"RTX 4060 Ti 8GB" is an alias of the catalog's 4060 Ti of unstated VRAM: the 16 GB variant
    must not answer for it; the 8 GB the name states does, and the override note says so."""
    from advisor.recommend import recommend
    from advisor.catalog.names import stated_memory_gb

    assert stated_memory_gb("RTX 4060 Ti 8GB") == 8 and stated_memory_gb("Pi 5 16 gb") == 16
    assert stated_memory_gb("RTX 4090") is None
    r = recommend({"use_case": {"task": "chat"}, "hardware": {"name": "RTX 4060 Ti 8GB"}}, with_prompts=False)
    assert r.hardware.memory_gb == 8 and "16GB" not in r.hardware.name
    assert any("memory_gb 8 (the catalog's: unknown)" in n for n in r.notes)
    assert recommend({"use_case": {"task": "chat"}, "hardware": {"name": "Raspberry Pi 5 16GB"}},
                     with_prompts=False).hardware.name == "Raspberry Pi 5 CPU 16GB"


def test_sized_variant_keeps_to_the_device_and_its_kind() -> None:
    from advisor.catalog.read import catalog_snapshot

    snap = catalog_snapshot()
    assert snap.sized_variant("Apple M1 (GPU cores/RAM unspecified)").name == "Apple M1 (7-core GPU) 8GB"
    ultra = snap.sized_variant("Apple M1 Ultra (GPU cores unspecified)")
    assert ultra.name == "Apple M1 Ultra (48-core GPU) 64GB"  # has a bandwidth figure; the 128GB one has not
    assert snap.sized_variant("Apple M1 Max (GPU cores unspecified)").kind == "apple"  # not the M1 Max CPU
    assert snap.sized_variant("Raspberry Pi 5 CPU (RAM unspecified)", 16).name == "Raspberry Pi 5 CPU 16GB"
    assert snap.sized_variant("Raspberry Pi 5 CPU (RAM unspecified)", 4) is None
    assert snap.sized_variant("AMD Ryzen 9 7950X CPU") is None
    assert snap.sized_variant("no such device") is None


def test_a_variant_never_measured_is_predicted_like_its_measured_sibling() -> None:
    """The Pi 5's measurements ran on a board of unstated RAM; its 8GB variant, read as an
    8 GB device, was predicted at about half their decode."""
    from advisor.catalog.read import catalog_snapshot
    from advisor.predict.api import predict
    from advisor.schema import PredictRequest

    snap = catalog_snapshot()
    count = snap.hw_measurement_count
    for name, memory in snap.sibling_memory.items():  # a measured device reads its own: no training row changes
        h = snap.find_hardware(name)
        if count.get(h.id):
            assert memory == h.memory_gb or (math.isnan(memory) and h.memory_gb is None)
    assert snap.siblings("NVIDIA GeForce RTX 4090") == (None, 24.0)
    assert math.isnan(snap.siblings("Raspberry Pi 5 CPU 8GB")[1])  # the measured board states none
    assert snap.siblings("NVIDIA A100 SXM4 40GB") == (None, 80.0)  # the most measured A100 (80GB)

    def decode(hardware: str, **given: float) -> float:
        r = predict([PredictRequest.model_validate({
            "id": hardware, "model": {"name": "LFM2-1.2B"}, "quant": "Q5_K_M", "engine": "llama.cpp",
            "hardware": {"name": hardware, **given}, "workload": {"prompt_tokens": 300, "gen_tokens": 200}})])[0]
        assert r.error is None and r.basis == "predicted"
        return float(r.decode_tok_s)

    measured_on = decode("Raspberry Pi 5 CPU (RAM unspecified)")
    assert decode("Raspberry Pi 5 CPU 8GB") == pytest.approx(measured_on, rel=0.01)
    assert decode("Raspberry Pi 5 CPU 16GB") == pytest.approx(measured_on, rel=0.01)
    # memory a request gives decides what fits, not how fast the chip runs
    assert decode("Raspberry Pi 5 CPU (RAM unspecified)", memory_gb=4) == pytest.approx(measured_on, rel=0.01)


def test_a_device_without_memory_or_a_sized_variant_fails_naming_the_field() -> None:
    from advisor.recommend import recommend

    with pytest.raises(InputError) as err:
        recommend({"use_case": {"task": "chat"}, "hardware": {"name": "7950X"}}, with_prompts=False)
    msg = str(err.value)
    assert msg.startswith("hardware.memory_gb:") and "--memory-gb" in msg and "AMD Ryzen 9 7950X CPU" in msg
    assert recommend({"use_case": {"task": "chat"}, "hardware": {"name": "7950X", "memory_gb": 64}},
                     with_prompts=False).candidates


def test_figures_given_over_a_catalog_device_are_named_in_the_answer() -> None:
    """"Apple M2 Max" asked with 64 GB resolves to the catalog's 96 GB device (its measured speeds
    still apply): the memory used is the request's, and a note says so, since the header keeps the
    catalog's name. A plain catalog device gets no such note."""
    from advisor.recommend import recommend

    asked = {"use_case": {"task": "rag"}, "hardware": {"name": "Apple M2 Max", "memory_gb": 64}}
    r = recommend(asked, with_prompts=False)
    assert r.hardware.name.endswith("96GB") and r.hardware.memory_gb == 64
    assert [n for n in r.notes if "as the request gives them" in n] == [
        f"{r.hardware.name}: memory_gb 64 (the catalog's: 96), as the request gives them."]
    assert all(c.predicted.memory_gb is None or c.predicted.memory_gb <= 64 for c in r.candidates)
    plain = recommend({"use_case": {"task": "rag"}, "hardware": {"name": "RTX 4090"}}, with_prompts=False)
    assert not [n for n in plain.notes if "as the request gives them" in n]


def test_figures_nothing_gives_are_named_with_how_to_give_them() -> None:
    """A laptop CPU given only by kind and memory: its bandwidth and compute are placeholders the
    predictor marks as imputed, and the answer says so (the header alone shows "-"), naming the
    fields that would give them. A figure given removes its part; a catalog GPU with both has none."""
    from advisor.recommend import recommend

    def assumed(hardware: dict) -> list[str]:
        r = recommend({"use_case": {"task": "chat"}, "hardware": hardware}, with_prompts=False)
        return [n for n in r.notes if "figure is known" in n]

    laptop = assumed({"kind": "cpu", "memory_gb": 16})
    assert len(laptop) == 1 and "no memory bandwidth or compute figure" in laptop[0]
    assert "--bandwidth-gbs" in laptop[0] and "hardware.fp32_tflops" in laptop[0]
    given = assumed({"kind": "cpu", "memory_gb": 16, "mem_bandwidth_gbs": 90})
    assert len(given) == 1 and "no compute figure" in given[0] and "--bandwidth-gbs" not in given[0]
    assert assumed({"name": "RTX 4090"}) == []
