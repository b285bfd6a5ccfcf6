"""What every endpoint reaches through the request: the settings, the catalog gate, the pool."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Request

from advisor.serve.gate import CatalogGate, Runner
from advisor.serve.settings import ServeSettings

T = TypeVar("T")


@dataclass
class Served:
    settings: ServeSettings
    gate: CatalogGate
    runner: Runner

    async def read(self, fn: Any, *args: Any) -> Any:
        """`fn(*args)` in the pool, beside other readers of the catalog."""
        return await self.runner.run(self.gate.read, lambda: fn(*args))

    async def read_light(self, fn: Any, *args: Any) -> Any:
        """`fn(*args)` in the pool, for calls that touch no lazily built cache."""
        return await self.runner.run(self.gate.read_light, lambda: fn(*args))

    async def write(self, fn: Any, *args: Any) -> Any:
        """`fn(*args)` in the pool, alone (the caches are warmed for the new data afterwards)."""
        return await self.runner.run(self.gate.write, lambda: fn(*args))


def served(request: Request) -> Served:
    return request.app.state.served  # type: ignore[no-any-return]
