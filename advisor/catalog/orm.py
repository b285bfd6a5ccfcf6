"""SQLAlchemy 2.x typed ORM of the catalog: sources, models, hardware, quantizations, engines
(each with aliases) and the figures that reference them (measurements, scores, quantization
effects, out-of-memory observations). Every figure references its source.

`origin` is `seed` for rows built from the shipped seed and `user` for rows a user added:
seed rebuilds replace seed rows and never touch user rows.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

SEED = "seed"
USER = "user"


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Key/value facts about the catalog itself: schema version, seed hash, build time."""

    __tablename__ = "catalog_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Source(Base):
    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    citation: Mapped[str] = mapped_column(Text)
    license: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(40))
    notes: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(8), default=SEED)


class Model(Base):
    __tablename__ = "models"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    family: Mapped[str | None] = mapped_column(String(120))
    params_b: Mapped[float | None] = mapped_column(Float)
    active_params_b: Mapped[float | None] = mapped_column(Float)
    context_len: Mapped[int | None] = mapped_column(Integer)
    release: Mapped[str | None] = mapped_column(String(20))
    license: Mapped[str | None] = mapped_column(Text)
    commercial_use: Mapped[bool | None] = mapped_column(Boolean)
    variant: Mapped[str | None] = mapped_column(String(40))
    n_layers: Mapped[int | None] = mapped_column(Integer)
    hidden_size: Mapped[int | None] = mapped_column(Integer)
    intermediate_size: Mapped[int | None] = mapped_column(Integer)
    n_heads: Mapped[int | None] = mapped_column(Integer)
    n_kv_heads: Mapped[int | None] = mapped_column(Integer)
    head_dim: Mapped[int | None] = mapped_column(Integer)
    vocab_size: Mapped[int | None] = mapped_column(Integer)
    attention: Mapped[str | None] = mapped_column(String(120))
    sliding_window: Mapped[int | None] = mapped_column(Integer)
    kv_lora_rank: Mapped[int | None] = mapped_column(Integer)
    moe_experts: Mapped[int | None] = mapped_column(Integer)
    moe_active_experts: Mapped[int | None] = mapped_column(Integer)
    # hybrids (linear attention, Mamba/SSM layers): only these layers keep a KV cache (None: all)
    kv_layers: Mapped[int | None] = mapped_column(Integer)
    # of the KV layers, how many cache only a window of `sliding_window` tokens (None: from `attention`)
    sliding_layers: Mapped[int | None] = mapped_column(Integer)
    # fixed per-sequence state of the recurrent layers (MB at 16 bits), read and written each token
    state_mb: Mapped[float | None] = mapped_column(Float)
    # interleaved models whose full-attention layers have their own shape (Gemma 4): the head dim
    # and KV heads of those layers (None: the same as head_dim and n_kv_heads)
    global_head_dim: Mapped[int | None] = mapped_column(Integer)
    global_kv_heads: Mapped[int | None] = mapped_column(Integer)
    # the quantization (catalog name) the published weights are in, where not 16-bit: gpt-oss
    # MXFP4, DeepSeek-V3 FP8 (None: 16-bit or not stated); published scores are of these weights
    weights_quant: Mapped[str | None] = mapped_column(String(40))
    # JSON object: fact -> where it came from (user models; seed rows cite source/arch_source)
    fact_sources: Mapped[str | None] = mapped_column(Text)
    facts_basis: Mapped[str | None] = mapped_column(String(40))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    arch_source: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(8), default=SEED)

    source: Mapped[Source | None] = relationship()
    aliases: Mapped[list[ModelAlias]] = relationship(back_populates="model")


class ModelAlias(Base):
    __tablename__ = "model_aliases"
    id: Mapped[int] = mapped_column(primary_key=True)
    alias: Mapped[str] = mapped_column(String(200), unique=True)  # normalised
    model_id: Mapped[int] = mapped_column(ForeignKey("models.id", ondelete="CASCADE"))
    origin: Mapped[str] = mapped_column(String(8), default=SEED)
    model: Mapped[Model] = relationship(back_populates="aliases")


class Hardware(Base):
    __tablename__ = "hardware"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    vendor: Mapped[str | None] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16))
    memory_gb: Mapped[float | None] = mapped_column(Float)
    mem_bandwidth_gbs: Mapped[float | None] = mapped_column(Float)
    fp16_tflops: Mapped[float | None] = mapped_column(Float)
    int8_tops: Mapped[float | None] = mapped_column(Float)
    fp16_nontensor_tflops: Mapped[float | None] = mapped_column(Float)
    fp32_tflops: Mapped[float | None] = mapped_column(Float)
    tdp_w: Mapped[float | None] = mapped_column(Float)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(8), default=SEED)

    source: Mapped[Source | None] = relationship()
    aliases: Mapped[list[HardwareAlias]] = relationship(back_populates="hardware")


