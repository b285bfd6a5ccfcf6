"""The notes of a recommendation that speak about more than one option: what blocked an empty
answer, what-ifs (more memory, a lighter quantization, a hosted model) and workload caveats.
Each function returns its notes; the pipeline puts them in order."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import numpy as np

from advisor.predict import physics
from advisor.recommend.candidates import Option
from advisor.recommend.constraints import REJECT_LABELS, REJECT_ORDER, Judgement
from advisor.recommend.hardware import OVERRIDABLE
from advisor.recommend.table import Accuracy, CandidateTable
from advisor.schema import HardwareSpec, Questionnaire


def blocked_by(j: Judgement) -> str:
    """One sentence counting the configurations each kind of constraint blocked."""
    kinds = Counter(REJECT_LABELS[REJECT_ORDER[int(k)]] for k in j.reject if k >= 0)
    return ("No candidate meets every requirement. Blocked by: " +
            ", ".join(f"{k} ({n} configurations)" for k, n in kinds.most_common()) + ".")


def _known(o: Option | None) -> float:
    return o.accuracy_value if o is not None and o.accuracy_value is not None else -1


def _quant(t: CandidateTable, row: int) -> str:
    return t.configs[row][1] if t.configs[row] is not None else ""  # type: ignore[index]


# a CPU's upgrade is its own larger variant (a Pi 5 16GB), else more RAM in the same machine (same
# channels, same bandwidth): never another computer (a laptop is not offered a Mac's CPU)
CPU_RAM_FACTORS = (2, 4)


def upgrades(hw: HardwareSpec, snap: Any) -> list[tuple[str, float, float]]:
    """Upgrades a user could buy, with the memory a model could then use, smallest first: one
    more device of the same kind, and catalog devices of the same kind with more memory (at the
    same count), with their bandwidth against this one's; for a CPU, its larger variants, else
    2x and 4x its RAM; no other device the catalog lacks."""
    usable = physics.usable_memory_gb(hw)
    out: list[tuple[str, float, float]] = []
    bw = hw.mem_bandwidth_gbs
    if hw.kind in ("gpu", "npu", "tpu"):
        more = hw.model_copy(update={"n_devices": hw.n_devices + 1})
        out.append((f"{hw.n_devices + 1}x {hw.name}", physics.usable_memory_gb(more), 1.0))
    for h in snap.variants(hw.name or "") if hw.kind == "cpu" else snap.hardware.values():
        if h.kind == hw.kind and h.memory_gb and h.name != hw.name and (hw.vendor is None or h.vendor == hw.vendor):
            gb = physics.usable_gb(h.memory_gb, hw.n_devices, h.kind)
            if gb > usable:
                count = f"{hw.n_devices}x " if hw.n_devices > 1 else ""
                ratio = (h.mem_bandwidth_gbs / bw) if bw and h.mem_bandwidth_gbs else 1.0
                out.append((f"{count}{h.name} ({h.memory_gb:g} GB)", gb, ratio))
    if hw.kind == "cpu" and not out and hw.memory_gb:
        for f in CPU_RAM_FACTORS:
            more = hw.model_copy(update={"memory_gb": hw.memory_gb * f})
            out.append((f"{hw.memory_gb * f:g} GB of RAM in this machine", physics.usable_memory_gb(more), 1.0))
    return sorted(out, key=lambda u: u[1])


def memory_what_if(hw: HardwareSpec | None, top: Option | None, t: CandidateTable, acc: Accuracy, j: Judgement,
                   snap: Any, enough_tok_s: float = 0.0) -> list[str]:
    """With no answer: the smallest upgrade that holds the smallest configuration memory blocked.
    With one: the smallest upgrade that runs a more accurate model memory blocked. Upgrades are
    bounded by what exists (advisor.recommend.notes.upgrades), and the model must stay usable there
    (half the speed need, its predicted speed scaled by the upgrade's bandwidth)."""
    memory = REJECT_ORDER.index("memory")
    blocked = np.flatnonzero((j.reject == memory) & ~np.isnan(acc.value) & t.local)
    if not len(blocked) or hw is None:
        return []
    mem = t.fig("memory")
    options = upgrades(hw, snap)
    if top is None:
        row = int(blocked[np.argmin(mem[blocked])])
        fit = next((u for u in options if u[1] >= mem[row]), None)
        if fit is None:
            return []
        return [f"What if: the smallest configuration, {snap.models[int(t.model_id[row])].name} at {_quant(t, row)}, "
                f"needs {mem[row]:.1f} GB: {fit[0]} would hold it (task accuracy {acc.value[row]:.1f})."]
    better = blocked[acc.value[blocked] > _known(top) + 0.5]
    decode = np.nan_to_num(t.fig("decode"), nan=0.0)
    for name, gb, ratio in options:
        fits = better[(mem[better] <= gb) & (decode[better] * ratio >= enough_tok_s / 2)]
        if len(fits):
            row = int(fits[np.argmax(acc.value[fits])])
            return [f"What if: with {name}, {gb:.1f} GB usable, you could run {snap.models[int(t.model_id[row])].name} "
                    f"at {_quant(t, row)} (needs {mem[row]:.1f} GB; task accuracy {acc.value[row]:.1f} vs "
                    f"{max(_known(top), 0):.1f})."]
    return []


def offload_hint(hw: HardwareSpec | None, t: CandidateTable, j: Judgement) -> list[str]:
    """A GPU whose memory blocks models, without system memory given: say how to see offloading."""
    if hw is None or hw.kind != "gpu" or hw.host_memory_gb:
        return []
    if not np.any((j.reject == REJECT_ORDER.index("memory")) & t.local):
        return []
    return ["Models that do not fit in video memory can run with MoE experts or layers in system memory "
            "(llama.cpp offload): give --host-memory-gb and --host-bandwidth-gbs to see them ranked."]


# A lighter quantization is worth suggesting only where it is this much faster: a few percent
# is inside the prediction's own interval and not worth the accuracy it costs.
LIGHTER_MIN_SPEEDUP = 1.2
HEAVIER_QUANTS = ("Q8_0", "F16", "BF16", "Q5_K_M", "MLX-8BIT")
LIGHTER_QUANTS = ("Q4_K_M", "AWQ-INT4", "MLX-4BIT")  # the 4-bit configurations the recommender proposes


def lighter_quant_hint(top: Option | None, t: CandidateTable, acc: Accuracy, feasible: np.ndarray) -> list[str]:
    """A heavier quantization won: what the 4-bit one of the same model would give, where it is
    at least LIGHTER_MIN_SPEEDUP times as fast."""
    if top is None or top.deployment != "local" or top.quant not in HEAVIER_QUANTS:
        return []
    current = top.figs.get("decode")
    lighter = [int(r) for r in feasible if t.model_id[r] == top.model_id and _quant(t, int(r)) in LIGHTER_QUANTS]
    decode = np.nan_to_num(t.fig("decode"), nan=0.0)
    if not lighter or current is None or not np.isfinite(current):
        return []
    row = max(lighter, key=lambda r: decode[r])
    if decode[row] < LIGHTER_MIN_SPEEDUP * current:
        return []
    engine = t.configs[row][0]  # type: ignore[index]
    lighter_how = "measured" if "decode" in t.measured.get(row, {}) else "predicted"
    top_how = b.basis if (b := top.basis.get("decode_tok_s")) is not None else "predicted"
    return [f"Optimisation: {_quant(t, row)} on {engine} would run {top.model} at about "
            f"{decode[row]:.0f} tok/s ({lighter_how}) instead of {current:.0f} ({top_how}), at an estimated cost of "
            f"{(top.accuracy_value - acc.value[row]):.1f} points of task accuracy."]  # type: ignore[operator]


def hosted_alternative(q: Questionnaire, top: Option | None, alternatives: list[Option]) -> list[str]:
    """Hosted models left out on request, or the best-ranked hosted model (on the request's own
    priorities, price among them: `api_alternatives` order) that beats the local pick on
    accuracy, with its price."""
    if q.requirements.deployment == "local":
        return ["Hosted API models were not considered (deployment: local); set deployment to 'auto' to see "
                "them beside the local answer, or 'any' to rank them together."]
    if top is None or top.deployment != "local" or not alternatives:
        return []
    better = [o for o in alternatives if o.accuracy_value is not None and o.accuracy_value > _known(top) + 1]
    if not better:
        return [f"Hosted alternatives (api_alternatives) score no higher than {top.model} ({_known(top):.1f})."]
    best = better[0]  # the best-ranked: the most accurate at $28.85 per 1M tokens is rarely the one to try
    price = f" at about ${best.usd:.2f} per 1M tokens for this workload" if best.usd is not None else " (price unknown)"
    return [f"Hosted alternative: {best.model} ({best.engine}) scores {best.accuracy_value:.1f} against "
            f"{_known(top):.1f} for {top.model} on this hardware{price}; see api_alternatives."]


def retired_note(retired: list[tuple[str, date]], today: date) -> list[str]:
    """Which hosted models were left out because their provider shuts them down too soon."""
    from advisor.pricing import RETIREMENT_NOTICE_DAYS, retirement_cutoff

    if not retired:
        return []
    shown = ", ".join(f"{name} ({day.isoformat()})" for name, day in retired[:4])
    more = f" and {len(retired) - 4} more" if len(retired) > 4 else ""
    return [f"{len(retired)} hosted models were not considered: their providers shut them down by "
            f"{retirement_cutoff(today).isoformat()} (within {RETIREMENT_NOTICE_DAYS} days; litellm's price map, "
            f"deprecation_date): {shown}{more}."]


RETIRING_WITHIN_DAYS = 90


def retiring_note(options: list[Option], today: date) -> list[str]:
    """Shown hosted models whose provider shuts them down within RETIRING_WITHIN_DAYS (those
    within `RETIREMENT_NOTICE_DAYS` are not shown at all)."""
    from advisor.pricing import api_model

    soon = []
    for o in options:
        info = api_model(o.engine) if o.deployment != "local" and o.engine else None
        if info is not None and info.retires_on is not None and (info.retires_on - today).days <= RETIRING_WITHIN_DAYS:
            soon.append(f"{o.model} on {info.retires_on.isoformat()}")
    if not soon:
        return []
    return [f"To be shut down by the provider within {RETIRING_WITHIN_DAYS} days (litellm's price map, "
            f"deprecation_date): {'; '.join(soon)}; plan on a successor."]


def document_prompt_note(q: Questionnaire) -> list[str]:
    """A document task whose prompt is its context less the output (`with_document_prompt`)."""
    from advisor.recommend.questionnaire import document_prompt_tokens

    wl = q.workload
    if document_prompt_tokens(q) != wl.prompt_tokens:
        return []
    return [f"{q.use_case.task}: first-token times are for a {wl.prompt_tokens:,}-token prompt, the context "
            f"less the output (the documents are the prompt); give workload.prompt_tokens (--prompt-tokens) "
            f"for a shorter one."]


def floor_note(answer: Any) -> list[str]:
    """Which shown candidates rank last for doing the task too poorly, and the floor."""
    below = [o.model for o, b in zip(answer.shown, answer.below_floor) if b]
    s = answer.settings
    if not below or s.accuracy_floor is None:
        return []
    shown = ", ".join(below[:4]) + (f" and {len(below) - 4} more" if len(below) > 4 else "")
    return [f"Below the accuracy floor of {s.accuracy_floor:.1f} ({s.accuracy_margin:g} points under the most "
            f"accurate candidate that reaches half of {s.enough_decode_tok_s:g} tok/s): {shown}; speed does not "
            f"make up for it, so they rank after the candidates that do the job."]


def what_ifs(q: Questionnaire, hw: HardwareSpec | None, top: Option | None, t: CandidateTable, acc: Accuracy,
             j: Judgement, feasible: np.ndarray, snap: Any, enough_tok_s: float = 0.0) -> list[str]:
    """What would change the answer, in the order a reader wants them."""
    return (memory_what_if(hw, top, t, acc, j, snap, enough_tok_s) + lighter_quant_hint(top, t, acc, feasible)
            + offload_hint(hw, t, j))


# what a user can do about an unknown figure, per requirement
UNKNOWN_HINTS = {
    "context": "the context window (add it: `advisor catalog add-model --hf-config PATH` for your own model, or a models.csv row)",
    "min_decode_tok_s": "the decode speed (measure it: `advisor measure --model M --api-base URL`)",
    "max_ttft_ms": "the time to first token (measure it: `advisor measure --model M --api-base URL`)",
    "min_accuracy": "the task accuracy (import published scores: `advisor catalog import scores.csv`)",
}


def unknown_note(ranked: list[Option]) -> list[str]:
    """Which candidates rank last because a requirement was judged on an unknown figure, and
    how to supply it."""
    by_check: dict[str, list[str]] = {}
    for o in ranked:
        for name in (o.verdict.unknown if o.verdict is not None else ()):
            by_check.setdefault(name, []).append(o.model)
    out = []
    for name, models in by_check.items():
        shown = ", ".join(models[:4]) + (f" and {len(models) - 4} more" if len(models) > 4 else "")
        what = UNKNOWN_HINTS.get(name, f"the figure '{name}' judges")
        out.append(f"Unknown, so not counted as met: {what.split(' (')[0]} of {shown}; they rank after every "
                   f"candidate that meets all requirements. Supply {what}.")
    return out


def measure_hint(hw: HardwareSpec | None, hw_basis: str | None, measured_rows: int) -> list[str]:
    """Where this machine's CPU (detected) has no measurement in the catalog: say its speeds are
    carried over from other CPUs and how to measure it (the predictor then learns its
    efficiency from the rows)."""
    if hw is None or hw.kind != "cpu" or hw_basis != "detected" or measured_rows:
        return []
    return [f"No speed on {hw.name} is measured: its speeds are predicted from other CPUs' measurements. "
            "`python -m advisor.benchmarks.cpu_profiles --record` (the measure extra) times small random-weight "
            "models on this machine in about a minute and records them; later answers learn its efficiency "
            "from those rows."]


def detection_note(hw: HardwareSpec | None, hw_basis: str | None) -> list[str]:
    """For detected hardware, where each of its figures came from (measured here, derived from
    what the machine tells, or matched in the catalog): the answer shows them in its header."""
    if hw is None or hw_basis != "detected":
        return []
    from advisor.hardware_detect import notes_of

    found = notes_of(hw)
    return [f"{hw.name}: " + "; ".join(found) + "."] if found else []


def override_note(hw: HardwareSpec | None, hw_basis: str | None, snap: Any) -> list[str]:
    """A catalog device whose figures the request replaced: the header keeps the catalog's name
    (its measured speeds still apply), so say which figures are the user's ("Apple M2 Max
    (38-core GPU) 96GB" asked with 64 GB)."""
    if hw is None or hw_basis != "catalog":
        return []
    row = snap.find_hardware(hw.name)
    if row is None:
        return []
    given = [f"{k} {_figure(getattr(hw, k))} (the catalog's: {_figure(getattr(row, k, None))})"
             for k in OVERRIDABLE if getattr(hw, k) != getattr(row, k, None)]
    return [f"{hw.name}: {', '.join(given)}, as the request gives them."] if given else []


def variant_note(q: Questionnaire, hw: HardwareSpec | None, hw_basis: str | None, snap: Any) -> list[str]:
    """A device asked by a name whose catalog entry has no memory figure ("M1 Max"), answered
    for the variant `Snapshot.sized_variant` picks: say so, and how to give one's own."""
    name = q.hardware.name if q.hardware is not None else None
    if hw is None or hw_basis != "catalog" or not name:
        return []
    asked = snap.find_hardware(name)
    if asked is None or asked.name == hw.name or asked.memory_gb is not None:
        return []
    return [f"'{name}' is {asked.name} in the catalog, which has no memory figure: answered for its variant "
            f"{hw.name}; give hardware.memory_gb (--memory-gb) for yours."]


def assumed_note(hw: HardwareSpec | None, hw_basis: str | None, snap: Any) -> list[str]:
    """The asked hardware's figures that nothing gives (the request, the catalog, a sibling
    variant): its speeds are then predicted as for a typical device of its kind with that figure
    unknown (the trees see it as imputed), which the header's "-" alone does not say. Detected
    hardware says how its figures were found instead (`detection_note`)."""
    if hw is None or hw_basis == "detected":
        return []
    one = hw.model_copy(update={"n_devices": 1})
    _, bw_unknown = physics.effective_bandwidth(one, "none", snap.sibling_bandwidth.get(hw.name or ""))
    _, tf_unknown = physics.effective_flops(one, "none")
    missing = [name for name, unknown in (("memory bandwidth", bw_unknown), ("compute", tf_unknown)) if unknown]
    if not missing:
        return []
    kind = hw.kind or "gpu"
    compute = "hardware.fp32_tflops" if kind == "cpu" else "hardware.fp16_tflops"
    how = [flag for flag, unknown in (("--bandwidth-gbs", bw_unknown), (compute, tf_unknown)) if unknown]
    scaled = (f" (its compute is taken as its bandwidth x {physics.CPU_FLOPS_PER_BYTE:g} FLOPs per byte, the "
              "median of the catalog's CPUs)" if kind == "cpu" and tf_unknown and not bw_unknown else "")
    return [f"{hw.name}: no {' or '.join(missing)} figure is known{scaled}, so where its speeds are predicted they "
            f"come from other {kind} devices whose figure was not known either; give it ({', '.join(how)}) "
            "for a closer estimate."]


def _figure(value: Any) -> str:
    """A hardware figure as the notes print it: 64, gpu, unknown."""
    return "unknown" if value is None else f"{value:g}" if isinstance(value, (int, float)) else str(value)


def concurrency_note(q: Questionnaire) -> list[str]:
    n = q.workload.concurrent_requests
    if n <= 1:
        return []
    return [f"Speeds are for one stream; with {n} concurrent requests each user sees less (memory does include their KV caches)."]
