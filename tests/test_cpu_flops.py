"""A CPU's peak compute derived from what /proc/cpuinfo says (cores, clock, SIMD and matrix
flags), and the detected CPU carrying it (so the predictor no longer imputes its compute)."""

from __future__ import annotations

import pytest

from advisor.cpu_flops import cpu_compute, peak

ZEN5_FLAGS = "fpu sse sse2 avx fma avx2 avx512f avx512dq avx512bw avx512vl avx_vnni avx512_bf16 avx512_vnni"


def cpuinfo(n: int, flags: str, mhz: float = 2596.1, cores_per_socket: int | None = None, ht: int = 1,
            vendor: str = "AuthenticAMD", family: int = 26) -> str:
    """/proc/cpuinfo text of `n` logical processors, `ht` of them per core."""
    blocks = []
    for i in range(n):
        blocks.append("\n".join([
            f"processor\t: {i}", f"vendor_id\t: {vendor}", f"cpu family\t: {family}", "model name\t: Test CPU",
            f"cpu MHz\t\t: {mhz}", "physical id\t: 0", f"siblings\t: {n}", f"core id\t\t: {i // ht}",
            f"cpu cores\t: {cores_per_socket or n // ht}", f"flags\t\t: {flags}"]))
    return "\n\n".join(blocks) + "\n"


def test_avx512_cores_and_clock_give_the_fp32_peak() -> None:
    c = cpu_compute(cpuinfo(2, ZEN5_FLAGS))
    assert c is not None and c.cores == 2 and c.ghz == pytest.approx(2.5961)
    assert c.flops_per_cycle == 64 and c.fp32_tflops == pytest.approx(2 * 2.5961 * 64 / 1000)
    assert c.matrix_tflops is None and c.int8_tops == pytest.approx(4 * c.fp32_tflops)
    assert "DERIVED" in c.note() and "2 physical cores" in c.note()


def test_hyperthreads_share_a_core_and_cpufreq_max_beats_the_current_clock() -> None:
    c = cpu_compute(cpuinfo(8, "sse2 avx fma avx2"), max_khz=4_000_000)
    assert c is not None and c.cores == 8 and c.ghz == pytest.approx(4.0)
    with_ht = cpu_compute(cpuinfo(8, "sse2 avx fma avx2", ht=2))
    assert with_ht is not None and with_ht.cores == 4 and with_ht.flops_per_cycle == 32
    assert with_ht.int8_tops is None  # no int8 dot-product flag


def test_zen4_avx512_runs_on_halves_and_avx2_without_fma_on_half_the_pipes() -> None:
    zen4 = cpu_compute(cpuinfo(16, ZEN5_FLAGS, family=25))
    zen5 = cpu_compute(cpuinfo(16, ZEN5_FLAGS, family=26))
    assert zen4 is not None and zen5 is not None and zen4.fp32_tflops == pytest.approx(zen5.fp32_tflops / 2)
    no_fma = cpu_compute(cpuinfo(4, "sse2 avx avx2"))
    assert no_fma is not None and no_fma.flops_per_cycle == 16


def test_amx_adds_a_matrix_figure_and_neon_is_read_from_features() -> None:
    spr = cpu_compute(cpuinfo(48, ZEN5_FLAGS + " avx512_fp16 amx_bf16 amx_int8 amx_tile", vendor="GenuineIntel", family=6))
    assert spr is not None and spr.matrix_tflops == pytest.approx(48 * 2.5961 * 1024 / 1000)
    assert spr.int8_tops == pytest.approx(48 * 2.5961 * 2048 / 1000)
    arm = "processor\t: 0\nBogoMIPS\t: 108.00\nFeatures\t: fp asimd asimdhp asimddp\nCPU MHz\t: 2400\n\n" \
          "processor\t: 1\nFeatures\t: fp asimd asimdhp asimddp\nCPU MHz\t: 2400\n"
    c = cpu_compute(arm)
    assert c is not None and c.cores == 2 and c.simd == "asimd" and c.flops_per_cycle == 16
    assert c.fp32_tflops == pytest.approx(2 * 2.4 * 16 / 1000) and c.matrix_tflops is None


def test_nothing_derived_without_flags_or_clock() -> None:
    assert cpu_compute("processor\t: 0\nmodel name\t: mystery\n") is None
    assert cpu_compute(cpuinfo(2, "fpu vme")) is None  # no SIMD the formula knows
    assert cpu_compute("") is None


def test_the_catalog_formula_is_the_detection_formula() -> None:
    c = cpu_compute(cpuinfo(16, ZEN5_FLAGS, mhz=5700, family=25))
    assert c is not None
    same = peak(16, 5.7, "avx512f", 32, amx=False, vnni=True)
    assert same.fp32_tflops == pytest.approx(c.fp32_tflops) and same.int8_tops == pytest.approx(c.int8_tops)


def test_a_detected_cpu_carries_its_derived_compute(monkeypatch: pytest.MonkeyPatch) -> None:
    from advisor import cpu_flops
    from advisor import hardware_detect as hd

    text = cpuinfo(2, ZEN5_FLAGS)
    monkeypatch.setattr(hd, "this_cpu", lambda: cpu_flops.cpu_compute(text))
    monkeypatch.setattr(hd, "_match_catalog", lambda name: None)
    monkeypatch.setattr(hd, "_bandwidth", lambda what, mem, refresh: None)
    monkeypatch.setattr(hd, "machine_gemm", lambda machine, refresh=False: None)  # tests/test_hardware_gemm.py
    det = hd._detect_cpu()
    assert det.spec.fp32_tflops == pytest.approx(2 * 2.5961 * 64 / 1000, rel=1e-3)
    assert det.spec.int8_tops == pytest.approx(4 * det.spec.fp32_tflops, rel=1e-3)
    assert any("DERIVED from /proc/cpuinfo" in n for n in det.notes)

    from advisor.predict import physics

    tf, imputed = physics.effective_flops(det.spec, "none")
    assert not imputed and tf == pytest.approx(det.spec.fp32_tflops)

    monkeypatch.setattr(hd, "this_cpu", lambda: None)
    unknown = hd._detect_cpu()
    assert unknown.spec.fp32_tflops is None and any("compute unknown" in n for n in unknown.notes)
    assert physics.effective_flops(unknown.spec, "none")[1]  # imputed, and said so
