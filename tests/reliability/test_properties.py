"""Property tests: signatures, the payload validator, and the tone engine's contract."""
from __future__ import annotations

import json
import time

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from moderation.analysis import FLAG_URGENCY, analyze
from moderation.payload import CommentIn, PayloadError, parse_payload
from moderation.signing import SignatureError, new_secret, sign_headers, verify

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SECRET = new_secret()
OTHER = new_secret()
NOW = 1_764_000_000

msg_ids = st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=40)


# --- signing ---------------------------------------------------------------------------------

@FAST
@given(body=st.binary(max_size=2000), msg_id=msg_ids)
def test_sign_then_verify_round_trips(body, msg_id):
    headers = sign_headers(SECRET, body, msg_id=msg_id, timestamp=NOW)
    assert verify(headers, body, [OTHER, SECRET], now=NOW) == msg_id


@FAST
@given(body=st.binary(min_size=1, max_size=500), msg_id=msg_ids, data=st.data())
def test_any_single_byte_change_fails(body, msg_id, data):
    headers = sign_headers(SECRET, body, msg_id=msg_id, timestamp=NOW)
    i = data.draw(st.integers(0, len(body) - 1))
    flip = data.draw(st.integers(1, 255))
    tampered = body[:i] + bytes([body[i] ^ flip]) + body[i + 1:]
    try:
        verify(headers, tampered, [SECRET], now=NOW)
    except SignatureError:
        return
    raise AssertionError("a changed body verified")


@FAST
@given(body=st.binary(max_size=200), msg_id=msg_ids, data=st.data())
def test_changed_id_timestamp_or_signature_fails(body, msg_id, data):
    headers = sign_headers(SECRET, body, msg_id=msg_id, timestamp=NOW)
    which = data.draw(st.sampled_from(["webhook-id", "webhook-timestamp", "webhook-signature"]))
    value = headers[which]
    i = data.draw(st.integers(0, len(value) - 1))
    new_char = data.draw(st.characters(min_codepoint=33, max_codepoint=126))
    assume(new_char != value[i])
    changed = {**headers, which: value[:i] + new_char + value[i + 1:]}
    try:
        verify(changed, body, [SECRET], now=NOW, tolerance=10**9)
    except SignatureError:
        return
    # The only change that may still verify: a timestamp that parses to the same integer.
    assert which == "webhook-timestamp" and int(changed[which]) == NOW


@FAST
@given(body=st.binary(max_size=100), skew=st.integers(301, 10**8), sign_=st.sampled_from([-1, 1]))
def test_timestamps_outside_tolerance_fail(body, skew, sign_):
    headers = sign_headers(SECRET, body, timestamp=NOW + sign_ * skew)
    try:
        verify(headers, body, [SECRET], now=NOW, tolerance=300)
    except SignatureError as exc:
        assert "timestamp" in str(exc)
        return
    raise AssertionError("a stale timestamp verified")


@FAST
@given(headers=st.dictionaries(st.sampled_from(["webhook-id", "webhook-timestamp",
                                                  "webhook-signature", "other"]),
                               st.text(max_size=60)), body=st.binary(max_size=50))
def test_arbitrary_headers_only_raise_signature_error(headers, body):
    try:
        verify(headers, body, [SECRET, "not-base64!"], now=NOW)
    except SignatureError:
        pass


# --- the payload validator -------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "text", "author", "article", "name", "email", "url", "title",
                         "posted_at", "parent_id", "region", "language", "comments", "x"]),
        inner, max_size=6),
    max_leaves=25)


@FAST
@given(value=json_values)
def test_validator_raises_only_payload_error(value):
    try:
        comments = parse_payload(value)
    except PayloadError as exc:
        assert exc.errors and all(set(e) == {"path", "message"} for e in exc.errors)
        return
    assert comments and all(isinstance(c, CommentIn) for c in comments)


no_nul = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"))
ident = st.one_of(st.integers(-10**12, 10**12),
                  no_nul.filter(lambda s: s.strip() and len(s) <= 255))
valid_comment = st.fixed_dictionaries(
    {"id": ident, "text": no_nul.filter(lambda s: len(s) <= 20_000)},
    optional={
        "author": st.fixed_dictionaries({"id": ident}, optional={
            "name": no_nul.filter(lambda s: len(s) <= 255),
            "email": st.from_regex(r"\A[a-z0-9.]{1,20}@[a-z0-9.]{1,20}\Z")}),
        "article": st.fixed_dictionaries({}, optional={
            "url": st.from_regex(r"\Ahttps?://[a-z0-9./-]{1,40}\Z"),
            "title": no_nul.filter(lambda s: len(s) <= 500)}),
        "posted_at": st.datetimes(timezones=st.timezones()).map(
            lambda d: d.isoformat(timespec="seconds")).filter(lambda s: len(s) <= 25),
        "parent_id": ident,
        "region": st.from_regex(r"\A[A-Za-z]{2}\Z"),
        "language": st.sampled_from(["en", "en-GB", "fr", "de-CH-1996"]),
    })


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(raw=valid_comment)
def test_valid_comments_round_trip(raw):
    assume(not raw.get("posted_at") or raw["posted_at"][:4].isdigit()
           and int(raw["posted_at"][:4]) > 1)
    [one] = parse_payload(json.loads(json.dumps(raw)))
    assert one.external_id == str(raw["id"]) and one.text == raw["text"]
    assert one.author_id == (str(raw["author"]["id"]) if "author" in raw else None)
    assert one.region == (raw["region"].upper() if "region" in raw else None)
    if "posted_at" in raw:
        assert one.posted_at is not None and one.posted_at.utcoffset().total_seconds() == 0
    # The same comment again is the same comment, with the same fingerprint.
    [again] = parse_payload({"comments": [raw, raw]})[:1]
    assert again == one and again.content_sha256() == one.content_sha256()


# --- the tone engine -------------------------------------------------------------------------

texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from([
        "I", "you", "want to die", "kill yourself", "idiot", "not", "hopeless", "'", '"',
        "the author", "article", "fuck", "!", ".", "\n", "😂", "can't cope", "never"]),
        max_size=30).map(" ".join))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, parent=st.none() | st.text(max_size=80))
def test_analyze_never_raises_and_keeps_its_contract(text, parent):
    result = analyze(text, context={"parent_text": parent} if parent else None)
    assert set(result.flags) <= set(FLAG_URGENCY)
    urgencies = [FLAG_URGENCY[f] for f in result.flags]
    assert urgencies == sorted(urgencies) and len(set(result.flags)) == len(result.flags)
    for span in result.evidence:
        assert 0 <= span.start <= span.end <= len(text)


def test_signing_uses_wall_clock_by_default():
    headers = sign_headers(SECRET, b"{}")
    assert abs(int(headers["webhook-timestamp"]) - time.time()) < 5
    assert verify(headers, b"{}", [SECRET]) == headers["webhook-id"]
