"""Timing one streamed completion: the generated text of each chunk, the time of the first and
last generated delta, and the token counts: the server's own (its `usage`, else llama.cpp's
`timings`), else an estimate (an exact tokenizer, else one token per streamed delta, empty
deltas between the first and the last text included: a server may send a token as "")."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass
class RunStats:
    """One streamed completion, timed. Times are seconds from sending the request."""

    ttft_s: float | None
    last_s: float | None
    total_s: float
    prompt_tokens: int | None
    completion_tokens: int | None
    tokens_estimated: bool
    text: str = ""

    @property
    def decode_tok_s(self) -> float | None:
        """(completion tokens - 1) / (last delta - first delta); None with under two tokens."""
        if (self.completion_tokens is None or self.completion_tokens < 2 or self.ttft_s is None
                or self.last_s is None or self.last_s <= self.ttft_s):
            return None
        return (self.completion_tokens - 1) / (self.last_s - self.ttft_s)

    @property
    def prefill_tok_s(self) -> float | None:
        """Prompt tokens / TTFT: a lower bound of the engine's prefill speed."""
        if not self.prompt_tokens or not self.ttft_s or self.ttft_s <= 0:
            return None
        return self.prompt_tokens / self.ttft_s


def _get(obj: Any, key: str) -> Any:
    """`obj[key]` or `obj.key` (litellm chunks are objects, raw ones dicts); None if absent."""
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(key)
    return getattr(obj, key, None)


def chunk_text(chunk: Any) -> str:
    """The generated text of one stream chunk (content, else reasoning content)."""
    choices = _get(chunk, "choices") or []
    out = []
    for ch in choices:
        delta = _get(ch, "delta")
        for key in ("content", "reasoning_content"):
            v = _get(delta, key)
            if isinstance(v, str) and v:
                out.append(v)
        text = _get(ch, "text")  # text-completion chunks
        if isinstance(text, str) and text:
            out.append(text)
    return "".join(out)


def _as_int(v: Any) -> int | None:
    """`v` as an int, None when it is missing or not a number."""
    try:
        return int(v) if v is not None else None
    except (TypeError, ValueError):
        return None


def _usage_of(u: Any) -> tuple[int | None, int | None]:
    """(prompt tokens, completion tokens) of a usage record."""
    return _as_int(_get(u, "prompt_tokens")), _as_int(_get(u, "completion_tokens"))


def _timings_usage(chunk: Any) -> dict[str, int] | None:
    """llama.cpp's `timings` of a chunk as a usage record (prompt = processed + cached tokens)."""
    t = _get(chunk, "timings")
    if t is None:
        return None
    prompt, cached, predicted = _as_int(_get(t, "prompt_n")), _as_int(_get(t, "cache_n")), _as_int(_get(t, "predicted_n"))
    if predicted is None:
        return None
    total = None if prompt is None else prompt + (cached or 0)
    return {"prompt_tokens": total, "completion_tokens": predicted}


def last_usage(chunks: Iterable[Any]) -> Any:
    """The server's counts: the usage of the last chunk that carries one, else the `timings`
    of the last chunk that has them (llama.cpp), else None."""
    found = timings = None
    for ch in chunks:
        u = _get(ch, "usage")
        if u is not None:
            found = u
        timings = _timings_usage(ch) or timings
    return found if found is not None else timings


def _has_delta(chunk: Any) -> bool:
    """Whether a chunk carries a generated delta at all (its text may be empty)."""
    for ch in _get(chunk, "choices") or []:
        delta = _get(ch, "delta")
        if any(isinstance(_get(delta, k), str) for k in ("content", "reasoning_content")):
            return True
        if isinstance(_get(ch, "text"), str):
            return True
    return False


class StreamTimeout(TimeoutError):
    """The whole request took longer than its deadline (a server that drips chunks)."""


def bounded(stream: Iterable[Any], t0: float, deadline: float, clock: Callable[[], float] = time.perf_counter) -> Any:
    """The chunks of `stream` until `deadline` seconds after `t0`: read by a worker thread, so
    that a server which sends a chunk just often enough to keep each read alive still cannot
    hold the request past the deadline (`StreamTimeout`). The worker is a daemon: abandoned,
    it ends with its connection."""
    import queue
    import threading

    q: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=64)
    stop = threading.Event()

    def pump() -> None:
        try:
            for chunk in stream:
                if stop.is_set():
                    return
                q.put(("chunk", chunk))
            q.put(("end", None))
        except BaseException as exc:  # noqa: BLE001 - handed to the reader
            q.put(("error", exc))

    threading.Thread(target=pump, daemon=True, name="measure-stream").start()
    try:
        while True:
            left = deadline - (clock() - t0)
            if left <= 0:
                raise StreamTimeout(f"the whole request took longer than {deadline:g} s")
            try:
                kind, item = q.get(timeout=left)
            except queue.Empty:
                raise StreamTimeout(f"the whole request took longer than {deadline:g} s") from None
            if kind == "end":
                return
            if kind == "error":
                raise item
            yield item
    finally:
        stop.set()
        close = getattr(stream, "close", None)
        if callable(close):
            try:
                close()
            except Exception:  # noqa: BLE001 - closing is best effort
                pass


def consume_stream(
    stream: Iterable[Any],
    t0: float,
    clock: Callable[[], float] = time.perf_counter,
    count: Callable[[str], int | None] | None = None,
    reported_usage: Callable[[], Any] | None = None,
    max_deltas: int | None = None,
) -> RunStats:
    """Time a stream of chunks. `t0` is the clock value when the request was sent.

    `reported_usage()` (called after the stream ends) returns the usage the server reported,
    or None; without it, the last usage (or llama.cpp `timings`) seen on a chunk is taken as
    reported. When no usage was reported, the completion tokens are estimated: `count(text)`
    when it returns a number (an exact tokenizer), else the number of streamed deltas from the
    first text to the last (empty ones between them included)."""
    first = last = None
    parts: list[str] = []
    usage_seen = None
    deltas = n = 0  # deltas since the first text; n: up to the last text
    for chunk in stream:
        now = clock() - t0
        text = chunk_text(chunk)
        if text and max_deltas is not None and n >= max_deltas:
            break  # text past the tokens asked for (a server ignoring max_tokens): not timed, not waited for
        if text or (first is not None and _has_delta(chunk)):
            deltas += 1
        if text:
            n = deltas
            if first is None:
                first = now
            last = now
            parts.append(text)
        u = _get(chunk, "usage") or _timings_usage(chunk)
        if u is not None:
            usage_seen = u
    total = clock() - t0
    text = "".join(parts)
    usage = reported_usage() if reported_usage is not None else usage_seen
    prompt_tokens, completion_tokens = _usage_of(usage) if usage is not None else (None, None)
    estimated = False
    if not completion_tokens:
        # no usage from the server: an exact tokenizer count if `count` has one, else one
        # token per streamed delta (what llama.cpp, vLLM and Ollama send)
        estimated = True
        counted = count(text) if (count is not None and text) else None
        completion_tokens = counted if counted else (n or None)
    return RunStats(ttft_s=first, last_s=last, total_s=total,
                    prompt_tokens=prompt_tokens, completion_tokens=completion_tokens,
                    tokens_estimated=estimated, text=text)
