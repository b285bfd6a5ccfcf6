"""The physics of inference on known cases (shapes from the catalog), and the numpy export of
scikit-learn's boosted trees."""

from __future__ import annotations

import numpy as np
import pytest

from advisor.predict import physics
from advisor.predict.batch import memory_of
from advisor.schema import HardwareSpec, ModelSpec

GIB = 2**30


def arch_of(name: str) -> physics.Architecture:
    from advisor.catalog import open_catalog

    cat = open_catalog()
    m = cat.resolve_model(name)
    return physics.estimate_architecture(ModelSpec.of(cat.snapshot().models[m.id]))


def plain_kv(a: physics.Architecture, tokens: int, bytes_per_elem: float = 2.0) -> float:
    """The textbook formula: layers x KV heads x head dim x 2 (K and V) x bytes x tokens."""
    return a.n_layers * a.n_kv_heads * a.head_dim * 2 * bytes_per_elem * tokens


def test_weight_bytes_8b_at_q4_k_m() -> None:
    gb = physics.weight_bytes(8.0, 4.89) / 1e9
    assert gb == pytest.approx(4.89)
    assert round(gb, 1) == 4.9
    assert physics.weight_bytes(8.0, 16) == 2 * physics.weight_bytes(8.0, 8)


def test_llama3_8b_kv_cache_at_8k_fp16_is_one_gib() -> None:
    a = arch_of("Llama-3-8B-Instruct")
    assert (a.n_layers, a.n_kv_heads, a.head_dim) == (32, 8, 128)
    assert a.estimated == []
    assert physics.kv_cache_bytes(a, 8192) == GIB
    assert physics.kv_cache_bytes(a, 8192, bytes_per_elem=1.0) == GIB / 2   # FP8 cache
    assert physics.kv_cache_bytes(a, 0) == 0


@pytest.mark.parametrize("name", ["Gemma-2-9B-IT", "Gemma-3-12B-IT", "Mistral-7B-v0.1"])
def test_sliding_window_cache_is_smaller_than_plain_formula_at_32k(name: str) -> None:
    a = arch_of(name)
    assert a.sliding_window and a.sliding_window < 32768
    kv = physics.kv_cache_bytes(a, 32768)
    assert kv < plain_kv(a, 32768)
    # within the window every layer holds every token
    w = a.sliding_window
    assert physics.kv_cache_bytes(a, w) == plain_kv(a, w)
    # beyond it the window-capped layers stop growing: the growth per token is that of the global layers
    grow = physics.kv_cache_bytes(a, 32768) - physics.kv_cache_bytes(a, 16384)
    assert grow < plain_kv(a, 16384)


def test_mistral_all_layers_windowed_cache_stops_growing() -> None:
    a = arch_of("Mistral-7B-v0.1")
    assert physics.kv_cache_bytes(a, 32768) == physics.kv_cache_bytes(a, a.sliding_window)


def test_gemma3_five_local_to_one_global() -> None:
    a = arch_of("Gemma-3-12B-IT")
    glob = a.n_layers // 6
    per_layer_tok = a.n_kv_heads * a.head_dim * 2 * 2
    expected = per_layer_tok * (glob * 32768 + (a.n_layers - glob) * a.sliding_window)
    assert physics.kv_cache_bytes(a, 32768) == expected


def test_mla_uses_the_latent_size() -> None:
    a = arch_of("DeepSeek-V3")
    assert a.kv_lora_rank == 512
    kv = physics.kv_cache_bytes(a, 4096)
    # one latent vector (512) + the decoupled RoPE key (64) per layer and token, no K/V pair
    assert kv == a.n_layers * (512 + 64) * 2 * 4096
    gqa_like = a.n_layers * 128 * 128 * 2 * 2 * 4096   # 128 KV heads x 128 dims, had it been MHA
    assert kv < gqa_like / 50


def test_moe_decode_moves_active_params_but_memory_holds_all() -> None:
    a = arch_of("Mixtral-8x7B-Instruct-v0.1")
    assert a.active_params_b < a.params_b
    bpw = 4.89
    assert physics.decode_bytes_per_token(a, bpw, 0) == physics.weight_bytes(a.active_params_b, bpw)
    mem = memory_of(a, bpw, 4096, 1, "gpu")
    assert mem.weights_gb == pytest.approx(physics.weight_bytes(a.params_b, bpw) / 1e9)
    assert mem.kv_cache_gb == pytest.approx(physics.kv_cache_bytes(a, 4096) / 1e9)
    # a dense model of the same total size decodes ~params/active times slower at the roofline
    dense = physics.Architecture(**{**vars(a), "active_params_b": a.params_b, "estimated": []})
    ratio = physics.roofline_decode(a, bpw, 0, 1000) / physics.roofline_decode(dense, bpw, 0, 1000)
    assert ratio == pytest.approx(a.params_b / a.active_params_b)


