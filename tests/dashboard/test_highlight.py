"""Highlight segments: every character once, in order; labels from the covering spans."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from moderation.dashboard.highlight import segments


def test_overlapping_spans_split_into_pieces():
    text = "I want to die tonight"
    pieces = segments(text, [
        {"start": 2, "end": 13, "label": "crisis", "reason": "intent"},
        {"start": 10, "end": 21, "label": "distress", "reason": "timing"},
    ])
    assert [(p.text, p.labels) for p in pieces] == [
        ("I ", ()), ("want to ", ("crisis",)), ("die", ("crisis", "distress")),
        (" tonight", ("distress",))]
    assert pieces[2].title == "crisis: intent; distress: timing"


def test_bad_spans_are_ignored_or_clamped():
    pieces = segments("short", [{"start": 3, "end": 99, "label": "hostile"},
                                {"start": "x", "end": 2}, {"start": 4, "end": 1},
                                {"end": 2}])
    assert [(p.text, p.labels) for p in pieces] == [("sho", ()), ("rt", ("hostile",))]


def test_first_line_cut():
    pieces = segments("first line here\nsecond", [{"start": 6, "end": 20, "label": "x",
                                                   "reason": ""}], limit=10)
    assert "".join(p.text for p in pieces) == "first line…"
    assert pieces[1].labels == ("x",)


def test_markup_stays_plain_text():
    pieces = segments("<script>alert(1)</script>", [{"start": 0, "end": 8, "label": "hostile",
                                                     "reason": "<b>"}])
    assert pieces[0].text == "<script>" and not hasattr(pieces[0].text, "__html__")


spans = st.lists(st.fixed_dictionaries({
    "start": st.integers(-5, 60), "end": st.integers(-5, 60),
    "label": st.sampled_from(["crisis", "threat", "distress", "hostile"]),
    "reason": st.text(max_size=10)}), max_size=6)


@given(st.text(max_size=50), spans)
def test_pieces_cover_the_text_exactly(text, evidence):
    pieces = segments(text, evidence)
    assert "".join(p.text for p in pieces) == text
    assert all(p.text for p in pieces) or text == ""
    for a, b in zip(pieces, pieces[1:], strict=False):
        assert a.labels != b.labels  # equal neighbours are merged
