"""Write a GGUF file with random weights and a real llama architecture, loadable by llama.cpp.

The tokenizer is a minimal SentencePiece-style ("llama") vocabulary: <unk>, <s>, </s>, the
256 byte tokens <0x00>..<0xFF> (so any text tokenizes through byte fallback), then filler
word tokens ("▁w123") up to the vocabulary size. The output rows of the control and byte
tokens are zero, so greedy decoding of the random model emits filler words: never
end-of-sequence (every run generates the full max_tokens) and never half a UTF-8 character.

Weights are sampled once into a pool and sliced at random offsets (fast for 1B parameters);
their values do not matter for speed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

N_SPECIAL = 3  # <unk>, <s>, </s>
N_BYTES = 256


@dataclass(frozen=True)
class LlamaShape:
    name: str
    n_layers: int
    hidden: int
    n_heads: int
    n_kv_heads: int
    ffn: int
    vocab: int
    context: int = 2048

    @property
    def head_dim(self) -> int:
        return self.hidden // self.n_heads

    @property
    def n_params(self) -> int:
        kv = self.n_kv_heads * self.head_dim
        per_layer = 2 * self.hidden * self.hidden + 2 * self.hidden * kv + 3 * self.hidden * self.ffn + 2 * self.hidden
        return self.n_layers * per_layer + 2 * self.vocab * self.hidden + self.hidden

    def models_row(self, source: str, notes: str = "") -> dict[str, str]:
        """A models.csv (seed format) row for this shape."""
        return {
            "name": self.name, "family": "random-llama", "params_b": f"{self.n_params / 1e9:.6g}",
            "context_len": str(self.context), "variant": "base", "n_layers": str(self.n_layers),
            "hidden_size": str(self.hidden), "intermediate_size": str(self.ffn),
            "n_heads": str(self.n_heads), "n_kv_heads": str(self.n_kv_heads),
            "head_dim": str(self.head_dim), "vocab_size": str(self.vocab),
            "attention": "full (GQA)" if self.n_kv_heads < self.n_heads else "full (MHA)",
            "license": "none (random weights)", "source": source,
            "notes": notes or "random weights, llama architecture, written with the gguf package",
        }


TINY = LlamaShape("tiny-random-llama", n_layers=2, hidden=64, n_heads=4, n_kv_heads=4, ffn=128, vocab=512, context=512)


def vocabulary(n_vocab: int) -> tuple[list[bytes], list[float], list[int]]:
    import gguf

    if n_vocab < N_SPECIAL + N_BYTES + 8:
        raise ValueError(f"vocab must be at least {N_SPECIAL + N_BYTES + 8}")
    tokens = [b"<unk>", b"<s>", b"</s>"]
    types = [gguf.TokenType.UNKNOWN, gguf.TokenType.CONTROL, gguf.TokenType.CONTROL]
    scores = [0.0, 0.0, 0.0]
    for b in range(N_BYTES):
        tokens.append(f"<0x{b:02X}>".encode())
        types.append(gguf.TokenType.BYTE)
        scores.append(0.0)
    i = 0
    while len(tokens) < n_vocab:
        tokens.append(f"\u2581w{i}".encode())
        types.append(gguf.TokenType.NORMAL)
        scores.append(-float(i))
        i += 1
    return tokens, scores, [int(t) for t in types]


def write_random_llama(path: Path | str, shape: LlamaShape = TINY, dtype: str = "f16", seed: int = 0) -> Path:
    """Write `shape` with random weights to `path` (F16 or F32 matrices, F32 norms)."""
    import gguf

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    np_dtype = np.float16 if dtype == "f16" else np.float32
    pool = (rng.standard_normal(1 << 22, dtype=np.float32) * 0.02).astype(np_dtype)

    def mat(rows: int, cols: int) -> np.ndarray:
        n = rows * cols
        start = int(rng.integers(0, pool.size))
        reps = -(-(start + n) // pool.size)
        flat = np.tile(pool, reps)[start:start + n] if reps > 1 else pool[start:start + n]
        return np.ascontiguousarray(flat.reshape(rows, cols))

    w = gguf.GGUFWriter(str(path), "llama")
    w.add_name(shape.name)
    w.add_context_length(shape.context)
    w.add_embedding_length(shape.hidden)
    w.add_block_count(shape.n_layers)
    w.add_feed_forward_length(shape.ffn)
    w.add_head_count(shape.n_heads)
    w.add_head_count_kv(shape.n_kv_heads)
    w.add_rope_dimension_count(shape.head_dim)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_vocab_size(shape.vocab)
    w.add_file_type(gguf.LlamaFileType.MOSTLY_F16 if dtype == "f16" else gguf.LlamaFileType.ALL_F32)
    tokens, scores, types = vocabulary(shape.vocab)
    w.add_tokenizer_model("llama")
    w.add_token_list(tokens)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_unk_token_id(0)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_add_bos_token(True)
    w.add_add_eos_token(False)

    kv = shape.n_kv_heads * shape.head_dim
    ones = np.ones(shape.hidden, dtype=np.float32)
    w.add_tensor("token_embd.weight", mat(shape.vocab, shape.hidden))
    for i in range(shape.n_layers):
        p = f"blk.{i}."
        w.add_tensor(p + "attn_norm.weight", ones)
        w.add_tensor(p + "attn_q.weight", mat(shape.hidden, shape.hidden))
        w.add_tensor(p + "attn_k.weight", mat(kv, shape.hidden))
        w.add_tensor(p + "attn_v.weight", mat(kv, shape.hidden))
        w.add_tensor(p + "attn_output.weight", mat(shape.hidden, shape.hidden))
        w.add_tensor(p + "ffn_norm.weight", ones)
        w.add_tensor(p + "ffn_gate.weight", mat(shape.ffn, shape.hidden))
        w.add_tensor(p + "ffn_up.weight", mat(shape.ffn, shape.hidden))
        w.add_tensor(p + "ffn_down.weight", mat(shape.hidden, shape.ffn))
    w.add_tensor("output_norm.weight", ones)
    out = mat(shape.vocab, shape.hidden).copy()
    out[: N_SPECIAL + N_BYTES] = 0  # greedy decoding never picks control or byte tokens
    w.add_tensor("output.weight", out)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path
