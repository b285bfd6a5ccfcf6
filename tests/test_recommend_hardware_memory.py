"""A catalog device without a memory figure (a board sold in several sizes) fails in one line
that names the field, how to give it, and the variants the catalog knows with their memory."""

from __future__ import annotations

import pytest

from advisor.errors import InputError


def test_a_device_without_memory_names_its_sized_variants() -> None:
    from advisor.recommend import recommend

    with pytest.raises(InputError) as err:
        recommend({"use_case": {"task": "chat"}, "hardware": {"name": "Raspberry Pi 5"}}, with_prompts=False)
    msg = str(err.value)
    assert msg.startswith("hardware.memory_gb:") and "--memory-gb" in msg
    assert "Raspberry Pi 5 CPU 8GB" in msg and "(RAM unspecified)" not in msg.split("variant")[1]
    sized = recommend({"use_case": {"task": "chat"}, "hardware": {"name": "Raspberry Pi 5", "memory_gb": 8}},
                      with_prompts=False)
    assert sized.candidates


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
