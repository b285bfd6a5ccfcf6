"""The utility that ranks feasible candidates, as arrays over the candidate table's rows.

Candidates are ranked in tiers, then by utility within a tier:

1. those that meet every requirement (one judged on an unknown figure does not);
2. those that are *usable*: at least half the speed the use case needs (hosted models with
   an unknown speed count as usable; their speed term says unknown);
3. those that *do the job*: within the profile's accuracy margin of the most accurate usable
   candidate (the accuracy floor). Accuracy below what the task needs is not made up for by
   speed.

The pick is never a toy (under TOY_PARAMS_B parameters; hosted models are not)
where a larger model shares its tiers: that model is put first, the rest keep their order (on a
Pi 5 a 0.7B model once led an 8B-A1B MoE by 0.0004 of utility, on its speed term).

    utility = (w_acc * A + w_speed * S + w_cost * C + w_footprint * F) / (sum of the weights)

- A, accuracy: 1 + (accuracy - best usable accuracy) / (2 * margin), clipped to [0, 1.25]:
  a point of accuracy counts more when the profile's margin is narrow; unknown counts 0.
  The accuracy ranked on (here and for the floor) is halfway between the figure and the lower
  end of its 80 % interval: a predicted score (about +-12 points) does not win on its
  optimistic side over a published one (+- the quantization's loss).
- S, speed: with r = decode / enough (the speed the task needs),
  S = 0.9 * min(r, 1) ** 0.75 + 0.1 * clip(log2(r) / 4, 0, 1): nearly all of its value is
  reached at the need, and 16x the need adds the last tenth. With a first-token budget b
  (real-time), S is the mean of that and T = min(1, b / ttft) ** 0.75. Unknown counts 0.5.
- C, cost: 1 for local models; 1 / (1 + price / $2 per 1M tokens) for hosted; unknown 0.5.
- F, footprint: the share of the device's usable memory left free (hosted: 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from advisor.recommend.table import Accuracy, CandidateTable
from advisor.schema import RankingSettings

TERMS = ("accuracy", "speed", "cost", "footprint")
PRICE_SCALE_USD = 2.0  # $ per 1M tokens at which the cost term is one half
UNKNOWN_TERM = 0.5
TOY_PARAMS_B = 1.0  # below this many billion parameters a model is a toy: never the pick over a larger one


def is_toy(params_b: "np.ndarray | float | None") -> np.ndarray:
    """Under TOY_PARAMS_B parameters (unknown or nan: a hosted model, not a toy)."""
    return np.asarray(np.nan if params_b is None else params_b, dtype=float) < TOY_PARAMS_B


@dataclass(frozen=True)
class Utility:
    """Per row of `rows`: the utility, its terms, and the tiers it falls in."""

    value: np.ndarray
    terms: dict[str, np.ndarray]
    usable: np.ndarray
    below_floor: np.ndarray
    floor: float | None

    def terms_of(self, i: int) -> dict[str, float]:
        return {k: round(float(v[i]), 3) for k, v in self.terms.items()}

    def order(self, meets: np.ndarray, names: Sequence[str]) -> np.ndarray:
        """Positions of the rows, best first: those that meet every requirement, then usable
        speed, then above the accuracy floor, then utility; ties by name (then row order)."""
        return np.lexsort((np.array(names, dtype=str), -self.value, self.below_floor, ~self.usable, ~meets))

    def not_toy_first(self, picked: np.ndarray, meets: np.ndarray, params_b: np.ndarray) -> np.ndarray:
        """`picked` (positions, best first) with the best model of TOY_PARAMS_B or more put first
        when a toy leads and that model is in the same tiers (nan parameters: hosted, not a toy)."""
        if not len(picked) or not is_toy(params_b[picked[0]]):
            return picked
        tier = np.column_stack([meets, self.usable, ~self.below_floor])
        same = (tier[picked] == tier[picked[0]]).all(axis=1) & ~is_toy(params_b[picked])
        if not same.any():
            return picked
        k = int(np.argmax(same))
        return np.concatenate([picked[k:k + 1], np.delete(picked, k)])


def speed_term(decode: np.ndarray, enough: float) -> np.ndarray:
    """S of each decode speed against the speed that is enough (nan: unknown)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(decode > 0, decode / enough, 0.0)
        beyond = np.clip(np.log2(np.maximum(r, 1.0)) / 4.0, 0.0, 1.0)
    s = 0.9 * np.minimum(r, 1.0) ** 0.75 + 0.1 * beyond
    return np.where(np.isnan(decode), UNKNOWN_TERM, s)


