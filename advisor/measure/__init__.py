"""Measure an OpenAI-compatible (or any litellm-supported) endpoint and record the result in the
catalog as one single-stream user measurement.

Per run, through litellm's streaming completion (temperature 0, `max_tokens=gen_tokens`,
`stream_options={"include_usage": True}`):

- TTFT = time from sending the request to the first non-empty content delta
  (reasoning deltas count: they are generated tokens too);
- total time = send to end of stream;
- completion and prompt tokens = the usage the SERVER reports. litellm fills in usage itself
  when the server sends none; that is detected (the wrapper's raw chunks carry no usage) and
  the streamed text is then counted with `advisor.tokens.count_tokens` and marked estimated;
- decode tok/s = (completion_tokens - 1) / (t_last_delta - t_first_delta);
- prefill tok/s ~ prompt_tokens / TTFT (TTFT also holds the network round trip and the first
  decode step, so this is a lower bound of the engine's prefill speed).

One warm-up run (not counted), then N runs, each with a prompt that differs from its first
token on (a run number and a random tag), so that no engine can reuse a cached prefix.
Medians are reported with min and max.

The API key is read from the environment variable named by the caller and is never written
anywhere: not in the source citation, the notes, the JSON or an error message.

Modules: `stream` (timing one stream), `prompt` (prompts of a size), `endpoint` (URL and model
names), `request` (one timed request), `runs` (warm-up, N runs, summary), `record` (catalog
rows), `target` (what is measured, resolved), `session` (all of it, for the command).
litellm is imported only when a request is made.
"""

from __future__ import annotations

from advisor.measure.endpoint import guess_engine, litellm_model, redact_url, served_name
from advisor.measure.prompt import build_prompt, count_text_tokens
from advisor.measure.record import Target, measurement_row, record, register_detected_hardware
from advisor.measure.request import MeasureConfig, MeasureError
from advisor.measure.runs import MeasureResult, measure_endpoint, summarize
from advisor.measure.session import MeasureOutcome, MeasureSession
from advisor.measure.stream import RunStats, chunk_text, consume_stream
from advisor.measure.target import MeasureOptions, MeasurePlan, api_key_from_env, resolve_plan

__all__ = [
    "MeasureConfig", "MeasureError", "MeasureOptions", "MeasureOutcome", "MeasurePlan", "MeasureResult",
    "MeasureSession", "RunStats", "Target", "api_key_from_env", "build_prompt", "chunk_text",
    "consume_stream", "count_text_tokens", "guess_engine", "litellm_model", "measure_endpoint",
    "measurement_row", "record", "redact_url", "register_detected_hardware", "resolve_plan",
    "served_name", "summarize",
]
