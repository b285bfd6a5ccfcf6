"""The candidate tables of one catalog snapshot and its predictor: every local configuration
on the hardware (predicted in one batch, measured where the catalog measured it), every hosted
model the recommender can price, and task accuracies. Built once per snapshot; local tables
are cached per hardware and workload, hosted ones per prompt and output length (a change of
requirements or priorities predicts nothing again), and are safe to share between threads
(nothing edits them)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from functools import cached_property
from typing import Any

import numpy as np

from advisor.catalog.snapshot import Snapshot
from advisor.predict import physics
from advisor.predict.batch import ArchTable, CaseBatch, HardwareTable, QuantTable
from advisor.predict.features import ENGINE_GROUPS, SPLITS, default_split
from advisor.predict.measured import find_measured, measured_index, with_measured
from advisor.predict.predictor import Predictor
from advisor.recommend.accuracy import AccuracyTable
from advisor.recommend.api_models import API_MODEL_KEYS
from advisor.recommend.candidates import local_configs
from advisor.recommend.offload_rows import offload_table
from advisor.recommend.table import FIGURES, NAN, Accuracy, CandidateTable, concat, empty
from advisor.schema import FigureBasis, HardwareSpec, ModelSpec, Questionnaire, Workload


# a model published quantized (gpt-oss MXFP4, DeepSeek-V3 FP8) is proposed in that format and in
# formats at least this many bits per weight smaller: one of as many bits or more re-encodes the
# release (an F16 GGUF of gpt-oss keeps its experts in MXFP4) and gains no accuracy
SMALLER_BY_BITS = 0.5
TABLES_KEPT = 32  # hardware x workload (and hosted) tables kept per snapshot, least recently used dropped


class CandidateSource:
    """What recommending needs from one snapshot, built once."""

    def __init__(self, snap: Snapshot, pred: Predictor):
        self.snap, self.pred = snap, pred
        self.accuracy = AccuracyTable(snap, pred)
        self._quant_by_name = {q.name: q for q in snap.quants.values()}
        self._engine_by_name = {e.name: e for e in snap.engines.values()}
        eligible = [(mid, m) for mid, m in snap.models.items() if m.variant not in ("api", "base") and m.params_b]
        self.model_ids = np.array([mid for mid, _ in eligible], dtype=int)
        self.archs = ArchTable.of([physics.estimate_architecture(ModelSpec.of(m)) for _, m in eligible])
        # the format each model's weights are published in, and its bits (nan: 16-bit or not stated)
        self.weights_quant = [m.weights_quant for _, m in eligible]
        self._native_bits = {mid: snap.weights_bits(m) for mid, m in eligible}  # by model id (the accuracy's)
        self.weights_bits = np.array([self._native_bits[mid] or NAN for mid, _ in eligible], dtype=float)
        self.base_models = sum(1 for m in snap.models.values() if m.variant == "base" and m.params_b)
        self._tables: OrderedDict[str, CandidateTable] = OrderedDict()
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ local
    def local_table(self, q: Questionnaire, hw: HardwareSpec) -> CandidateTable:
        """Every local configuration on `hw` with its figures (cached per hardware x workload)."""
        return self._kept(hw.model_dump_json() + "|" + q.workload.model_dump_json(), lambda: self._build_local(q, hw))

    def _kept(self, key: str, build: Callable[[], CandidateTable]) -> CandidateTable:
        """The table under `key`, built on first use; the least recently used go past
        TABLES_KEPT (a server sees many workloads)."""
        with self._lock:
            table = self._tables.get(key)
            if table is not None:
                self._tables.move_to_end(key)
        if table is None:
            table = build()
            with self._lock:
                self._tables[key] = table
                while len(self._tables) > TABLES_KEPT:
                    self._tables.popitem(last=False)
        return table

    def _configs(self, hw: HardwareSpec) -> tuple[list[tuple[str, str, int, float, int | None]], np.ndarray]:
        """The configurations proposed on `hw` as (engine, quant, quant id, bits, engine id), and
        which of them are only for models published in their quantization (`native_only`)."""
        out, native_only = [], []
        for cfg in local_configs(hw):
            qrow = self._quant_by_name.get(cfg.quant)
            if qrow is not None:
                erow = self._engine_by_name.get(cfg.engine)
                out.append((cfg.engine, cfg.quant, qrow.id, qrow.bits_per_weight, erow.id if erow else None))
                native_only.append(cfg.native_only)
        return out, np.array(native_only, dtype=bool)

    def _pairs(self, configs: list[tuple[str, str, int, float, int | None]],
               native_only: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(model index, configuration index) of each configuration proposed for each model: for a
        model published quantized, its own format and formats SMALLER_BY_BITS smaller; a
        `native_only` configuration only for the models published in its quantization."""
        bits = np.array([c[3] for c in configs], dtype=float)
        native = np.array([[w == c[1] for c in configs] for w in self.weights_quant], dtype=bool)
        smaller = ~(bits[None, :] > self.weights_bits[:, None] - SMALLER_BY_BITS)  # nan (16-bit): every one
        return np.nonzero(native | (smaller & ~native_only[None, :]))

    def _build_local(self, q: Questionnaire, hw: HardwareSpec) -> CandidateTable:
        configs, native_only = self._configs(hw)
        if not len(self.model_ids) or not configs:
            return empty()
        model_i, cfg_i = self._pairs(configs, native_only)
        batch = self._batch(q, hw, configs, model_i, cfg_i)
        figs = {**self.pred.speed(batch), **self.pred.memory_needed(batch, q.workload.effective_context,
                                                                     q.workload.concurrent_requests)}
        measured = self._apply_measured(hw, q, configs, model_i, cfg_i, figs)
        models = [self.snap.models[int(m)] for m in self.model_ids]
        ctx = np.array([m.context_len or NAN for m in models], dtype=float)[model_i]
        usable = physics.usable_memory_gb(hw)
        capacity = (hw.memory_gb or 0) * hw.n_devices
        rows = len(model_i)
        base = CandidateTable(self.model_ids[model_i], np.ones(rows, dtype=bool), figs, np.full(rows, NAN), ctx,
                              np.full(rows, usable), np.full(rows, capacity), [configs[c] for c in cfg_i],
                              [None] * rows, measured)
        return concat([base, offload_table(self, q, hw, base)])

    def _batch(self, q: Questionnaire, hw: HardwareSpec, configs: list, model_i: np.ndarray,  # type: ignore[type-arg]
               cfg_i: np.ndarray) -> CaseBatch:
        quants = QuantTable.of([(qn, self._quant_by_name[qn].family, bits) for _, qn, _, bits, _ in configs])
        hwt = HardwareTable.of([hw], [self.snap.siblings(hw.name)])
        engine_group = np.array([ENGINE_GROUPS.get(e.lower(), 11) for e, *_ in configs], dtype=float)[cfg_i]
        split_names = [default_split(e) if hw.n_devices > 1 else "none" for e, *_ in configs]
        split = np.array([SPLITS.index(s) for s in split_names], dtype=float)[cfg_i]
        n = len(model_i)

        def full(v: float) -> np.ndarray:
            return np.full(n, float(v))

        return CaseBatch(self.archs, quants, hwt, model_i, cfg_i, np.zeros(n, dtype=int), engine_group, split,
                         full(hw.n_devices), full(q.workload.prompt_tokens), full(q.workload.output_tokens), full(0),
                         full(NAN), np.full(n, hwt.backend_default[0]))

    def _apply_measured(self, hw: HardwareSpec, q: Questionnaire, configs: list, model_i: np.ndarray,  # type: ignore[type-arg]
                        cfg_i: np.ndarray, figs: dict[str, np.ndarray]) -> dict[int, dict[str, Any]]:
        """Put the catalog's measurements of the same configurations in place of predictions."""
        hw_row = self.snap.find_hardware(hw.name) if hw.name else None
        if hw_row is None:
            return {}
        index = measured_index(self.snap)
        wl = Workload(prompt_tokens=q.workload.prompt_tokens, gen_tokens=q.workload.output_tokens)
        out: dict[int, dict[str, Any]] = {}
        for row in range(len(model_i)):
            _, _, qid, _, eid = configs[cfg_i[row]]
            key = (int(self.model_ids[model_i[row]]), hw_row.id, qid, hw.n_devices)
            if key not in index:
                continue
            found = find_measured(self.snap, key, eid, wl)
            if not found:
                continue
            new = with_measured({k: float(figs[k][row]) for k in figs}, found, wl.prompt_tokens)
            for k, v in new.items():
                figs[k][row] = v
            out[row] = found
        return out

    # ------------------------------------------------------------------ hosted
    def api_table(self, q: Questionnaire, today: date | None = None) -> CandidateTable:
        """Hosted models in the catalog (scores) and in litellm's price map that their provider
        is not about to shut down (`ApiModelInfo.retired` on `today`), with published speeds where
        the catalog has them (cached per prompt and output length, the price, and day)."""
        p, out, day = q.workload.prompt_tokens, q.workload.output_tokens, today or date.today()
        return self._kept(f"api|{p}|{out}|{day}", lambda: self._build_api(p, out, day))

    def retired_hosted(self, today: date | None = None) -> list[tuple[str, date]]:
        """(catalog name, shut-down date) of the hosted models left out because their provider
        shuts them down too soon (`ApiModelInfo.retired`, from litellm's `deprecation_date`),
        latest first."""
        day = today or date.today()
        out = [(self.snap.models[mid].name, info.retires_on) for mid, (_, info) in self._hosted.items()
               if info.retired(day)]
        return sorted(out, key=lambda r: (r[1], r[0]), reverse=True)

    @cached_property
    def _hosted(self) -> dict[int, tuple[str, Any]]:
        """model id -> (price-map key, its entry: `ApiModelInfo`) of every hosted model that has
        one (the snapshot and the bundled price map do not change: read once)."""
        from advisor.pricing import api_model

        infos = {mid: (key, api_model(key)) for mid, key in self._hosted_keys().items()}
        return {mid: (key, info) for mid, (key, info) in infos.items() if info is not None}

    def _build_api(self, p: int, out: int, today: date) -> CandidateTable:
        rows: list[tuple[int, str, float, float, dict[str, float], dict[str, FigureBasis]]] = []
        for mid, (key, info) in self._hosted.items():
            if info.retired(today):
                continue
            usd = NAN
            if info.input_usd_per_token is not None and info.output_usd_per_token is not None:
                usd = (p * info.input_usd_per_token + out * info.output_usd_per_token) / (p + out) * 1e6
            figs, basis = self._hosted_speed(mid)
            basis["usd_per_1m_tokens"] = FigureBasis(basis="measured", source="litellm bundled price map",
                                                     detail=f"blended for {p} prompt + {out} output tokens ({key})")
            ctx = info.max_input_tokens or self.snap.models[mid].context_len
            rows.append((mid, key, usd, float(ctx) if ctx else NAN, figs, basis))
        if not rows:
            return empty()
        n = len(rows)
        figs = {k: np.array([r[4].get(k, NAN) for r in rows], dtype=float) for k in FIGURES}
        return CandidateTable(np.array([r[0] for r in rows], dtype=int), np.zeros(n, dtype=bool), figs,
                              np.array([r[2] for r in rows]), np.array([r[3] for r in rows]), np.full(n, NAN),
                              np.full(n, NAN), [None] * n, [r[1] for r in rows], {},
                              {i: r[5] for i, r in enumerate(rows)})

    def _hosted_keys(self) -> dict[int, str]:
        """model id -> price-map key of every hosted model the recommender can price."""
        from advisor.pricing import api_model

        by_name = {m.name: mid for mid, m in self.snap.models.items()}
        keys = {by_name[name]: key for name, key in API_MODEL_KEYS.items() if name in by_name}
        for mid, m in self.snap.models.items():
            if m.variant == "api" and mid not in keys and api_model(m.name) is not None:
                keys[mid] = m.name
        return keys

    def _hosted_speed(self, model_id: int) -> tuple[dict[str, float], dict[str, FigureBasis]]:
        """A hosted model's latest published output speed and first-token time, else unknown."""
        rows = sorted((r for r in self.snap.hosted_speeds if r.model_id == model_id), key=lambda r: r.date or "")
        figs: dict[str, float] = {}
        basis = {k: FigureBasis(basis="unknown", detail="hosted API: not measured in the catalog")
                 for k in ("decode_tok_s", "ttft_ms")}
        for fig, col, key in (("decode", "output_tok_s", "decode_tok_s"), ("ttft", "ttft_ms", "ttft_ms")):
            known = [r for r in rows if getattr(r, col)]
            if known:
                r = known[-1]
                figs[fig] = figs[f"{fig}_low"] = figs[f"{fig}_high"] = float(getattr(r, col))
                how = "; ".join(x for x in (r.date or "undated", r.method) if x)
                basis[key] = FigureBasis(basis="measured", source=self.snap.source_text(r.source_id),
                                         detail=f"published for the hosted API ({how})")
        return figs, basis

    # ------------------------------------------------------------------ accuracy
    def accuracy_of(self, t: CandidateTable, task: str) -> Accuracy:
        """Task accuracy per row: the model's, minus the predicted quantization loss (local)."""
        from advisor.predict.scores import quant_factor

        mids = sorted({int(m) for m in t.model_id})
        self.accuracy.preload(task, mids)
        by_model = {m: self.accuracy.get(m, task) for m in mids}
        curve = self.pred.scores.quant_curve
        keys = [(c[3], self._native_bits.get(int(m))) if c is not None else None for m, c in zip(t.model_id, t.configs)]
        factors = {k: quant_factor(curve, k[0], k[1]) for k in set(keys) if k is not None}
        factor = np.array([factors[k] if k is not None else 1.0 for k in keys], dtype=float)

        def col(attr: str) -> np.ndarray:
            def of(model_id: int) -> float:
                v = getattr(by_model[model_id], attr)
                return NAN if v is None else v

            return t.per_model(of)

        value, low, high = col("value"), col("low"), col("high")
        return Accuracy(value * factor, np.nan_to_num(low, nan=0.0) * factor, np.nan_to_num(high, nan=0.0) * factor,
                        by_model, factor)