def test_memory_counts_the_context_needed_not_the_maximum() -> None:
    a = arch_of("Llama-3.1-8B-Instruct")
    small = memory_of(a, 4.89, 2000, 1, "gpu")
    four = memory_of(a, 4.89, 2000, 4, "gpu")
    assert small.kv_cache_gb == pytest.approx(physics.kv_cache_bytes(a, 2000) / 1e9)
    assert small.kv_cache_gb < 0.5                     # not 128k tokens' worth (~16 GB)
    assert four.kv_cache_gb == pytest.approx(4 * small.kv_cache_gb)
    assert four.weights_gb == small.weights_gb
    assert small.total_gb == pytest.approx(small.weights_gb + small.kv_cache_gb + small.overhead_gb)


def test_layer_split_adds_no_bandwidth_tensor_split_does() -> None:
    one = HardwareSpec(name="x", kind="gpu", memory_gb=24, mem_bandwidth_gbs=1000, n_devices=1)
    two = one.model_copy(update={"n_devices": 2})
    bw1, imputed = physics.effective_bandwidth(one, "none")
    assert (bw1, imputed) == (1000, False)
    assert physics.effective_bandwidth(two, "layer")[0] == bw1
    assert physics.effective_bandwidth(two, "pipeline")[0] == bw1
    assert physics.effective_bandwidth(two, "tensor")[0] == 2 * bw1
    a = arch_of("Llama-3-8B-Instruct")
    assert physics.roofline_decode(a, 4.89, 512, physics.effective_bandwidth(two, "layer")[0]) == \
        physics.roofline_decode(a, 4.89, 512, bw1)


def test_case_split_defaults_follow_the_engine() -> None:
    from advisor.predict.features import Case

    spec = ModelSpec(name="m", params_b=8, n_layers=32, n_kv_heads=8, head_dim=128, hidden_size=4096)
    hw = HardwareSpec(name="x", kind="gpu", memory_gb=24, mem_bandwidth_gbs=1000, fp16_tflops=100, n_devices=2)
    lcpp = Case(model=spec, bits_per_weight=4.89, quant="Q4_K_M", quant_family="gguf", engine="llama.cpp", hardware=hw)
    vllm = Case(model=spec, bits_per_weight=4.25, quant="AWQ-INT4", quant_family="awq", engine="vllm", hardware=hw)
    assert lcpp.split == "layer" and vllm.split == "tensor"
    single = Case(model=spec, bits_per_weight=4.89, quant="Q4_K_M", quant_family="gguf", engine="vllm",
                  hardware=hw.model_copy(update={"n_devices": 1}), split="tensor")
    assert single.split == "none"


def test_missing_bandwidth_is_imputed_and_flagged() -> None:
    hw = HardwareSpec(name="x", kind="cpu", memory_gb=64)
    bw, imputed = physics.effective_bandwidth(hw, "none")
    assert imputed and bw == physics.DEFAULT_BANDWIDTH_GBS["cpu"]


def test_architecture_estimated_from_params_says_so() -> None:
    a = physics.estimate_architecture(ModelSpec(name="mystery", params_b=13))
    assert {"n_layers", "hidden_size", "n_kv_heads"} <= set(a.estimated)
    assert a.n_layers > 0 and a.hidden_size > 0
    with pytest.raises(ValueError, match="params_b"):
        physics.estimate_architecture(ModelSpec(name="nothing"))


def test_llama4_chunked_attention_is_estimated_conservatively() -> None:
    """Llama 4's 3-local : 1-global chunk pattern is unverified in the cited configs (see
    ../shared/data/README.md): the estimate deliberately keeps every layer global, so memory
    is never under-estimated."""
    a = arch_of("Llama-4-Scout-17B-16E-Instruct")
    assert "chunked" in a.attention
    assert physics.kv_cache_bytes(a, 131072) == plain_kv(a, 131072)


# --------------------------------------------------------------------------- trees


