"""Public result types of the tone engine."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """Evidence: ``text[start:end]`` is why ``label`` (a flag or tag) was given."""

    start: int
    end: int
    label: str
    reason: str

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "label": self.label, "reason": self.reason}


@dataclass(frozen=True)
class Analysis:
    scores: Mapping[str, float]
    flags: tuple[str, ...]
    tags: tuple[str, ...]
    evidence: tuple[Span, ...]
    model_version: str
    language: str = "en"
    confidence: float = 1.0

    def to_dict(self) -> dict:
        return {
            "flags": list(self.flags),
            "tags": list(self.tags),
            "scores": {k: float(v) for k, v in self.scores.items()},
            "evidence": [s.to_dict() for s in self.evidence],
            "model_version": self.model_version,
            "language": self.language,
            "confidence": float(self.confidence),
        }