class HardwareAlias(Base):
    __tablename__ = "hardware_aliases"
    id: Mapped[int] = mapped_column(primary_key=True)
    alias: Mapped[str] = mapped_column(String(200), unique=True)
    hardware_id: Mapped[int] = mapped_column(ForeignKey("hardware.id", ondelete="CASCADE"))
    origin: Mapped[str] = mapped_column(String(8), default=SEED)
    hardware: Mapped[Hardware] = relationship(back_populates="aliases")


class Quantization(Base):
    __tablename__ = "quantizations"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    family: Mapped[str | None] = mapped_column(String(20))
    bits_per_weight: Mapped[float] = mapped_column(Float)
    weight_bits: Mapped[float | None] = mapped_column(Float)
    act_bits: Mapped[float | None] = mapped_column(Float)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(8), default=SEED)


class QuantAlias(Base):
    __tablename__ = "quant_aliases"
    id: Mapped[int] = mapped_column(primary_key=True)
    alias: Mapped[str] = mapped_column(String(200), unique=True)
    quant_id: Mapped[int] = mapped_column(ForeignKey("quantizations.id", ondelete="CASCADE"))
    origin: Mapped[str] = mapped_column(String(8), default=SEED)
    quant: Mapped[Quantization] = relationship()


class Engine(Base):
    __tablename__ = "engines"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(8), default=SEED)


class EngineAlias(Base):
    __tablename__ = "engine_aliases"
    id: Mapped[int] = mapped_column(primary_key=True)
    alias: Mapped[str] = mapped_column(String(200), unique=True)
    engine_id: Mapped[int] = mapped_column(ForeignKey("engines.id", ondelete="CASCADE"))
    origin: Mapped[str] = mapped_column(String(8), default=SEED)
    engine: Mapped[Engine] = relationship()


class Measurement(Base):
    """One measured speed/memory profile. `measure_kind` says what the speed means:
    single_stream, static_batch, throughput_under_load or serving_per_user."""

    __tablename__ = "measurements"
    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("models.id"))
    quant_id: Mapped[int | None] = mapped_column(ForeignKey("quantizations.id"))
    engine_id: Mapped[int | None] = mapped_column(ForeignKey("engines.id"))
    engine_version: Mapped[str | None] = mapped_column(String(60))
    hardware_id: Mapped[int] = mapped_column(ForeignKey("hardware.id"))
    n_devices: Mapped[int] = mapped_column(Integer, default=1)
    split: Mapped[str | None] = mapped_column(String(20))
    batch_size: Mapped[int | None] = mapped_column(Integer)
    concurrency: Mapped[int | None] = mapped_column(Integer)
    measure_kind: Mapped[str] = mapped_column(String(30))
    prompt_tokens: Mapped[int | None] = mapped_column(Integer)
    gen_tokens: Mapped[int | None] = mapped_column(Integer)
    context_depth: Mapped[int | None] = mapped_column(Integer)
    prefill_tok_s: Mapped[float | None] = mapped_column(Float)
    decode_tok_s: Mapped[float | None] = mapped_column(Float)
    ttft_ms: Mapped[float | None] = mapped_column(Float)
    memory_gb: Mapped[float | None] = mapped_column(Float)
    backend: Mapped[str | None] = mapped_column(String(40))
    threads: Mapped[int | None] = mapped_column(Integer)
    quality: Mapped[str | None] = mapped_column(String(20))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(8), default=SEED)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)

    model: Mapped[Model] = relationship()
    quant: Mapped[Quantization | None] = relationship()
    engine: Mapped[Engine | None] = relationship()
    hardware: Mapped[Hardware] = relationship()
    source: Mapped[Source] = relationship()

    __table_args__ = (Index("ix_measurements_model_hw", "model_id", "hardware_id"),)