def latency_term(ttft: np.ndarray, budget: float) -> np.ndarray:
    """T of each time to first token against the budget (nan: unknown)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.minimum(1.0, budget / np.where(ttft > 0, ttft, np.nan)) ** 0.75
    return np.where(np.isnan(t), UNKNOWN_TERM, t)


def ranked_accuracy(acc: Accuracy, rows: np.ndarray) -> np.ndarray:
    """Points ranked on: halfway from the figure to its interval's lower end."""
    value, low = acc.value[rows], acc.low[rows]
    known_low = ~np.isnan(low) & (low > 0) & (low <= value)  # 0: the interval is not known
    return np.where(known_low, (value + low) / 2, value)


def usable_rows(decode: np.ndarray, local: np.ndarray, enough: float) -> np.ndarray:
    """At least half the speed need (hosted with an unknown speed: usable)."""
    return np.where(np.isnan(decode), ~local, decode >= enough / 2)


def accuracy_reference(acc: np.ndarray, usable: np.ndarray) -> float | None:
    """The most accurate usable candidate's accuracy (of all, when none is usable)."""
    known = ~np.isnan(acc)
    if not known.any():
        return None
    pool = known & usable
    return float(acc[pool].max() if pool.any() else acc[known].max())


def utilities(t: CandidateTable, acc: Accuracy, rows: np.ndarray, s: RankingSettings) -> Utility:
    """The utility and tiers of the table's `rows` (see the module's docstring)."""
    a_pts = ranked_accuracy(acc, rows)
    decode = t.fig("decode")[rows]
    local = t.local[rows]
    usable = usable_rows(decode, local, s.enough_decode_tok_s)
    ref = accuracy_reference(a_pts, usable)
    margin = max(s.accuracy_margin, 0.5)
    accuracy = np.zeros(len(rows)) if ref is None else np.clip(1 + (a_pts - ref) / (2 * margin), 0.0, 1.25)
    speed = speed_term(decode, s.enough_decode_tok_s)
    if s.ttft_budget_ms is not None:
        speed = 0.5 * speed + 0.5 * latency_term(t.fig("ttft")[rows], s.ttft_budget_ms)
    usd = t.usd[rows]
    cost = np.where(local, 1.0, np.where(np.isnan(usd), UNKNOWN_TERM, 1.0 / (1.0 + usd / PRICE_SCALE_USD)))
    with np.errstate(divide="ignore", invalid="ignore"):
        free = 1.0 - t.fig("memory")[rows] / t.usable_gb[rows]
    footprint = np.where(local, np.clip(np.nan_to_num(free, nan=0.0), 0.0, 1.0), 1.0)
    terms = {"accuracy": np.nan_to_num(accuracy, nan=0.0), "speed": speed, "cost": cost, "footprint": footprint}
    weights = {k: float(getattr(s, k)) for k in TERMS}
    total = sum(weights.values()) or 1.0
    value = sum(weights[k] * terms[k] for k in TERMS) / total
    floor = None if ref is None else ref - s.accuracy_margin
    below = np.zeros(len(rows), dtype=bool) if floor is None else np.nan_to_num(a_pts, nan=-1.0) < floor - 1e-9
    return Utility(np.round(value, 4), terms, usable, below, floor)