def test_tree_export_predicts_exactly_like_sklearn() -> None:
    from sklearn.ensemble import HistGradientBoostingRegressor
    from threadpoolctl import threadpool_limits

    from advisor.predict.trees import TreeEnsemble

    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 6))
    X[rng.random(X.shape) < 0.1] = np.nan          # missing values take the learned side
    y = np.nan_to_num(X[:, 0]) * 2 + np.sin(np.nan_to_num(X[:, 1])) + (np.isnan(X[:, 2]) * 3) + rng.normal(0, .1, 600)
    with threadpool_limits(limits=1, user_api="openmp"):  # a busy 2-core box: threads only contend
        est = HistGradientBoostingRegressor(max_iter=40, max_leaf_nodes=15, random_state=0).fit(X, y)
    trees = TreeEnsemble.from_sklearn(est)
    Xt = rng.normal(size=(300, 6))
    Xt[rng.random(Xt.shape) < 0.2] = np.nan
    np.testing.assert_allclose(trees.predict(Xt), est.predict(Xt), rtol=1e-12, atol=1e-12)
    # round trip through plain arrays
    again = TreeEnsemble.from_arrays(trees.to_arrays("t"), "t")
    np.testing.assert_array_equal(again.predict(Xt), trees.predict(Xt))
    assert all(v.dtype != object for v in trees.to_arrays("t").values())


def test_tree_export_refuses_categorical_splits() -> None:
    from sklearn.ensemble import HistGradientBoostingRegressor
    from threadpoolctl import threadpool_limits

    from advisor.predict.trees import TreeEnsemble

    rng = np.random.default_rng(1)
    X = np.c_[rng.integers(0, 4, 200), rng.normal(size=200)]
    y = X[:, 0] * 3 + X[:, 1]
    with threadpool_limits(limits=1, user_api="openmp"):
        est = HistGradientBoostingRegressor(max_iter=5, categorical_features=[0], random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="categorical"):
        TreeEnsemble.from_sklearn(est)


def test_fit_trees_learns_and_handles_all_nan_column() -> None:
    from advisor.predict.trees import fit_trees

    rng = np.random.default_rng(2)
    X = np.c_[rng.normal(size=300), np.full(300, np.nan)]
    y = 3 * X[:, 0]
    t = fit_trees(X, y, max_iter=30)
    pred = t.predict(X)
    assert np.corrcoef(pred, y)[0, 1] > 0.95


def test_cpu_threads_bound_decode_by_weights_not_bytes() -> None:
    """Few CPU threads compute-bound decode: the bound counts weights (the same for Q4_0 and
    F16), scales with the thread count, and never exceeds the bandwidth bound."""
    from advisor.predict.features import Case

    spec = ModelSpec(name="m", params_b=8, n_layers=32, n_kv_heads=8, head_dim=128, hidden_size=4096)
    cpu = HardwareSpec(name="c", kind="cpu", memory_gb=64, mem_bandwidth_gbs=400)

    def case(quant: str, bpw: float, threads: int | None) -> Case:
        return Case(model=spec, bits_per_weight=bpw, quant=quant, quant_family="gguf", engine="llama.cpp",
                    hardware=cpu, threads=threads, prompt_tokens=0)

    q2, q4 = case("Q4_0", 4.5, 2), case("Q4_0", 4.5, 4)
    assert q4.roofline_decode() == pytest.approx(2 * q2.roofline_decode())
    assert q2.roofline_decode() == pytest.approx(2 * physics.CPU_THREAD_WEIGHT_RATE["block"] / 8)
    # codebook quants cost more per weight than block quants at the same thread count
    assert case("IQ2_XS", 2.3, 2).roofline_decode() < q2.roofline_decode()
    # unknown thread count or many threads: memory bandwidth decides
    assert case("Q4_0", 4.5, None).roofline_decode() == pytest.approx(q2.decode_bounds()[0])
    assert case("Q4_0", 4.5, 64).roofline_decode() == pytest.approx(q2.decode_bounds()[0])
    gpu = Case(model=spec, bits_per_weight=4.5, quant="Q4_0", quant_family="gguf", engine="llama.cpp",
               hardware=cpu.model_copy(update={"kind": "gpu"}), threads=2)
    assert gpu.roofline_decode() == gpu.decode_bounds()[0]  # threads bind CPUs only


