"""The metric helpers used by ``evaluate`` (no data files needed)."""

import random

from moderation.analysis.evaluate import auc, f1, span_f1


def test_auc_matches_pairwise_definition():
    rng = random.Random(7)
    y = [rng.random() < 0.3 for _ in range(300)]
    s = [round(rng.random(), 2) + (0.3 if yy else 0.0) for yy in y]
    pos = [v for v, yy in zip(s, y) if yy]
    neg = [v for v, yy in zip(s, y) if not yy]
    pairwise = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / (len(pos) * len(neg))
    assert abs(auc(y, s) - pairwise) < 1e-12
    assert auc([1, 0], [0.9, 0.1]) == 1.0 and auc([1, 0], [0.1, 0.9]) == 0.0


def test_span_f1_semeval_convention():
    assert span_f1(set(), set()) == 1.0
    assert span_f1({1}, set()) == 0.0 and span_f1(set(), {1}) == 0.0
    assert abs(span_f1({1, 2, 3, 4}, {3, 4, 5, 6}) - 0.5) < 1e-12
    assert f1(0, 3, 4) == 0.0 and f1(5, 0, 0) == 1.0
