"""Hosted API models: context windows and prices from litellm's bundled price map.

The map (`model_prices_and_context_window_backup.json` inside the litellm package) is read
as plain JSON, without importing litellm (2-3 s) and without the network.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from pydantic import BaseModel


# A hosted model its provider shuts down within this many days is not recommended: a deployment
# chosen today would have to move again before it is in use.
RETIREMENT_NOTICE_DAYS = 30


def retirement_cutoff(today: date) -> date:
    """The last shut-down date that rules a hosted model out on `today`."""
    return today + timedelta(days=RETIREMENT_NOTICE_DAYS)


class ApiModelInfo(BaseModel):
    """One entry of the price map. Prices are USD per token; None when the map has none."""

    name: str
    provider: str | None = None
    mode: str | None = None
    max_input_tokens: int | None = None
    max_output_tokens: int | None = None
    input_usd_per_token: float | None = None
    output_usd_per_token: float | None = None
    supports_system_messages: bool | None = None
    retires_on: date | None = None
    """The map's `deprecation_date`: the day the provider stops serving the model."""

    def retired(self, today: date) -> bool:
        """Whether the provider has shut it down by `today`, or will within
        RETIREMENT_NOTICE_DAYS: too soon to build on."""
        return self.retires_on is not None and self.retires_on <= retirement_cutoff(today)

    @property
    def context_window(self) -> int | None:
        return self.max_input_tokens

    @property
    def usd_per_1m_input(self) -> float | None:
        return None if self.input_usd_per_token is None else self.input_usd_per_token * 1e6


@lru_cache(maxsize=1)
def price_map() -> dict[str, dict[str, Any]]:
    """The parsed price map (entries that are dicts; `sample_spec` left out); {} if missing."""
    from advisor.config import litellm_dir

    base = litellm_dir()
    if base is None:
        return {}
    path = base / "model_prices_and_context_window_backup.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, dict) and k != "sample_spec"}


@lru_cache(maxsize=1)
def _lower_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for key in price_map():
        index.setdefault(key.lower(), key)
    return index


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _date(value: Any) -> date | None:
    """An ISO date from the map (None when absent or malformed)."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _info(key: str, entry: dict[str, Any]) -> ApiModelInfo:
    max_in = _int(entry.get("max_input_tokens"))
    max_out = _int(entry.get("max_output_tokens"))
    if max_in is None:
        max_in = _int(entry.get("max_tokens"))
    sys_msgs = entry.get("supports_system_messages")
    return ApiModelInfo(
        name=key,
        provider=entry.get("litellm_provider") if isinstance(entry.get("litellm_provider"), str) else None,
        mode=entry.get("mode") if isinstance(entry.get("mode"), str) else None,
        max_input_tokens=max_in,
        max_output_tokens=max_out,
        input_usd_per_token=_float(entry.get("input_cost_per_token")),
        output_usd_per_token=_float(entry.get("output_cost_per_token")),
        supports_system_messages=sys_msgs if isinstance(sys_msgs, bool) else None,
        retires_on=_date(entry.get("deprecation_date")),
    )


def _lookup(name: str) -> str | None:
    data = price_map()
    if name in data:
        return name
    return _lower_index().get(name.lower())


def api_model(name: str) -> ApiModelInfo | None:
    """The price-map entry for `name`: the exact key, then case-insensitive, then with a
    `provider/` prefix stripped (one segment at a time). None when unknown."""
    name = name.strip()
    if not name:
        return None
    candidate: str | None = name
    while candidate:
        key = _lookup(candidate)
        if key is not None:
            return _info(key, price_map()[key])
        candidate = candidate.split("/", 1)[1] if "/" in candidate else None
    return None


def list_api_models(mode: str | None = "chat") -> list[ApiModelInfo]:
    """Every entry of the price map with this `mode` (all modes when None), sorted by name."""
    return [
        _info(key, entry)
        for key, entry in sorted(price_map().items())
        if mode is None or entry.get("mode") == mode
    ]


def close_matches(name: str, n: int = 5) -> list[str]:
    """Price-map keys that look like `name` (for 'did you mean' messages)."""
    import difflib

    return difflib.get_close_matches(name.lower(), list(_lower_index()), n=n, cutoff=0.6)