def test_imputed_compute_is_hidden_from_the_learned_correction() -> None:
    """A default compute figure is not a fact about the device: the decode model's compute
    features are missing there."""
    import math

    from advisor.predict.batch import feature_matrix
    from advisor.predict.features import FEATURE_NAMES, Case

    def feature_vector(case: Case) -> list[float]:
        return list(feature_matrix([case])[0])

    spec = ModelSpec(name="m", params_b=8)
    cpu = HardwareSpec(name="c", kind="cpu", memory_gb=64, mem_bandwidth_gbs=80)
    v = feature_vector(Case(model=spec, bits_per_weight=4.5, quant="Q4_0", quant_family="gguf",
                            engine="llama.cpp", hardware=cpu))
    assert v[FEATURE_NAMES.index("flops_imputed")] == 1.0
    assert math.isnan(v[FEATURE_NAMES.index("log_tflops_known")])
    assert math.isnan(v[FEATURE_NAMES.index("flops_per_byte_known")])
    gpu = cpu.model_copy(update={"kind": "gpu", "fp16_nontensor_tflops": 40.0})
    w = feature_vector(Case(model=spec, bits_per_weight=4.5, quant="Q4_0", quant_family="gguf",
                            engine="llama.cpp", hardware=gpu))
    assert w[FEATURE_NAMES.index("log_tflops_known")] == pytest.approx(math.log(40.0))


def test_prefill_at_depth_pays_attention_over_the_context_held() -> None:
    """llama-bench pp2048@d32768: each prompt token attends to the 32k tokens already cached, so
    the compute roofline falls with depth; window-capped layers stop paying past their window. An
    attention FLOP takes `ATTENTION_COST` times a matmul FLOP's time."""
    from advisor.predict.features import Case

    def roof(model: ModelSpec, depth: int) -> float:
        hw = HardwareSpec(name="g", kind="gpu", mem_bandwidth_gbs=1000.0, fp16_nontensor_tflops=100.0)
        return Case(model=model, bits_per_weight=4.5, quant="Q4_K_M", quant_family="gguf", engine="llama.cpp",
                    hardware=hw, prompt_tokens=2048, context_depth=depth).roofline_prefill()

    full = ModelSpec(name="f", params_b=8.0, n_layers=32, hidden_size=4096, n_heads=32, n_kv_heads=8, head_dim=128)
    weights = 2 * 8e9
    attn = lambda keys: physics.ATTENTION_COST * 4 * 4096 * 32 * keys  # noqa: E731 - QK and AV per key, all layers
    assert physics.ATTENTION_COST == 2.0
    assert roof(full, 0) == pytest.approx(100e12 / (weights + attn(1024)))
    assert roof(full, 32768) == pytest.approx(100e12 / (weights + attn(32768 + 1024)))
    assert roof(full, 32768) < roof(full, 0) / 2
    windowed = full.model_copy(update={"attention": "sliding-window (all layers)", "sliding_window": 4096})
    assert roof(windowed, 32768) == pytest.approx(100e12 / (weights + attn(4096)))
    # a key costs every query head x its width, which is not the hidden size for many models
    wide = full.model_copy(update={"n_heads": 96, "head_dim": 128})  # GLM-4.5's 96 x 128 at hidden 4,096
    assert roof(wide, 32768) == pytest.approx(100e12 / (weights + 3 * attn(32768 + 1024)))
    mla = full.model_copy(update={"n_heads": 96, "kv_lora_rank": 512, "attention": "mla"})
    assert roof(mla, 32768) == pytest.approx(roof(full, 32768))  # latent attention: by the hidden size


