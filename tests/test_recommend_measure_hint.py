"""A detected CPU the catalog holds no measurement of gets a note saying its speeds are carried
over from other CPUs and how to measure it; a catalog device or a measured one does not."""

from __future__ import annotations

import pytest

from advisor.recommend.notes import measure_hint
from advisor.schema import HardwareSpec

CPU = HardwareSpec(name="Some CPU (2 cores) (detected)", kind="cpu", memory_gb=32, mem_bandwidth_gbs=30,
                   fp32_tflops=0.2)


def test_only_an_unmeasured_detected_cpu_gets_the_hint() -> None:
    (hint,) = measure_hint(CPU, "detected", 0)
    assert "No speed on Some CPU (2 cores) (detected) is measured" in hint and "cpu_profiles --record" in hint
    assert measure_hint(CPU, "detected", 12) == []  # rows recorded on it: the predictor learns from them
    assert measure_hint(CPU, "facts", 0) == []  # facts may describe another machine than this one
    assert measure_hint(CPU.model_copy(update={"kind": "gpu"}), "detected", 0) == []
    assert measure_hint(None, None, 0) == []


def test_the_real_pipeline_says_it_for_a_detected_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    from advisor import hardware_detect
    from advisor.recommend import recommend

    monkeypatch.setattr(hardware_detect, "detect_hardware", lambda refresh=False: CPU)
    answer = recommend({"use_case": {"task": "chat"}, "hardware": {"detect": True},
                        "requirements": {"deployment": "local"}},
                       with_prompts=False)
    assert answer.candidates and any("No speed on Some CPU" in n for n in answer.notes)
    catalog = recommend({"use_case": {"task": "chat"}, "hardware": {"name": "RTX 4090"}}, with_prompts=False)
    assert not any("No speed on" in n for n in catalog.notes)


def test_a_detected_machine_says_where_its_figures_came_from(monkeypatch: pytest.MonkeyPatch) -> None:
    """The header shows a detected machine's bandwidth and compute; the notes carry how the
    detection found them (measured, put on the peak basis, derived), and only for that machine."""
    from advisor import hardware_detect
    from advisor.recommend import recommend

    how = ["mem_bandwidth_gbs 50 GB/s is that read on the peak basis of the catalog's CPU figures: 30 / 0.6"]
    monkeypatch.setattr(hardware_detect, "_CACHE", hardware_detect.Detection(CPU, how))
    monkeypatch.setattr(hardware_detect, "detect_hardware", lambda refresh=False: CPU)
    answer = recommend({"use_case": {"task": "chat"}, "hardware": {"detect": True}}, with_prompts=False)
    assert any(n.startswith(f"{CPU.name}: ") and how[0] in n for n in answer.notes)
    other = CPU.model_copy(update={"name": "Another CPU (detected)"})
    monkeypatch.setattr(hardware_detect, "detect_hardware", lambda refresh=False: other)
    answer = recommend({"use_case": {"task": "chat"}, "hardware": {"detect": True}}, with_prompts=False)
    assert not any(how[0] in n for n in answer.notes)
