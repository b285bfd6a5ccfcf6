"""Request and response bodies of `advisor serve` beyond those of `advisor.schema` (which the
recommend and predict endpoints use as they are: the OpenAPI document and `advisor schema` come
from the same pydantic models)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.schema import PredictRequest, PredictResult, Task


class _In(BaseModel):
    """Input bodies: unknown keys are errors, numbers finite."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class ErrorDetail(BaseModel):
    field: str = Field(description="dotted path of the field in the request ('' for the whole body)")
    message: str


class ErrorBody(BaseModel):
    """Every error answer: the status, one line saying what is wrong, and the fields at fault."""

    status: int
    error: str
    details: list[ErrorDetail] = Field(default_factory=list)


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    version: str
    database: str = Field(description="sqlite or postgresql")
    writable: bool = Field(description="writes accepted (the server was started with a write token)")
    catalog_version: str | None = None


class PredictBatch(_In):
    requests: list[PredictRequest] = Field(min_length=1, max_length=2000)


class PredictAnswers(BaseModel):
    results: list[PredictResult]


class ModelRow(BaseModel):
    name: str
    family: str | None = None
    params_b: float | None = None
    active_params_b: float | None = None
    context_len: int | None = None
    variant: str | None = None
    license: str | None = None
    release: str | None = None
    measurements: int
    scores: int


class HardwareRow(BaseModel):
    name: str
    kind: str | None = None
    vendor: str | None = None
    memory_gb: float | None = None
    mem_bandwidth_gbs: float | None = None
    fp16_tflops: float | None = None
    measurements: int


class SearchResult(BaseModel):
    models: list[ModelRow]
    hardware: list[HardwareRow]


class ImportRequest(_In):
    """A file's text as `advisor catalog import` reads it (seed CSV or a tool's output)."""

    content: str = Field(min_length=1, description="the file's text")
    filename: str = Field(default="upload", max_length=200,
                          description="its name (a seed CSV is matched by name, e.g. measurements.csv)")
    format: str = Field(default="auto", max_length=40,
                        description="auto, seed, llama-bench, vllm-serving, lm-eval, ollama, llamacpp-server")
    model: str | None = Field(default=None, max_length=300)
    hardware: str | None = Field(default=None, max_length=300)
    quant: str | None = Field(default=None, max_length=100)
    engine: str | None = Field(default=None, max_length=100)
    source: str | None = Field(default=None, max_length=1000)


class ImportAnswer(BaseModel):
    format: str
    table: str
    rows: int = Field(description="rows written (origin user)")
    already: int = Field(description="rows the catalog already held, not written again")
    skipped: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    summary: str


_POS = {"gt": 0, "le": 1e9}
_COUNT = {"ge": 0, "le": 10_000_000}


class MeasurementIn(_In):
    """One measurement in the columns of the seed's measurements.csv (validated as an import)."""

    model: str = Field(min_length=1, max_length=300)
    hardware: str = Field(min_length=1, max_length=300)
    source: str = Field(min_length=1, max_length=1000, description="citation: who measured, how, when")
    measure_kind: Literal["single_stream", "static_batch", "throughput_under_load", "serving_per_user"] = "single_stream"
    quant: str | None = Field(default=None, max_length=100)
    engine: str | None = Field(default=None, max_length=100)
    engine_version: str | None = Field(default=None, max_length=100)
    n_devices: int = Field(default=1, ge=1, le=4096)
    split: str | None = Field(default=None, max_length=40)
    batch_size: int | None = Field(default=None, ge=1, le=100_000)
    concurrency: int | None = Field(default=None, ge=1, le=100_000)
    prompt_tokens: int | None = Field(default=None, **_COUNT)
    gen_tokens: int | None = Field(default=None, **_COUNT)
    context_depth: int | None = Field(default=None, **_COUNT)
    prefill_tok_s: float | None = Field(default=None, **_POS)
    decode_tok_s: float | None = Field(default=None, **_POS)
    ttft_ms: float | None = Field(default=None, **_POS)
    memory_gb: float | None = Field(default=None, gt=0, le=1e6)
    backend: str | None = Field(default=None, max_length=100)
    threads: int | None = Field(default=None, ge=1, le=100_000)
    notes: str | None = Field(default=None, max_length=2000)

    def seed_row(self) -> dict[str, str]:
        """The row as the seed's CSV reader gives it (every cell text, '' for unknown)."""
        return {k: "" if v is None else str(v) for k, v in self.model_dump().items()}


class MeasurementsIn(_In):
    measurements: list[MeasurementIn] = Field(min_length=1, max_length=2000)


class WriteAnswer(BaseModel):
    rows: int = Field(description="rows written (origin user)")
    already: int = Field(description="rows the catalog already held, not written again")
    catalog_version: str


class PromptRow(BaseModel):
    id: str
    task: str
    kind: str
    version: str
    status: str
    title: str
    variables: list[str]


class RenderRequest(_In):
    vars: dict[str, Any] = Field(default_factory=dict, description="the prompt's variables by name")


class Rendered(BaseModel):
    id: str
    text: str


class GenerateRequest(_In):
    task: Task
    model: str = Field(min_length=1, max_length=300)
    domain: str = Field(default="general", max_length=200)
    context_window: int | None = Field(default=None, ge=1, le=100_000_000)
