"""A comment's content hash is compared with the hashes stored by earlier versions (a
redelivery must be recognised after an upgrade): its digest must not change."""
from __future__ import annotations

from datetime import UTC, datetime

from moderation.payload import CommentIn


def test_the_content_hash_is_the_one_earlier_versions_stored():
    full = CommentIn("c-1", "Thanks for the physio tips — they helped.", "a1", "Ann",
                     "ann@example.net", "https://news.example.org/a/1", "Living with MS",
                     datetime(2026, 11, 25, 10, 0, tzinfo=UTC), "p-0", "GB", "en")
    assert full.content_sha256() == \
        "58a58a27d0f2d214cf5e9adcbaf7c7f6f85db5eede8a9d1468a4bc43058241ed"
    assert CommentIn("c-2", "Short.").content_sha256() == \
        "1db59e2d6b9cfe7b38c45f8ecf3dfa78d38d8744c9341b12f47cbc45890d71bc"
