"""One home for "a measured figure wins": which catalog measurements stand for a configuration
at a workload, and the figures once the measured ones replace the predicted ones. Both
`advisor.predict` and the recommender answer through here."""

from __future__ import annotations

from advisor.catalog.snapshot import Row, Snapshot
from advisor.predict.speed import compose_ttft
from advisor.schema import Workload

# (model, hardware, quantization, device count) of a single-stream measurement
MeasurementKey = tuple[int, int | None, int | None, int]
# figure name in a predictor's output -> the measurement column that holds it
FIGURE_COLUMNS = {"decode": "decode_tok_s", "prefill": "prefill_tok_s", "ttft": "ttft_ms"}


def _build_index(snap: Snapshot) -> dict[MeasurementKey, list[Row]]:
    index: dict[MeasurementKey, list[Row]] = {}
    for m in snap.measurements:
        if m.measure_kind == "single_stream" and m.batch_size in (None, 1):
            index.setdefault((m.model_id, m.hardware_id, m.quant_id, m.n_devices or 1), []).append(m)
    return index


def measured_index(snap: Snapshot) -> dict[MeasurementKey, list[Row]]:
    """Single-stream measurements by (model, hardware, quantization, device count), built once
    per snapshot. Throughput under load is another quantity and never stands for one stream."""
    return snap.derived("measured_index", _build_index)


def _ratio(a: float, b: float) -> float:
    a, b = max(a, 1), max(b, 1)
    return a / b if a >= b else b / a


def _mean_context(m: Row) -> int:
    return (m.context_depth or 0) + (m.prompt_tokens or 0) + (m.gen_tokens or 0) // 2


def pick_measured(same: list[Row], workload: Workload) -> dict[str, Row]:
    """Among measurements of the same configuration, the nearest in workload for each figure:
    decode within a factor 4 of the average context, prefill within 2x of the prompt, TTFT
    within 25 % of the prompt. A team's own (user) measurement wins a tie."""
    out: dict[str, Row] = {}
    ctx = workload.prompt_tokens + workload.gen_tokens // 2
    dec = [m for m in same if m.decode_tok_s]
    if dec:
        best = min(dec, key=lambda m: (m.origin != "user", _ratio(_mean_context(m), ctx)))
        if _ratio(_mean_context(best), ctx) <= 4:
            out["decode"] = best
    pre = [m for m in same if m.prefill_tok_s and m.prompt_tokens]
    if pre:
        best = min(pre, key=lambda m: (m.origin != "user", _ratio(m.prompt_tokens, workload.prompt_tokens)))
        if _ratio(best.prompt_tokens, workload.prompt_tokens) <= 2:
            out["prefill"] = best
    tt = [m for m in same if m.ttft_ms and m.prompt_tokens]
    if tt:
        best = min(tt, key=lambda m: _ratio(m.prompt_tokens, workload.prompt_tokens))
        if _ratio(best.prompt_tokens, workload.prompt_tokens) <= 1.25:
            out["ttft"] = best
    return out


def find_measured(snap: Snapshot, key: MeasurementKey, engine_id: int | None, workload: Workload) -> dict[str, Row]:
    """The measurements (per figure) of the same model, hardware, quantization and device
    count, and of the same engine where both know it, nearest to the workload."""
    if None in key:
        return {}
    same = measured_index(snap).get(key, [])
    if engine_id is not None:
        same = [m for m in same if m.engine_id in (None, engine_id)]
    return pick_measured(same, workload)


def with_measured(figs: dict[str, float], measured: dict[str, Row], prompt_tokens: int) -> dict[str, float]:
    """The predicted figures with each measured one in its place (a measurement has no
    interval), and the first-token time recomposed from a measured prefill or decode speed
    where the first-token time itself was not measured."""
    out = dict(figs)
    for fig, col in FIGURE_COLUMNS.items():
        m = measured.get(fig)
        if m is not None:
            out[fig] = out[f"{fig}_low"] = out[f"{fig}_high"] = getattr(m, col)
    if measured and "ttft" not in measured:
        p = max(prompt_tokens, 1)
        out["ttft"] = compose_ttft(p, out["prefill"], out["decode"])  # type: ignore[arg-type]
        out["ttft_low"] = compose_ttft(p, out["prefill_high"], out["decode_high"])  # type: ignore[arg-type]
        out["ttft_high"] = compose_ttft(p, out["prefill_low"], out["decode_low"])  # type: ignore[arg-type]
    return out
