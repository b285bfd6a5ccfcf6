"""The CPU profile benchmark times each quantization in its own process, so a native crash of
llama.cpp (a segfault in one build's kernels for one quantization, seen for Q4_0 on an AMX Xeon)
costs that row and says why, instead of killing the run."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest

from advisor.benchmarks import cpu_profiles as cp


def test_a_result_comes_back_and_an_error_is_named() -> None:
    assert cp.guarded(math.sqrt, 9.0) == (3.0, None)
    value, why = cp.guarded(math.sqrt, -1.0)
    assert value is None and why == "ValueError: math domain error"


def test_a_native_crash_costs_one_row_and_says_so() -> None:
    value, why = cp.guarded(os.abort)  # SIGABRT in the child, as a segfault would be
    assert value is None and why is not None and "crashed with signal" in why


def test_the_real_timing_in_a_child(tmp_path: Path) -> None:
    pytest.importorskip("llama_cpp")
    from advisor.benchmarks.gguf_random import write_random_llama

    path = tmp_path / "tiny.gguf"
    tiny = cp.LlamaShape("random-llama-tiny", n_layers=2, hidden=256, n_heads=4, n_kv_heads=4, ffn=512, vocab=32000)
    write_random_llama(path, tiny, "f16")
    m, why = cp.guarded(cp.bench, path, 16, 4, 2, 1)
    assert why is None and m["prefill_tok_s"] > 0 and m["decode_tok_s"] > 0


def test_a_quantized_file_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    """`--dir` reuses files that exist: a failed or interrupted quantization must leave none."""
    pytest.importorskip("llama_cpp")
    from advisor.benchmarks.gguf_random import write_random_llama

    tiny = cp.LlamaShape("random-llama-tiny", n_layers=2, hidden=256, n_heads=4, n_kv_heads=4, ffn=512, vocab=32000)
    src = write_random_llama(tmp_path / "tiny-F16.gguf", tiny, "f16")
    dst = tmp_path / "tiny-Q8_0.gguf"
    cp.quantize(src, dst, "Q8_0", 1)
    assert dst.stat().st_size > 0 and not list(tmp_path.glob("*.partial"))
    with pytest.raises(RuntimeError, match="Q4_0"):
        cp.quantize(tmp_path / "missing.gguf", tmp_path / "x-Q4_0.gguf", "Q4_0", 1)
    assert not (tmp_path / "x-Q4_0.gguf").exists() and not list(tmp_path.glob("*.partial"))
