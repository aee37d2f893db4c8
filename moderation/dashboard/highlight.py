"""Evidence highlights as plain (text, labels, reasons) pieces, escaped by the template.

Comment text is never marked safe: the template renders each piece with autoescape, and
a highlighted piece is only wrapped in a <mark> the template writes itself.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Segment:
    text: str
    labels: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()

    @property
    def marked(self) -> bool:
        return bool(self.labels)

    @property
    def title(self) -> str:
        return "; ".join(f"{label}: {reason}" if reason else label
                         for label, reason in zip(self.labels, self.reasons, strict=True))

    @property
    def css_label(self) -> str:
        return self.labels[0] if self.labels else ""


def _spans(evidence: Iterable[Mapping[str, Any]] | None, length: int):
    for span in evidence or ():
        try:
            start, end = int(span["start"]), int(span["end"])
        except (KeyError, TypeError, ValueError):
            continue
        start, end = max(0, start), min(length, end)
        if start < end:
            yield start, end, str(span.get("label") or "flag"), str(span.get("reason") or "")


def segments(text: str | None, evidence: Iterable[Mapping[str, Any]] | None,
             limit: int | None = None) -> list[Segment]:
    """Split `text` at every span edge; overlapping spans give a piece several labels.
    With `limit`, only the first line, cut at `limit` characters, is returned."""
    text = text or ""
    if limit is not None:
        first = text.split("\n", 1)[0]
        cut = len(first) > limit or len(first) < len(text.rstrip())
        text = first[:limit]
    else:
        cut = False
    spans = list(_spans(evidence, len(text)))
    edges = sorted({0, len(text), *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    pieces: list[Segment] = []
    for start, end in zip(edges, edges[1:], strict=False):
        covering = [(label, reason) for s, e, label, reason in spans if s <= start and end <= e]
        labels = tuple(dict.fromkeys(label for label, _ in covering))
        reasons = tuple(next(r for lab, r in covering if lab == label) for label in labels)
        piece = Segment(text[start:end], labels, reasons)
        if pieces and pieces[-1].labels == piece.labels:  # merge equal neighbours
            prev = pieces.pop()
            piece = Segment(prev.text + piece.text, labels, prev.reasons)
        pieces.append(piece)
    if cut:
        pieces.append(Segment("…"))
    return pieces
