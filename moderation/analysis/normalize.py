"""Text normalisation, done once before rules and models, with offsets back to the original.

``normalize(text)`` returns a :class:`Normalized`: ``text`` is NFKC-folded, with zero-width and
bidirectional control characters removed, curly quotes and apostrophes made straight, every run
of whitespace (line breaks, tabs, NBSP, ideographic spaces) made one space, and letters repeated
three or more times cut to two ("sooooo" -> "soo"). ``span(start, end)`` maps a span of the
normalised text back to the original, so evidence always points into what the reader wrote.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# zero-width characters, soft hyphen, word joiner, BOM, bidi marks, embeddings and isolates
_DROP = frozenset(
    "\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff"
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_QUOTES = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u0060": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
}


@dataclass(frozen=True)
class Normalized:
    original: str
    text: str
    #: offsets[i] is the index in ``original`` of the character that produced ``text[i]``
    offsets: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original-text span of ``text[start:end]`` (end exclusive)."""
        if not self.offsets or start >= end:
            return (0, 0)
        start = min(max(start, 0), len(self.offsets) - 1)
        end = min(max(end, start + 1), len(self.offsets))
        # one original character may fold into several ("\ufb01" -> "fi"): its span is itself
        return (self.offsets[start], self.offsets[end - 1] + 1)


def normalize(text: str) -> Normalized:
    out: list[str] = []
    offs: list[int] = []
    prev_space = True  # drops leading whitespace
    run_char = ""
    run_len = 0
    for i, ch in enumerate(text):
        if ch in _DROP or "\ud800" <= ch <= "\udfff":  # invisible, or a lone surrogate
            continue
        if ch in _QUOTES:
            folded = _QUOTES[ch]
        elif ch.isascii():
            folded = ch
        else:
            folded = unicodedata.normalize("NFKC", ch)
        for c in folded:
            if c.isspace() or c in _DROP:
                if prev_space:
                    continue
                c = " "
                prev_space = True
            else:
                prev_space = False
            if c == run_char and c.isalpha():
                run_len += 1
                if run_len > 2:
                    continue
            else:
                run_char, run_len = c, 1
            out.append(c)
            offs.append(i)
    while out and out[-1] == " ":
        out.pop()
        offs.pop()
    return Normalized(text, "".join(out), tuple(offs))