def test_a_request_timed_from_an_empty_cache_has_no_depth() -> None:
    """A seed row that times a whole request (TTFT of its prompt, then decode) starts from an
    empty cache: its context_depth is 0, or the prompt would be counted twice (in the decode
    context, and as a cache the implied prefill attends to). 361 rows once had depth = prompt."""
    import csv

    from advisor.config import seed_dir

    with open(seed_dir() / "measurements.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    timed = [r for r in rows if r["ttft_ms"] and r["decode_tok_s"] and r["prompt_tokens"] not in ("", "0")]
    assert len(timed) > 100
    doubled = [r for r in timed if r["context_depth"] == r["prompt_tokens"]]
    assert doubled == []


def test_gemma4_full_layers_cost_their_own_shape_in_batch_and_scalar_physics() -> None:
    """The catalog's Gemma 4 31B: the columnar physics (what ranking and the trees use) gives the
    same KV cache as the scalar formula, and a prompt token attends over the full layers at their
    512-wide heads (twice the sliding layers' cost per key)."""
    from advisor.catalog import open_catalog
    from advisor.predict.batch import ArchTable, batch_of
    from advisor.predict.features import Case

    spec = ModelSpec.of(open_catalog().snapshot().find_model("gemma-4-31B-it"))
    a = physics.estimate_architecture(spec)
    assert (a.global_head_dim, a.global_kv_heads, a.n_kv_heads, a.head_dim) == (512, 4, 16, 256)
    table = ArchTable.of([a])
    for tokens in (1000, 32768, 131072):
        assert table.kv_bytes(np.zeros(1, dtype=int), np.array([tokens]))[0] == physics.kv_cache_bytes(a, tokens)
    hw = HardwareSpec(name="g", kind="gpu", mem_bandwidth_gbs=1000.0, fp16_nontensor_tflops=100.0)
    case = Case(model=spec, bits_per_weight=4.5, quant="Q4_K_M", quant_family="gguf", engine="llama.cpp",
                hardware=hw, prompt_tokens=2048, context_depth=32768)
    glob, local = 10, 50
    keys = 32768 + 1024
    attn = 4 * (32 * 512 * glob * keys + 32 * 256 * local * 1024)
    expected = 100e12 / (2 * a.active_params_b * 1e9 + physics.ATTENTION_COST * attn)
    assert batch_of([case]).roofline_prefill(np.array([100.0]))[0] == pytest.approx(expected)


def test_llama_bench_depth_rows_say_the_depth_they_hold() -> None:
    """Every seed row whose notes name a llama-bench test at a depth (`pp2048@d32768`, `tg32@d16384`)
    holds that depth, prompt and output in its columns: the predictor reads the columns, a reviewer
    the notes. Deep-context rows of three AMD devices (Strix Halo, R9700, MI50) are among them."""
    import csv
    import re

    from advisor.config import seed_dir

    with open(seed_dir() / "measurements.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    deep = [(r, m) for r in rows if (m := re.match(r"metric=llama-bench (pp|tg)(\d+)@d(\d+);", r["notes"]))]
    devices = {r["hardware"] for r, _ in deep}
    assert {"AMD Radeon AI PRO R9700", "AMD Radeon Instinct MI50 32GB"} <= devices, devices
    for r, m in deep:
        kind, n, depth = m.group(1), m.group(2), m.group(3)
        assert r["context_depth"] == depth, r["notes"][:80]
        if kind == "pp":
            assert (r["prompt_tokens"], r["gen_tokens"], r["decode_tok_s"]) == (n, "0", ""), r["notes"][:80]
        else:
            assert (r["prompt_tokens"], r["gen_tokens"], r["prefill_tok_s"]) == ("0", n, ""), r["notes"][:80]


def test_a_cpu_without_a_compute_figure_scales_with_its_bandwidth() -> None:
    """A CPU with a bandwidth figure and no compute figure reads as bandwidth x CPU_FLOPS_PER_BYTE,
    still flagged imputed (a Pi 4 read as 1.5 TFLOPS before: 15x its four Cortex-A72); with
    neither figure, the kind's default. The constant is the median FLOPs per byte of the shipped
    catalog's CPUs that have both figures (one per chip, not Apple's SoC-wide bandwidth)."""
    import csv
    import statistics

    from advisor.config import seed_dir

    pi4 = HardwareSpec(name="Raspberry Pi 4B CPU 8GB", kind="cpu", memory_gb=8, mem_bandwidth_gbs=12.8)
    tf, imputed = physics.effective_flops(pi4, "none")
    assert imputed and tf == pytest.approx(12.8 * physics.CPU_FLOPS_PER_BYTE / 1000) and tf < 0.3
    assert physics.effective_flops(HardwareSpec(name="x", kind="cpu"), "none") == (physics.DEFAULT_FP16_TFLOPS["cpu"], True)
    gpu = HardwareSpec(name="g", kind="gpu", mem_bandwidth_gbs=1000)  # GPUs keep their default
    assert physics.effective_flops(gpu, "none") == (physics.DEFAULT_FP16_TFLOPS["gpu"], True)
    with open(seed_dir() / "hardware.csv", encoding="utf-8") as fh:
        chips = {(r["fp32_tflops"], r["mem_bandwidth_gbs"]) for r in csv.DictReader(fh)
                 if r["kind"] == "cpu" and r["vendor"] != "Apple" and r["fp32_tflops"] and r["mem_bandwidth_gbs"]}
    ratio = statistics.median(float(tf) * 1000 / float(bw) for tf, bw in chips)
    assert len(chips) >= 5 and physics.CPU_FLOPS_PER_BYTE == pytest.approx(ratio, abs=0.1)
