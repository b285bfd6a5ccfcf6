"""Which engines run on which kinds of hardware: one table, read by `advisor predict` (an
error naming both) and by the recommender (configurations it does not propose).

Kinds are the catalog's (`gpu`, `cpu`, `apple`, `npu`, `tpu`); `vendors`, when given, are the
only makers whose devices the engine runs on (matched in the device's vendor; a device of unknown vendor is not held to it). An
engine that is not in the table is not restricted: we do not claim what we do not know."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.catalog.names import norm


@dataclass(frozen=True)
class EngineSupport:
    kinds: frozenset[str]
    vendors: tuple[str, ...] | None = None


def _s(kinds: str, vendors: tuple[str, ...] | None = None) -> EngineSupport:
    return EngineSupport(frozenset(kinds.split()), vendors)


_GGML = _s("gpu cpu apple")  # CUDA, ROCm, Vulkan, SYCL, Metal and CPU back ends; no TPU, no NPU
_MLX = _s("apple cpu", ("apple",))  # MLX runs on Apple silicon only

ENGINE_SUPPORT: dict[str, EngineSupport] = {
    "llama.cpp": _GGML, "ik_llama.cpp": _GGML, "llama-cpp-python": _GGML, "ollama": _GGML,
    "lm-studio": _GGML, "docker-model-runner": _GGML,
    "mlx-lm": _MLX, "mlx-vlm": _MLX, "vllm-mlx": _MLX, "omlx": _MLX,
    "qnn": _s("npu", ("qualcomm",)),  # Qualcomm AI Engine Direct
    "jetstream": _s("tpu", ("google",)),
    "vllm": _s("gpu tpu cpu"),
    "sglang": _s("gpu"),
    "tensorrt-llm": _s("gpu", ("nvidia",)),
    "exllamav2": _s("gpu", ("nvidia", "amd")),
    "exllamav3": _s("gpu", ("nvidia", "amd")),
    "lmdeploy": _s("gpu"),
    "tinychat": _s("gpu cpu"),
    "gpt-fast": _s("gpu"),
    "autoawq": _s("gpu cpu"),
    "mlc-llm": _s("gpu cpu apple"),
    "ds4": _s("gpu apple"),
    "ktransformers": _s("gpu cpu"),
    "distributed-llama": _s("cpu"),
    "litert-lm": _s("cpu gpu npu"),
    "mnn": _s("cpu gpu npu"),
}
_BY_NORM = {norm(name): support for name, support in ENGINE_SUPPORT.items()}


def engine_problem(engine: str | None, kind: str | None, vendor: str | None = None,
                   name: str | None = None) -> str | None:
    """Why `engine` cannot run on this hardware (a sentence naming both), or None when it can
    or when the table does not know the engine, the kind or the vendor."""
    support = _BY_NORM.get(norm(engine or "")) if engine else None
    if support is None or not kind:
        return None
    where = f"{kind} hardware" + (f" ({name})" if name else "")
    if kind not in support.kinds:
        only = f" of {', '.join(support.vendors)}" if support.vendors else ""
        return f"{engine} does not run on {where}; it runs on {', '.join(sorted(support.kinds))}{only} devices"
    maker = (vendor or "").lower()  # an unknown maker is not held against the engine
    if support.vendors and maker and not any(v in maker for v in support.vendors):
        return f"{engine} does not run on {where}; only on {', '.join(support.vendors)} devices"
    return None


def engine_runs_on(engine: str | None, kind: str | None, vendor: str | None = None, name: str | None = None) -> bool:
    """True unless the table says `engine` cannot run on this hardware."""
    return engine_problem(engine, kind, vendor, name) is None
