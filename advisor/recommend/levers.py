"""What-ifs on the levers a user can pull on the same hardware, with their numbers: a quantized
KV cache (a model that fits only with it, or more sessions for the pick) and, where system
memory is given beside a GPU, offloading (advisor/predict/offload.py). Each returns its
sentences; the pipeline puts them among the notes."""

from __future__ import annotations

from typing import Any

import numpy as np

from advisor.predict.kv_cache import kv_types_for
from advisor.recommend.candidates import Option
from advisor.recommend.constraints import REJECT_ORDER, Judgement
from advisor.recommend.rank import kv_room, sessions_of
from advisor.recommend.table import Accuracy, CandidateTable
from advisor.recommend.utility import ranked_accuracy
from advisor.schema import Questionnaire

KV_MIN_SAVING_GB = 0.25  # a what-if that saves less is a rounding edge, not a lever
KV_NOTE_SHARE = 0.1  # speak of the pick's KV cache when it is at least this share of its memory


def _engine(t: CandidateTable, row: int) -> str:
    cfg = t.configs[row]
    return cfg[0] if cfg is not None else ""


def kv_fit_what_if(q: Questionnaire, top: Option | None, t: CandidateTable, acc: Accuracy, j: Judgement,
                   snap: Any) -> list[str]:
    """The most accurate model that memory blocked and a quantized KV cache would let fit,
    when it would beat the pick."""
    blocked = np.flatnonzero((j.reject == REJECT_ORDER.index("memory")) & t.local & ~np.isnan(acc.value))
    if not len(blocked):
        return []
    cheapest = {e: (kv_types_for(e) or [None])[0] for e in {_engine(t, int(r)) for r in blocked}}  # least quality cost
    kvts = [cheapest[_engine(t, int(r))] for r in blocked]
    saved = t.fig("kv_gb")[blocked] * np.array([1 - k.factor if k is not None else 0.0 for k in kvts])
    new = t.fig("memory")[blocked] - saved
    fits = (saved >= KV_MIN_SAVING_GB) & (new <= t.usable_gb[blocked])
    if not fits.any():
        return []
    i = int(np.argmax(np.where(fits, ranked_accuracy(acc, blocked), -np.inf)))  # the first of the most accurate
    row, kvt = int(blocked[i]), kvts[i]
    assert kvt is not None  # a row without a quantized cache saves nothing, so never fits
    top_acc = top.accuracy_value if top is not None and top.accuracy_value is not None else -1
    if acc.value[row] <= top_acc + 0.5:
        return []
    name = snap.models[int(t.model_id[row])].name
    return [f"What if: with the KV cache at {kvt.name} ({kvt.flags}; {kvt.bits:g} bits per value instead of 16), "
            f"{name} at {t.configs[row][1]} fits at {q.workload.effective_context:,} tokens: "  # type: ignore[index]
            f"{new[i]:.1f} GB (predicted) of {t.usable_gb[row]:.1f} usable instead of {t.fig('memory')[row]:.1f} "
            f"(task accuracy {acc.value[row]:.1f} vs {max(top_acc, 0):.1f}). Published cost: {kvt.cost}."]


def kv_sessions_what_if(q: Questionnaire, top: Option | None) -> list[str]:
    """How many more sessions (or how much more context) the pick holds with a quantized KV
    cache, when its cache is a real share of its memory."""
    room = kv_room(top, q.workload.concurrent_requests) if top is not None else None
    if top is None or room is None or room[1] * q.workload.concurrent_requests < KV_NOTE_SHARE * top.figs["memory"]:
        return []
    kinds = kv_types_for(top.engine or "")
    if not kinds:
        return []
    kvt = kinds[0]
    conc = q.workload.concurrent_requests
    now, then = sessions_of(top, conc), sessions_of(top, conc, kvt.factor)
    ctx = q.workload.effective_context
    window = top.context_len or 10**9

    def longest(per_token_share: float) -> str:
        return f"{min(int(ctx * room[0] / room[1] / per_token_share), window):,}"

    longer = longest(kvt.factor), longest(1.0)
    alone = f" (or one context of up to {longer[0]} tokens instead of {longer[1]})" if longer[0] != longer[1] else ""
    return [f"KV cache: at {kvt.name} ({kvt.flags}) {top.model} would hold {then} sessions of {ctx:,} tokens "
            f"instead of {now}{alone} (from the predicted memory). Published cost: {kvt.cost}."]
