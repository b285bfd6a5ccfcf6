"""Cases as columns: the physics bounds and the feature matrix of many cases at once, in numpy.

A batch is built from small tables (one row per distinct model, quantization, engine and
device) and index arrays (one entry per case), so that ranking a million model x quant x engine
x hardware combinations costs array arithmetic, not a million Python objects. `feature_matrix`
of a list of `Case`s goes through the same code: training and prediction cannot drift apart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

import numpy as np

from advisor.predict import physics
from advisor.predict.features import ENGINE_GROUPS, KINDS, QUANT_FAMILIES, SPLITS, Case, _vendor, backend_index
from advisor.schema import HardwareSpec

GB = physics.GB
NAN = float("nan")


def _arr(values: Sequence[float]) -> np.ndarray:
    return np.asarray(values, dtype=float)


@dataclass(frozen=True)
class ArchTable:
    """One row per model architecture: what the physics needs of it."""

    params_b: np.ndarray
    active_b: np.ndarray
    n_layers: np.ndarray
    kv_layers: np.ndarray
    query_width: np.ndarray         # query heads x head dim: the FLOPs of each key attended
    query_glob: np.ndarray          # the same on the layers caching every token (Gemma 4: their own)
    kv_glob_token: np.ndarray       # bytes per token of a layer caching every token (MLA: the latent)
    kv_local_token: np.ndarray      # bytes per token of a window-capped layer
    kv_glob: np.ndarray             # layers caching every token (MLA: all KV layers)
    kv_local: np.ndarray            # layers capped at the window
    window: np.ndarray              # 0: none
    state_bytes: np.ndarray

    @classmethod
    def of(cls, archs: Sequence[physics.Architecture]) -> "ArchTable":
        rows = []
        for a in archs:
            if a.kv_lora_rank or "mla" in a.attention:
                per, glob, local, window = ((a.kv_lora_rank or 512) + 64) * 2.0, a.kv_layers, 0, 0
                per_local = 0.0  # no window-capped layer
            else:
                per, per_local = a.kv_token_bytes()
                glob, local, w = physics._global_local_layers(a)
                window = w or 0
            rows.append((a.params_b, a.active_params_b, a.n_layers, a.kv_layers, a.query_width, a.global_query_width,
                         per, per_local, glob, local, window, a.state_bytes))
        cols = list(zip(*rows)) if rows else [()] * 12
        return cls(*(_arr(c) for c in cols))

    def kv_bytes(self, i: np.ndarray, tokens: np.ndarray) -> np.ndarray:
        """`physics.kv_cache_bytes` of model rows `i` at `tokens` tokens (one sequence)."""
        t = np.asarray(tokens, dtype=float)
        w = self.window[i]
        local_t = np.where(w > 0, np.minimum(t, w), t)
        out = self.kv_glob_token[i] * self.kv_glob[i] * t + self.kv_local_token[i] * self.kv_local[i] * local_t
        return np.where(t > 0, out, 0.0)


@dataclass(frozen=True)
class QuantTable:
    bpw: np.ndarray
    family: np.ndarray   # index in QUANT_FAMILIES
    k_quant: np.ndarray
    i_quant: np.ndarray
    cpu_rate: np.ndarray  # billions of weights per second per CPU thread

    @classmethod
    def of(cls, quants: Sequence[tuple[str | None, str | None, float]]) -> "QuantTable":
        """From (name, family, bits per weight) triples."""
        rows = []
        for name, family, bpw in quants:
            q = (name or "").upper()
            fam = QUANT_FAMILIES.index(family) if family in QUANT_FAMILIES else len(QUANT_FAMILIES) - 1
            rows.append((bpw, fam, float("_K" in q), float(q.startswith("IQ")), physics.cpu_weight_rate(name)))
        cols = list(zip(*rows)) if rows else [()] * 5
        return cls(*(_arr(c) for c in cols))


@dataclass(frozen=True)
class HardwareTable:
    """One row per device (figures per device, as `HardwareSpec` has them)."""

    kind: np.ndarray          # index in KINDS
    vendor: np.ndarray        # index in VENDORS
    bw: np.ndarray            # own or sibling bandwidth, else the kind's default
    bw_imputed: np.ndarray
    tf: np.ndarray            # one device's FP16 compute (physics.effective_flops basis)
    tf_imputed: np.ndarray
    mem_gb: np.ndarray        # memory the speed features read (own or a sibling's); nan: unknown
    tensor_ratio: np.ndarray  # nan: unknown
    backend_default: np.ndarray  # index in BACKENDS when the case states none

    @classmethod
    def of(cls, hardware: Sequence[HardwareSpec],
           siblings: Sequence[tuple[float | None, float | None]] | None = None) -> "HardwareTable":
        """The table of some devices; `siblings`: per device, the (bandwidth, memory) its speed
        features read from a variant (the snapshot's `siblings`; None: its own)."""
        rows = []
        for i, hw in enumerate(hardware):
            one = hw if hw.n_devices == 1 else hw.model_copy(update={"n_devices": 1})
            sib_bw, sib_mem = siblings[i] if siblings else (None, None)
            bw, bw_imp = physics.effective_bandwidth(one, "none", sib_bw)
            tf, tf_imp = physics.effective_flops(one, "none")
            mem = sib_mem if sib_mem is not None else (hw.memory_gb or NAN)
            rows.append((KINDS.index(hw.kind or "gpu"), _vendor(one), bw, float(bw_imp), tf, float(tf_imp),
                         mem, physics.tensor_ratio(one) or NAN,
                         backend_index(None, one)))
        cols = list(zip(*rows)) if rows else [()] * 9
        return cls(*(_arr(c) for c in cols))


SPLIT_SCALE = {"tensor": "n", "nodes": "n", "tensor+pipeline": "sqrt"}


@dataclass(frozen=True)
class CaseBatch:
    """N cases: indexes into the tables plus per-case columns."""

    arch: ArchTable
    quant: QuantTable
    hw: HardwareTable
    model_i: np.ndarray
    quant_i: np.ndarray
    hw_i: np.ndarray
    engine_group: np.ndarray
    split: np.ndarray        # index in SPLITS, after the device-count and engine defaults
    n_devices: np.ndarray
    prompt: np.ndarray
    gen: np.ndarray
    depth: np.ndarray
    threads: np.ndarray      # nan: not stated
    backend: np.ndarray      # index in BACKENDS

    def __len__(self) -> int:
        return len(self.model_i)

    def rows(self, part: slice) -> "CaseBatch":
        """The cases of `part` (the same tables, the per-case columns sliced: views, no copies)."""
        per_case = {f.name: getattr(self, f.name)[part] for f in fields(self) if f.name not in ("arch", "quant", "hw")}
        return replace(self, **per_case)

    @property
    def kind_codes(self) -> np.ndarray:
        """Each case's hardware kind, as an index into `KINDS`."""
        return self.hw.kind[self.hw_i].astype(np.intp)

    @property
    def decode_context(self) -> np.ndarray:
        return self.depth + self.prompt + np.floor_divide(self.gen, 2)

    def bandwidth(self) -> tuple[np.ndarray, np.ndarray]:
        """(bandwidth one stream sees, imputed): tensor and node splits add devices, a
        tensor+pipeline split their square root, layer splits none."""
        bw = self.hw.bw[self.hw_i]
        n = self.n_devices
        s = self.split
        scale = np.ones(len(self))
        for name, how in SPLIT_SCALE.items():
            mask = (s == SPLITS.index(name)) & (n > 1)
            scale = np.where(mask, n if how == "n" else np.sqrt(n), scale)
        return bw * scale, self.hw.bw_imputed[self.hw_i]

    def prefill_tflops(self) -> np.ndarray:
        """`physics.effective_flops` for each case's split, device count and prompt."""
        tf = self.hw.tf[self.hw_i]
        n = self.n_devices
        s = self.split
        m = np.maximum(1, np.ceil(np.maximum(self.prompt, 1) / physics.UBATCH_TOKENS))
        pipe = n * m / (n + m - 1)
        stages = np.maximum(1, np.round(np.sqrt(n)))
        tp_pp = (n / stages) * (stages * m / (stages + m - 1))
        many = n > 1
        out = np.where(many & np.isin(s, [SPLITS.index("tensor"), SPLITS.index("nodes")]), tf * n, tf)
        out = np.where(many & np.isin(s, [SPLITS.index("layer"), SPLITS.index("pipeline")]), tf * pipe, out)
        return np.where(many & (s == SPLITS.index("tensor+pipeline")), tf * tp_pp, out)

    def decode_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """(bandwidth bound, roofline) on decode tokens/s (a CPU with a known thread count is
        also held under its threads' compute bound)."""
        a, i = self.arch, self.model_i
        bw, _ = self.bandwidth()
        weight = a.active_b[i] * 1e9 * self.quant.bpw[self.quant_i] / 8
        by_bw = bw * GB / (weight + a.kv_bytes(i, self.decode_context) + 2 * a.state_bytes[i])
        cpu = (self.hw.kind[self.hw_i] == KINDS.index("cpu")) & (self.threads > 0)
        thread = np.where(cpu, self.threads * self.quant.cpu_rate[self.quant_i] / a.active_b[i], np.inf)
        return by_bw, np.where(cpu, np.minimum(by_bw, thread), by_bw)

    def attention_flops(self) -> np.ndarray:
        """Attention FLOPs per prompt token (QK and AV, 2 x 2 per key and width): a prompt token
        attends to the context already held (`depth`) and on average half the prompt, capped at
        the window on sliding layers (llama-bench `pp2048@d32768` pays for 32k keys per token)."""
        a, i = self.arch, self.model_i
        keys = self.depth + np.maximum(self.prompt, 1) / 2
        w = a.window[i]
        local = np.where(w > 0, np.minimum(keys, w), keys)
        return 4 * (a.query_glob[i] * a.kv_glob[i] * keys + a.query_width[i] * a.kv_local[i] * local)

    def roofline_prefill(self, tflops: np.ndarray) -> np.ndarray:
        """Prefill tokens/s at `tflops`: the active weights' 2 FLOPs each plus the attention's,
        which cost `physics.ATTENTION_COST` times as much time a FLOP."""
        a, i = self.arch, self.model_i
        return tflops * 1e12 / (2 * a.active_b[i] * 1e9 + physics.ATTENTION_COST * self.attention_flops())

    def prefill_balance(self, tflops: np.ndarray) -> np.ndarray:
        """Memory-bound over compute-bound prefill speed: every pass of a micro-batch (up to
        `UBATCH_TOKENS` of the prompt) reads all the weights once (a batch of tokens touches nearly
        every expert of an MoE). Small on a GPU with a short prompt (the weights' transfer, not
        the FLOPs, sets the time), large on a CPU at any prompt: the short-prompt penalty a GPU
        pays does not carry over to a CPU, whose balance of FLOPs to bytes is far lower."""
        bw, _ = self.bandwidth()
        m = np.minimum(np.maximum(self.prompt, 1), physics.UBATCH_TOKENS)
        by_bw = m * bw * GB / (self.weight_gb() * GB)
        return by_bw / self.roofline_prefill(tflops)

    def weight_gb(self) -> np.ndarray:
        """All weights (an MoE's every expert must fit), GB."""
        return self.arch.params_b[self.model_i] * 1e9 * self.quant.bpw[self.quant_i] / 8 / GB

    def memory_parts(self, context: np.ndarray | int, concurrency: np.ndarray | int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(weights, KV cache + recurrent state, runtime overhead) in GB: the KV cache for the
        context actually needed (never the model's maximum) times the concurrent sequences."""
        ctx = np.broadcast_to(np.asarray(context, dtype=float), (len(self),))
        w = self.weight_gb()
        kv = (self.arch.kv_bytes(self.model_i, ctx) + self.arch.state_bytes[self.model_i]) * concurrency / GB
        base = np.array([physics.RUNTIME_OVERHEAD_GB[k] for k in KINDS])[self.hw.kind[self.hw_i].astype(int)]
        return w, kv, base + physics.ACTIVATION_FRACTION * w


def memory_of(arch: physics.Architecture, bits_per_weight: float, context: int, concurrency: int,
              kind: str) -> physics.MemoryEstimate:
    """`CaseBatch.memory_parts` of one architecture on one device of `kind` (scalar callers)."""
    hw = HardwareTable(*(_arr([v]) for v in (KINDS.index(kind), 0, 1, 0, 1, 0, NAN, NAN, 0)))
    one = np.zeros(1, dtype=int)
    b = CaseBatch(ArchTable.of([arch]), QuantTable.of([(None, None, bits_per_weight)]), hw, one, one, one,
                  *(_arr([v]) for v in (0, 0, 1, 0, 0, 0, NAN, 0)))
    w, kv, over = b.memory_parts(context, concurrency)
    return physics.MemoryEstimate(float(w[0]), float(kv[0]), float(over[0]))


def _log(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.isfinite(x) & (x > 0), np.log(np.where(x > 0, x, 1.0)), NAN)


def features(b: CaseBatch) -> np.ndarray:
    """The feature matrix (columns of `features.FEATURE_NAMES`) of every case."""
    a, i, q, h = b.arch, b.model_i, b.quant, b.hw
    bw, bw_imp = b.bandwidth()
    tf, tf_imp = h.tf[b.hw_i], h.tf_imputed[b.hw_i]
    w_gb = b.weight_gb()
    kv_tok = a.kv_bytes(i, np.ones(len(b))) / 1e6
    mem_total = h.mem_gb[b.hw_i] * b.n_devices
    with np.errstate(divide="ignore", invalid="ignore"):
        overflow = np.where(np.isfinite(mem_total) & (mem_total > 0), w_gb / mem_total, NAN)
    by_bw, roof = b.decode_bounds()
    tf_split = b.prefill_tflops()
    log_tf = np.log(tf)
    fpb = np.log(tf * 1e12 / (bw * 1e9))
    kind = h.kind[b.hw_i].astype(int)
    cols = [(kind == k).astype(float) for k in range(len(KINDS))] + [
        h.vendor[b.hw_i], b.engine_group, q.family[b.quant_i], b.split, b.backend,
        np.log(bw), bw_imp, log_tf, tf_imp, _log(h.mem_gb[b.hw_i]),
        np.log(a.params_b[i]), np.log(a.active_b[i]), (a.active_b[i] < a.params_b[i] * 0.9).astype(float),
        q.bpw[b.quant_i], np.log(np.maximum(w_gb, 1e-3)), np.log(np.maximum(kv_tok, 1e-6)), b.n_devices,
        np.log(np.maximum(b.decode_context, 1)), np.log(roof), np.log(b.roofline_prefill(tf_split)), overflow,
        _log(b.threads), np.log(np.maximum(b.prompt, 1)), fpb, q.k_quant[b.quant_i], q.i_quant[b.quant_i],
        _log(h.tensor_ratio[b.hw_i]), np.log(tf_split),
        np.log(1e6 / (roof * a.n_layers[i])),  # time per layer at the roofline
        np.log(by_bw / roof),                  # how far the threads' bound holds a CPU below bandwidth
        np.where(tf_imp > 0, NAN, log_tf), np.where(tf_imp > 0, NAN, fpb),
        np.log(b.prefill_balance(tf_split)),
    ]
    out = np.empty((len(b), len(cols)), order="F")  # column by column: no transposing copy
    for k, col in enumerate(cols):
        out[:, k] = col
    return out


def batch_of(cases: Sequence[Case]) -> CaseBatch:
    """The batch of some `Case` objects (distinct models, quantizations and devices once)."""
    archs: dict[int, physics.Architecture] = {}
    quants: dict[tuple, int] = {}  # type: ignore[type-arg]
    hws: dict[tuple, tuple[HardwareSpec, tuple[float | None, float | None]]] = {}  # type: ignore[type-arg]
    hw_index: dict[tuple, int] = {}  # type: ignore[type-arg]
    arch_index: dict[int, int] = {}
    cols: dict[str, list[float]] = {k: [] for k in ("m", "q", "h", "e", "s", "n", "p", "g", "d", "t", "b")}
    for c in cases:
        m = arch_index.setdefault(id(c.arch), len(arch_index))
        archs.setdefault(m, c.arch)
        k = quants.setdefault((c.quant, c.quant_family, c.bits_per_weight), len(quants))
        sib = (c.sibling_bandwidth_gbs, c.sibling_memory_gb)
        key = (c.hardware.model_dump_json(exclude={"n_devices"}), repr(sib))  # repr: nan equals nan
        j = hw_index.setdefault(key, len(hw_index))
        hws.setdefault(key, (c.hardware, sib))
        for name, v in (("m", m), ("q", k), ("h", j), ("e", ENGINE_GROUPS.get((c.engine or "").lower(), 11)),
                        ("s", SPLITS.index(c.split) if c.split in SPLITS else SPLITS.index("unknown")),
                        ("n", c.hardware.n_devices), ("p", c.prompt_tokens), ("g", c.gen_tokens),
                        ("d", c.context_depth), ("t", c.threads if c.threads else NAN),
                        ("b", backend_index(c.backend, c.hardware))):
            cols[name].append(v)
    hw_list = list(hws.values())
    return CaseBatch(ArchTable.of([archs[i] for i in range(len(archs))]), QuantTable.of(list(quants)),
                     HardwareTable.of([h for h, _ in hw_list], [s for _, s in hw_list]),
                     *(np.asarray(cols[k], dtype=int) for k in ("m", "q", "h")),
                     *(_arr(cols[k]) for k in ("e", "s", "n", "p", "g", "d", "t", "b")))


def feature_matrix(cases: Sequence[Case]) -> np.ndarray:
    """The feature matrix of some cases (one row per case)."""
    return features(batch_of(cases))


__all__ = ["ArchTable", "QuantTable", "HardwareTable", "CaseBatch", "features", "batch_of", "feature_matrix"]