class Score(Base):
    __tablename__ = "scores"
    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("models.id"))
    benchmark: Mapped[str] = mapped_column(String(200))
    setting: Mapped[str | None] = mapped_column(Text)
    score: Mapped[float] = mapped_column(Float)
    scale: Mapped[str | None] = mapped_column(String(20))
    quant_id: Mapped[int | None] = mapped_column(ForeignKey("quantizations.id"))
    variant: Mapped[str | None] = mapped_column(String(40))
    evaluator: Mapped[str | None] = mapped_column(Text)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    quality: Mapped[str | None] = mapped_column(String(20))  # `implausible`: kept, never used
    origin: Mapped[str] = mapped_column(String(8), default=SEED)

    model: Mapped[Model] = relationship()
    quant: Mapped[Quantization | None] = relationship()
    source: Mapped[Source] = relationship()

    __table_args__ = (Index("ix_scores_model_bench", "model_id", "benchmark"),)


class QuantEffect(Base):
    __tablename__ = "quant_effects"
    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("models.id"))
    quant_method: Mapped[str] = mapped_column(String(120))
    quant_id: Mapped[int | None] = mapped_column(ForeignKey("quantizations.id"))
    bits: Mapped[float | None] = mapped_column(Float)
    metric: Mapped[str] = mapped_column(String(120))
    value_quant: Mapped[float | None] = mapped_column(Float)
    value_baseline: Mapped[float | None] = mapped_column(Float)
    higher_is_better: Mapped[bool | None] = mapped_column(Boolean)
    weight_bits: Mapped[float | None] = mapped_column(Float)
    act_bits: Mapped[float | None] = mapped_column(Float)
    group_size: Mapped[int | None] = mapped_column(Integer)
    baseline_precision: Mapped[str | None] = mapped_column(String(60))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(8), default=SEED)

    model: Mapped[Model] = relationship()
    quant: Mapped[Quantization | None] = relationship()
    source: Mapped[Source] = relationship()


class OomObservation(Base):
    __tablename__ = "oom_observations"
    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("models.id"))
    quant_id: Mapped[int | None] = mapped_column(ForeignKey("quantizations.id"))
    engine_id: Mapped[int | None] = mapped_column(ForeignKey("engines.id"))
    hardware_id: Mapped[int] = mapped_column(ForeignKey("hardware.id"))
    n_devices: Mapped[int] = mapped_column(Integer, default=1)
    prompt_tokens: Mapped[int | None] = mapped_column(Integer)
    gen_tokens: Mapped[int | None] = mapped_column(Integer)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(8), default=SEED)

    model: Mapped[Model] = relationship()
    quant: Mapped[Quantization | None] = relationship()
    engine: Mapped[Engine | None] = relationship()
    hardware: Mapped[Hardware] = relationship()
    source: Mapped[Source] = relationship()


class HostedSpeed(Base):
    """A hosted API model's published output speed and time to first token (from monitoring
    or a benchmark of the provider's endpoint, dated): what one caller sees, not a device's speed."""

    __tablename__ = "hosted_speeds"
    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("models.id"))
    output_tok_s: Mapped[float | None] = mapped_column(Float)
    ttft_ms: Mapped[float | None] = mapped_column(Float)
    date: Mapped[str | None] = mapped_column(Text)
    method: Mapped[str | None] = mapped_column(Text)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(8), default=SEED)

    model: Mapped[Model] = relationship()
    source: Mapped[Source] = relationship()


class Override(Base):
    """A user's facts for a seed entity (a model, device, quantization or engine): the seed row
    is never changed in place; the snapshot shows the seed row with these values on top, and a
    seed rebuild keeps them. `entity` is the table name, `facts` a JSON object."""

    __tablename__ = "overrides"
    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    facts: Mapped[str] = mapped_column(Text)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    origin: Mapped[str] = mapped_column(String(8), default=USER)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class ImportLog(Base):
    """One `advisor catalog import`: the file, its format and the ids of the rows it wrote per
    table (a JSON object), so that `advisor catalog remove --import N` undoes exactly it."""

    __tablename__ = "imports"
    id: Mapped[int] = mapped_column(primary_key=True)
    file: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(40))
    rows: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


# Figure tables in the order they are deleted (children first).
FIGURE_TABLES = (Measurement, Score, QuantEffect, OomObservation, HostedSpeed)
ALIAS_TABLES = (ModelAlias, HardwareAlias, QuantAlias, EngineAlias)
ENTITY_TABLES = (Model, Hardware, Quantization, Engine, Source)

__all__ = [
    "Base", "Meta", "Source", "Model", "ModelAlias", "Hardware", "HardwareAlias",
    "Quantization", "QuantAlias", "Engine", "EngineAlias", "Measurement", "Score",
    "QuantEffect", "OomObservation", "HostedSpeed", "Override", "ImportLog", "SEED", "USER", "FIGURE_TABLES", "ALIAS_TABLES",
    "ENTITY_TABLES",
]
