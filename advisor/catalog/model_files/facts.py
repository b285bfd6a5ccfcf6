"""`ModelFacts`: the facts a reader learned about a model, each with where it came from
(`config.json: num_hidden_layers`, `GGUF llama.block_count`, `--context-len`, `computed from the
tensor shapes`). Facts given on the command line win over facts read from files."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from advisor.schema import ModelSpec

# Facts a model row can hold, besides those of `ModelSpec` (informational or for the row only).
EXTRA_FACTS = ("intermediate_size",)
# Facts of the file a model is stored in (GGUF): not model facts, but they register a quantization.
FILE_FACTS = ("quant", "bits_per_weight", "file_size_gb")
MODEL_FACTS = tuple(f for f in ModelSpec.model_fields) + EXTRA_FACTS


@dataclass(frozen=True)
class Fact:
    """One fact and where it came from (a file and key, a command-line option, a computation)."""

    value: Any
    source: str


@dataclass(frozen=True)
class ModelFacts:
    """What one reader (or several, merged) learned about a model."""

    facts: Mapping[str, Fact] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # checks worth saying: "params 7.62 B computed, config says 7.6 B"

    def __post_init__(self) -> None:
        unknown = set(self.facts) - set(MODEL_FACTS) - set(FILE_FACTS)
        if unknown:
            raise ValueError(f"unknown model facts: {', '.join(sorted(unknown))}")

    @classmethod
    def of(cls, values: Mapping[str, Any], source: str, notes: Iterable[str] = ()) -> "ModelFacts":
        """Facts from one place (None values are left out)."""
        return cls({k: Fact(v, source) for k, v in values.items() if v is not None}, tuple(notes))

    def get(self, name: str) -> Any:
        fact = self.facts.get(name)
        return fact.value if fact is not None else None

    def merged(self, over: "ModelFacts") -> "ModelFacts":
        """These facts with `over`'s on top (its facts win, its notes follow)."""
        return ModelFacts({**self.facts, **over.facts}, self.notes + over.notes)

    def spec(self) -> ModelSpec:
        """The facts the predictor uses."""
        return ModelSpec(**{k: self.get(k) for k in ModelSpec.model_fields if self.get(k) is not None})

    def sources(self) -> dict[str, str]:
        """fact -> where it came from (what `advisor catalog show` lists)."""
        return {k: f.source for k, f in self.facts.items()}
