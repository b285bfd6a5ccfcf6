"""2026 step, scores: scores.csv rows of sources/2026/scores/scores.csv for the rows whose model is a
catalog model (an open model by its HF id or the seed's names and aliases, a hosted one by its
price-map key), with the benchmark names the task map matches and percent for fractions."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation

from advisor.predict.scores import bench_key
from advisor.recommend.tasks import TASK_BENCHMARKS
from seed_common import CellRow, Cite, Raw, die
from seed_tables_recent import (API_MODEL_EFFORT, BENCHMARK_NAMES, FRACTION_SCALE, MLX_SCORE_PRECISION,
                                SCORE_SCALES_KEPT)

FindModel = Callable[[str], "str | None"]  # a raw model spelling -> catalog model, or None


def build_recent_scores(rows: Iterable[Raw], find_model: FindModel, hosted: Mapping[str, str],
                        variants: Mapping[str, str]) -> tuple[list[CellRow], Counter[str]]:
    """(score rows, rows left out by reason): every raw row whose model maps to a catalog model."""
    rows = list(rows)
    bad = unmatched_task_names(r["benchmark"] for r in rows)
    if bad:
        die(f"scores.csv: benchmark names the task map spells otherwise (add them to BENCHMARK_NAMES): {bad}")
    out: list[CellRow] = []
    left: Counter[str] = Counter()
    for r in rows:
        if not r["source"]:
            die(f"scores.csv: {r['model']} {r['benchmark']}: no source")
        model, why = score_model(r["model"], find_model, hosted)
        if model is None:
            left[why] += 1
            continue
        effort = API_MODEL_EFFORT.get(model)
        if effort and re.search(effort, f"{r['setting']} {r['notes']}"):
            left[f"reasoning effort other than the one of the catalog model {model!r}"] += 1
            continue
        score, scale, note = score_value(r)
        notes = "; ".join(x for x in (r["notes"], note, benchmark_note(r["benchmark"])) if x)
        out.append([model, BENCHMARK_NAMES.get(r["benchmark"], r["benchmark"]), r["setting"], score, scale,
                    score_quant(r), variants[model], r["evaluator"], Cite(r["source"], "scores"), notes])
    return out, left


def score_model(spelling: str, find_model: FindModel, hosted: Mapping[str, str]) -> tuple[str | None, str]:
    """(catalog model, '') of a raw model spelling, or (None, why it is not tied to one)."""
    if spelling.startswith("api:"):
        return hosted[spelling[4:]], ""  # every key is checked against HOSTED_KEYS
    model = find_model(spelling)
    if model is not None:
        return model, ""
    if re.fullmatch(r"[\w.-]+/[\w.-]+", spelling):
        return None, "open-weight HF id that is neither in models.csv nor in the seed"
    return None, "the table's own name, not tied to a model (no HF id or price-map key)"


def score_value(r: Raw) -> tuple[str, str, str]:
    """(score, scale, note): fractions become percent (x100, exactly), the other scales are kept."""
    try:
        value = Decimal(r["score"])
    except InvalidOperation:
        die(f"scores.csv: {r['model']} {r['benchmark']}: score {r['score']!r} is not a number")
    if r["scale"] == FRACTION_SCALE:
        if not 0 <= value <= 1:
            die(f"scores.csv: {r['model']} {r['benchmark']}: fraction {r['score']} outside 0-1")
        pct = format((value * 100).normalize(), "f")
        return pct, "percent", f"CONVERTED from fraction (0-1): {r['score']} x 100"
    if r["scale"] not in SCORE_SCALES_KEPT:
        die(f"scores.csv: scale {r['scale']!r} has no rule")
    return r["score"], r["scale"], ""


def score_quant(r: Raw) -> str:
    """The quant of an mlx-lm MMLU-Pro row (stated in `setting`; bf16 = the unquantised reference), else ''."""
    if "ml-explore/mlx-lm" not in r["source"]:
        return ""
    m = re.search(r"precision (bf16|q\d+(?: g\d+)?) \(", r["setting"])
    if m is None or m.group(1) not in MLX_SCORE_PRECISION:
        die(f"scores.csv: mlx-lm row without a known precision: {r['setting']!r}")
    return MLX_SCORE_PRECISION[m.group(1)]


def benchmark_note(name: str) -> str:
    """A note where the benchmark's name was respelled (BENCHMARK_NAMES)."""
    return f"benchmark written {name!r} in the source" if name in BENCHMARK_NAMES else ""


def loose(name: str) -> str:
    """A benchmark name without case, spaces, hyphens and underscores (to catch respellings)."""
    return re.sub(r"[\s_-]+", "", name.lower())


def unmatched_task_names(names: Iterable[str]) -> list[tuple[str, str]]:
    """(raw name, task-map name) pairs that are the same name but for case/spaces/hyphens while bench_key differs."""
    tasks = {b for weights in TASK_BENCHMARKS.values() for b in weights}
    return sorted((n, t) for n in set(names) for t in tasks
                  if n not in BENCHMARK_NAMES and loose(n) == loose(t) and bench_key(n) != bench_key(t))
