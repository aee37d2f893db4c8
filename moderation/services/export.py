"""Moderation-log export: one row per flagged or decided comment, streamed as CSV, NDJSON
or a JSON array, with authors as pseudonyms and spreadsheet formulas neutralised."""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .. import policy
from ..db import write_transaction
from ..errors import Invalid
from ..models import (
    Analysis,
    Comment,
    Decision,
    ItemState,
    ReviewItem,
    ReviewItemFlag,
    Site,
    User,
    flag_list,
    has_flag,
)
from . import audit

FORMATS = ("csv", "ndjson", "json")
FLAGS = policy.values()  # every flag, most urgent first
ACTIONS = ("approve", "hide", "escalate", "replied", "not_a_concern")
STATES = tuple(s.value for s in ItemState)  # open, claimed, escalated, resolved
SCORES = ("distress", "crisis", "hostility", "threat")
COLUMNS = [
    "id", "site", "external_id", "article_url", "article_title", "posted_at", "received_at",
    "flags", "tags", *[f"score_{s}" for s in SCORES], "model_version", "state", "decision",
    "moderator", "decided_at", "seconds_to_decision", "reply_sent", "author",
]
_BATCH = 2000
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")  # whole value: fullmatch
# A cell starting with a control character, or whose first visible character is (or
# NFKC-folds to, like the full-width "＝") a formula sign, after any leading spaces.
_CONTROL_START = ("\t", "\r", "\n")
_FORMULA_SIGNS = frozenset("=+-@")


@dataclass(frozen=True)
class ExportFilters:
    site: str | None = None
    since: date | None = None
    until: date | None = None
    flag: str | None = None
    decision: str | None = None
    state: str | None = None
    include_text: bool = False

    def validate(self) -> ExportFilters:
        for name, value, allowed in (("flag", self.flag, FLAGS),
                                     ("decision", self.decision, ACTIONS),
                                     ("state", self.state, STATES)):
            if value is not None and value not in allowed:
                raise Invalid(f"{name} must be one of {', '.join(allowed)}")
        if self.since and self.until and self.since > self.until:
            raise Invalid("since is after until")
        return self

    def describe(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, date) else v)
                for k, v in asdict(self).items() if v not in (None, False)}


def _query(filters: ExportFilters, columns: list[Any] | None = None) -> sa.Select:
    # The newest analysis and decision of each row: joined through their indexes, with
    # "no newer one exists" as an anti-join. Both SQLite and PostgreSQL plan this well;
    # grouping whole tables first is slow on SQLite, and a correlated max() inside the
    # join condition made PostgreSQL loop over every pair.
    a2, d2 = so.aliased(Analysis), so.aliased(Decision)
    newest_analysis = ~sa.exists().where(a2.comment_id == Analysis.comment_id,
                                         a2.id > Analysis.id)
    newest_decision = ~sa.exists().where(d2.review_item_id == Decision.review_item_id,
                                         d2.id > Decision.id)
    raw = sa.String  # timestamps and JSON come back as the database gives them: parsed below
    raw_columns = [
        Comment.id, Site.slug, Comment.external_id, Comment.article_url,
        Comment.article_title, sa.type_coerce(Comment.posted_at, raw),
        sa.type_coerce(Comment.received_at, raw), flag_list(),
        sa.type_coerce(Analysis.tags, raw), sa.type_coerce(Analysis.scores, raw),
        Analysis.model_version, ReviewItem.state, Decision.action, User.email,
        sa.type_coerce(Decision.created_at, raw), Decision.reply_text.is_not(None),
        Comment.author_pseudonym, sa.type_coerce(ReviewItem.created_at, raw),
    ]
    if filters.include_text:
        raw_columns.append(Comment.text)
    query = (sa.select(*(raw_columns if columns is None else columns))
             .select_from(ReviewItem)
             .join(Comment, Comment.id == ReviewItem.comment_id)
             .join(Site, Site.id == Comment.site_id)
             .join(Analysis, sa.and_(Analysis.comment_id == Comment.id, newest_analysis))
             .outerjoin(Decision, sa.and_(Decision.review_item_id == ReviewItem.id,
                                          newest_decision))
             .outerjoin(User, User.id == Decision.user_id)
             .order_by(ReviewItem.id))
    if filters.site:
        query = query.where(Site.slug == filters.site)
    if filters.since:
        query = query.where(Comment.received_at >= _start_of(filters.since))
    if filters.until and filters.until < date.max:  # inclusive: the whole `until` day
        query = query.where(Comment.received_at < _start_of(filters.until, next_day=True))
    if filters.flag:
        query = query.where(has_flag(filters.flag))
    if filters.decision:
        query = query.where(Decision.action == filters.decision)
    if filters.state:
        query = query.where(ReviewItem.state == filters.state)
    return query


def _start_of(day: date, next_day: bool = False) -> datetime:
    start = datetime.combine(day, time.min, tzinfo=UTC)
    return start + timedelta(days=1) if next_day else start


def _utc(value: str | datetime | None) -> datetime | None:
    """A stored UTC timestamp: SQLite gives text, PostgreSQL a naive datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC)


def _iso(value: str | datetime | None) -> str | None:
    """ISO 8601 in UTC without a round trip through datetime for SQLite's text."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.replace(" ", "T", 1) + "+00:00"
    return value.isoformat() + "+00:00"


def _record(row: Any) -> list[Any]:
    """One row of `_query` as a list in COLUMNS order (+ text), the cells as Python values."""
    (cid, site, external_id, url, title, posted, received, flags, tags, scores,
     model_version, state, action, moderator, decided, has_reply, author, queued,
     *text) = row
    decided_at = _utc(decided)
    if isinstance(tags, str):
        tags = [] if tags == "[]" else json.loads(tags)
    if isinstance(scores, str):
        scores = json.loads(scores)
    get = scores.get
    return [
        cid, site, external_id, url, title, _iso(posted), _iso(received),
        flags, tags,
        *[round(get(k, 0.0), 4) for k in SCORES],
        model_version, state, action, moderator, _iso(decided),
        round((decided_at - _utc(queued)).total_seconds(), 1) if decided_at else None,
        action == "replied" and bool(has_reply), author, *text,
    ]


def count_rows(session: Session, filters: ExportFilters) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(
        _query(filters).order_by(None).subquery())) or 0


def neutralise(value: Any) -> Any:
    """Keep spreadsheets from running a cell as a formula (CSV injection): a leading quote
    on a cell a spreadsheet would read as one; numbers stay numbers."""
    if not isinstance(value, str) or not value or _NUMBER.fullmatch(value):
        return value
    first = unicodedata.normalize("NFKC", value.lstrip()[:1])
    if value.startswith(_CONTROL_START) or first in _FORMULA_SIGNS:
        return "'" + value
    return value


# Cells that carry text from a site or a reader: only these can hold a formula.
_FREE_TEXT = [COLUMNS.index(c) for c in
              ("site", "external_id", "article_url", "article_title", "model_version",
               "moderator", "author")]
_LISTS = [COLUMNS.index("flags"), COLUMNS.index("tags")]
_REPLY = COLUMNS.index("reply_sent")


def _csv_line(record: list[Any], include_text: bool) -> str:
    """One record as the csv.writer of `render` writes it (without the line end)."""
    free_text = _FREE_TEXT + ([len(COLUMNS)] if include_text else [])
    for i in _LISTS:
        record[i] = ";".join(record[i])
    record[_REPLY] = "yes" if record[_REPLY] else "no"
    for i in free_text:
        record[i] = neutralise(record[i])
    buffer = io.StringIO()  # the line end matters: csv quotes cells holding its characters
    csv.writer(buffer, lineterminator="\r\n").writerow(record)
    return buffer.getvalue()[:-2]


def _json_line(record: list[Any], include_text: bool) -> str:
    names = COLUMNS + (["text"] if include_text else [])
    return json.dumps(dict(zip(names, record, strict=True)), ensure_ascii=False)


# The database formats each row into one finished line (a CSV line or a JSON object), cell
# for cell as Python's csv and json modules and the functions above do: see `_Sql`. A cell
# the SQL cannot format exactly (a score next to a rounding tie, an unusual timestamp or list,
# a negative or tied duration, a cell starting with a space or a lone "-") makes its line
# NULL, and that row alone is formatted in Python, from `_query`, by `_record`.

# Characters outside ASCII that are whitespace to str.lstrip() or fold under NFKC to a formula
# sign: a cell starting with one needs `neutralise` itself (a test recomputes this list).
NON_ASCII_SPECIAL = ("\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                     "\u2009\u200a\u2028\u2029\u202f\u205f\u207a\u207c\u208a\u208c\u3000"
                     "\ufb29\ufe62\ufe63\ufe66\ufe6b\uff0b\uff0d\uff1d\uff20")
_TIMESTAMP_GLOB = ("[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] "
                   "[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]")
_LOWER = "abcdefghijklmnopqrstuvwxyz_"
_FREE = {"site", "external_id", "article_url", "article_title", "model_version", "moderator",
         "author", "text"}


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class _Sql:
    """SQL text that formats one export row; the subclasses spell it for each database.
    Every expression is NULL where it cannot match Python exactly, and NULL makes the whole
    line NULL (`||`), so only cells that really are NULL are turned into '' or null."""

    COLUMN = {
        "site": "sites.slug", "external_id": "comments.external_id",
        "article_url": "comments.article_url", "article_title": "comments.article_title",
        "posted_at": "comments.posted_at", "received_at": "comments.received_at",
        "model_version": "analyses.model_version", "state": "review_items.state",
        "decision": "decisions.action", "moderator": "users.email",
        "decided_at": "decisions.created_at", "author": "comments.author_pseudonym",
        "text": "comments.text",
    }

    dialect: sa.Dialect

    def __init__(self, include_text: bool):
        self.include_text = include_text

    def prefix(self, e: str) -> str:
        raise NotImplementedError

    def needs_quotes(self, e: str) -> str:
        raise NotImplementedError

    def json_quote(self, e: str) -> str:
        raise NotImplementedError

    def csv_text(self, e: str, free: bool) -> str:
        # csv.writer quotes a cell holding , " CR or LF; `neutralise` only adds a "'".
        p = self.prefix(e) if free else "''"
        return (f"CASE WHEN {e} IS NULL THEN '' WHEN {self.needs_quotes(e)} "
                f"THEN '\"' || {p} || replace({e}, '\"', '\"\"') || '\"' ELSE {p} || {e} END")

    def json_text(self, e: str) -> str:  # JSON cells are not neutralised
        return f"CASE WHEN {e} IS NULL THEN 'null' ELSE {self.json_quote(e)} END"

    def line(self, fmt: str) -> tuple[list[tuple[str, str]], str]:
        """One finished line in two steps, so that each costly value is computed once per
        row (neither database shares common subexpressions): the columns of an inner query
        (alias, SQL over the joined tables) and the line's SQL over them (as `x.alias`)."""
        csv_cells = fmt == "csv"
        null = "''" if csv_cells else "'null'"
        inner: list[tuple[str, str]] = [("scores", "analyses.scores")]
        cells: list[str] = []
        for name in COLUMNS + (["text"] if self.include_text else []):
            sql = None  # a cell computed in the inner query
            if name == "id":
                cell = self.id_text()
            elif name in ("posted_at", "received_at", "decided_at"):
                cell = self.timestamp(self.COLUMN[name], null, json=not csv_cells)
            elif name == "flags":  # its source is a subquery: read once, in the inner query
                inner.append(("flag_set", self.flag_set()))
                sql = self.flags("x.flag_set", csv_cells)
            elif name == "tags":
                cell = self.tags(csv_cells)
            elif name.startswith("score_"):
                key = name.removeprefix("score_")
                inner.append((f"v_{key}", self.score_value(key)))
                sql = self.score(f"x.v_{key}", "x.scores", key)
            elif name == "seconds_to_decision":
                inner.append(("undecided", "decisions.created_at IS NULL"))
                inner.append(("us", self.microseconds()))
                sql = self.seconds("x.us", "x.undecided", null)
            elif name == "reply_sent":
                yes, no = ("'yes'", "'no'") if csv_cells else ("'true'", "'false'")
                cell = (f"CASE WHEN decisions.action = 'replied' AND decisions.reply_text "
                        f"IS NOT NULL THEN {yes} ELSE {no} END")
            elif csv_cells:
                cell = self.csv_text(self.COLUMN[name], name in _FREE)
            else:
                cell = self.json_text(self.COLUMN[name])
            if sql is None:
                inner.append((f"c_{name}", cell))
                sql = f"x.c_{name}"
            cells.append(sql if csv_cells else
                         _lit(("{" if not cells else ", ") + f'"{name}": ') + f" || {sql}")
        if csv_cells:
            return inner, " || ',' || ".join(cells)
        return inner, " || ".join(cells) + " || '}'"

    def id_text(self) -> str:
        raise NotImplementedError

    def timestamp(self, e: str, null: str, json: bool) -> str:
        raise NotImplementedError

    def flag_set(self) -> str:
        """The row's flags as ",distress,crisis,", in the primary key's order (no sort)."""
        agg = self.string_agg("review_item_flags.flag")
        query = (sa.select(sa.literal_column(f"',' || {agg} || ','"))
                 .where(ReviewItemFlag.item_id == sa.literal_column("review_items.id")))
        return f"({query.compile(dialect=self.dialect)})"

    def flags(self, fs: str, csv_cell: bool) -> str:
        # Most urgent first, as policy.most_urgent_first; NULL (Python) unless every flag is
        # one of the policy's (the lengths agree) and there is one.
        ordered = " || ".join(f"CASE WHEN {self.contains(fs, f',{f},')} THEN {_lit(f + ',')} "
                              f"ELSE '' END" for f in FLAGS)
        inner = f"rtrim({ordered}, ',')"
        out = (f"replace({inner}, ',', ';')" if csv_cell
               else f"'[\"' || replace({inner}, ',', '\", \"') || '\"]'")
        return f"CASE WHEN length({ordered}) + 1 = length({fs}) THEN {out} END"

    def string_agg(self, e: str) -> str:
        raise NotImplementedError

    def contains(self, e: str, text: str) -> str:
        raise NotImplementedError

    def tags(self, csv_cell: bool) -> str:
        raise NotImplementedError

    def score_value(self, key: str) -> str:
        raise NotImplementedError

    def score(self, v: str, scores: str, key: str) -> str:
        raise NotImplementedError

    def microseconds(self) -> str:
        raise NotImplementedError

    def seconds(self, us: str, undecided: str, null: str) -> str:
        raise NotImplementedError


class _SqliteSql(_Sql):
    dialect = sqlite.dialect()

    def prefix(self, e: str) -> str:
        # "'" where `neutralise` adds one: a cell starting with an ASCII letter, digit or
        # harmless sign, or with a non-ASCII character that is neither a space nor a formula
        # sign, is settled here; the rest ask Python's own `neutralise` (export_prefix).
        return (f"CASE WHEN unicode({e}) BETWEEN 33 AND 126 AND unicode({e}) NOT IN "
                f"(43, 45, 61, 64) THEN '' WHEN unicode({e}) > 127 AND "
                f"instr({_lit(NON_ASCII_SPECIAL)}, substr({e}, 1, 1)) = 0 THEN '' "
                f"ELSE export_prefix({e}) END")

    def needs_quotes(self, e: str) -> str:
        return (f"(instr({e}, ',') OR instr({e}, '\"') OR instr({e}, char(10)) "
                f"OR instr({e}, char(13)))")

    def json_quote(self, e: str) -> str:
        return f"json_quote({e})"

    def id_text(self) -> str:
        return "comments.id"

    def timestamp(self, e: str, null: str, json: bool) -> str:
        # SQLAlchemy stores 'YYYY-MM-DD HH:MM:SS.ffffff'; `_iso` makes it ISO 8601 in UTC.
        quote = "'\"' || " if json else ""
        end = "'+00:00\"'" if json else "'+00:00'"
        return (f"CASE WHEN {e} IS NULL THEN {null} WHEN {e} GLOB {_lit(_TIMESTAMP_GLOB)} "
                f"THEN {quote}substr({e}, 1, 10) || 'T' || substr({e}, 12) || {end} END")

    def string_agg(self, e: str) -> str:
        return f"group_concat({e}, ',')"

    def contains(self, e: str, text: str) -> str:
        return f"instr({e}, {_lit(text)}) > 0"

    def tags(self, csv_cell: bool) -> str:
        # Only lists json.dumps wrote of plain lower-case words: ["criticism", "profanity"].
        t = "analyses.tags"
        items = f"replace(substr({t}, 3, length({t}) - 4), '\", \"', ';')"
        ok = (f"{t} GLOB '[[]\"*\"]' AND length({t}) > 4 AND "
              f"trim({items}, {_lit(_LOWER + ';')}) = '' AND instr({items}, ';;') = 0 "
              f"AND substr({items}, 1, 1) <> ';' AND substr({items}, -1) <> ';'")
        empty, out = ("''", items) if csv_cell else ("'[]'", t)
        return f"CASE WHEN {t} = '[]' THEN {empty} WHEN {ok} THEN {out} END"

    def score_value(self, key: str) -> str:
        return f"json_extract(analyses.scores, '$.{key}')"

    def score(self, v: str, scores: str, key: str) -> str:
        # Python's round(x, 4) and SQLite's agree except next to a tie (x * 10**4 ending in
        # .5, where the exact binary value decides): those, negatives (-0.0), large and odd
        # values are left to Python.
        return (f"CASE WHEN typeof({v}) = 'real' AND {v} > 0 AND {v} < 1000 AND "
                f"abs({v} * 10000 - CAST({v} * 10000 AS INTEGER) - 0.5) > 0.000001 "
                f"THEN CAST(round({v}, 4) AS TEXT) "
                f"WHEN typeof({v}) = 'integer' AND {v} BETWEEN 0 AND 1000000 "
                f"THEN CAST({v} AS TEXT) "
                f"WHEN typeof({v}) = 'real' AND {v} = 0 AND instr({scores}, '-') = 0 "
                f"THEN '0.0' "
                f"WHEN json_type({scores}, '$.{key}') IS NULL THEN '0.0' END")

    def microseconds(self) -> str:
        # Microseconds from queueing to the decision, in integers, where both timestamps
        # have SQLAlchemy's shape. julianday() is exact to the millisecond and much cheaper
        # than strftime('%s'): the whole seconds are rounded from it, the microseconds read.
        d, q = "decisions.created_at", "review_items.created_at"
        seconds = (f"CAST(round((julianday(substr({d}, 1, 19)) - "
                   f"julianday(substr({q}, 1, 19))) * 86400) AS INTEGER)")
        return (f"CASE WHEN {d} GLOB {_lit(_TIMESTAMP_GLOB)} AND {q} GLOB "
                f"{_lit(_TIMESTAMP_GLOB)} THEN {seconds} * 1000000 + "
                f"CAST(substr({d}, 21, 6) AS INTEGER) - CAST(substr({q}, 21, 6) AS INTEGER) END")

    def seconds(self, us: str, undecided: str, null: str) -> str:
        # round(microseconds / 10**6, 1) in integers: exact unless it ends in 50000 µs.
        tenths = f"(({us} + 50000) / 100000)"
        return (f"CASE WHEN {undecided} THEN {null} WHEN {us} >= 0 "
                f"AND {us} % 100000 <> 50000 "
                f"THEN ({tenths} / 10) || '.' || ({tenths} % 10) END")


class _PostgresSql(_Sql):
    dialect = postgresql.dialect()

    def prefix(self, e: str) -> str:
        return (f"CASE WHEN {e} = '' THEN '' WHEN ascii({e}) BETWEEN 33 AND 126 AND "
                f"ascii({e}) NOT IN (43, 45, 61, 64) THEN '' "
                f"WHEN ascii({e}) IN (9, 10, 13, 43, 61, 64) THEN '''' "
                f"WHEN ascii({e}) > 127 AND strpos({_lit(NON_ASCII_SPECIAL)}, "
                f"left({e}, 1)) = 0 THEN '' "
                f"WHEN ascii({e}) = 45 AND {e} ~ '^-[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$' "
                f"THEN '' WHEN ascii({e}) = 45 AND {e} ~ '^[\\x01-\\x7f]*$' THEN '''' END")

    def needs_quotes(self, e: str) -> str:
        return f"{e} ~ '[,\"\\r\\n]'"

    def json_quote(self, e: str) -> str:
        return f"to_json({e})::text"

    def id_text(self) -> str:
        return "comments.id::text"

    def timestamp(self, e: str, null: str, json: bool) -> str:
        # datetime.isoformat(): microseconds only when there are some.
        quote = "'\"' || " if json else ""
        end = "'+00:00\"'" if json else "'+00:00'"
        return (f"CASE WHEN {e} IS NULL THEN {null} ELSE {quote}"
                f"to_char({e}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN "
                f"date_trunc('second', {e}) = {e} THEN '' ELSE '.' || to_char({e}, 'US') END "
                f"|| {end} END")

    def string_agg(self, e: str) -> str:
        return f"string_agg({e}, ',')"

    def contains(self, e: str, text: str) -> str:
        return f"strpos({e}, {_lit(text)}) > 0"

    def tags(self, csv_cell: bool) -> str:
        t = "analyses.tags::text"
        out = (f"replace(replace(replace(replace({t}, '[', ''), ']', ''), '\"', ''), "
               f"', ', ';')" if csv_cell else t)
        return f"CASE WHEN {t} ~ '^\\[(\"[a-z_]+\"(, \"[a-z_]+\")*)?\\]$' THEN {out} END"

    def score_value(self, key: str) -> str:
        return f"analyses.scores -> '{key}'"  # the json value as stored (or NULL)

    def score(self, v: str, scores: str, key: str) -> str:
        # The stored JSON number as numeric (exact): rounded half away from zero, which is
        # Python's round() everywhere but next to a tie; those are left to Python.
        t = f"({v}::text)"
        n, r = f"{t}::numeric", f"round({t}::numeric, 4)"
        return (f"CASE WHEN {v} IS NULL THEN '0.0' "
                f"WHEN json_typeof({v}) <> 'number' THEN NULL "
                f"WHEN {t} ~ '^[0-9]{{1,6}}$' THEN {t} "
                f"WHEN {t} ~ '^[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$' AND {n} < 1000 AND "
                f"abs({n} * 10000 - trunc({n} * 10000) - 0.5) > 0.000001 "
                f"THEN CASE WHEN {r} = trunc({r}) THEN trunc({r})::text || '.0' "
                f"ELSE rtrim({r}::text, '0') END END")

    def microseconds(self) -> str:
        d, q = "decisions.created_at", "review_items.created_at"
        return f"(extract(epoch FROM {d} - {q}) * 1000000)::bigint"

    def seconds(self, us: str, undecided: str, null: str) -> str:
        tenths = f"(({us} + 50000) / 100000)"
        return (f"CASE WHEN {undecided} THEN {null} WHEN {us} >= 0 AND "
                f"mod({us}, 100000) <> 50000 "
                f"THEN ({tenths} / 10)::text || '.' || mod({tenths}, 10)::text END")


_FETCH = 5000


def _export_prefix(value: str | None) -> str:
    return "'" if neutralise(value) is not value else ""


def _formatted(filters: ExportFilters, sql: _Sql, fmt: str, copy: bool = False) -> sa.Select:
    """The finished lines and their ReviewItem ids, in ReviewItem order (`copy`: one column,
    "#" and the id where the line is NULL). OFFSET 0 keeps either database from merging the
    inner query into the outer one (which would compute each of its values again wherever
    the line uses it)."""
    inner, line = sql.line("csv" if fmt == "csv" else "json")
    columns = [sa.literal_column(e).label(alias) for alias, e in inner]
    query = _query(filters, columns=[*columns, ReviewItem.id.label("rid")])
    if isinstance(sql, _SqliteSql):
        query = query.limit(-1)  # SQLite takes no OFFSET without a LIMIT
    x = query.offset(0).subquery("x")
    if copy:
        return sa.select(sa.literal_column(f"coalesce({line}, '#' || x.rid)")).select_from(x)
    return sa.select(sa.literal_column(line), x.c.rid).select_from(x)


def _fixed(connection: sa.Connection, filters: ExportFilters, fmt: str,
           ids: list[int]) -> dict[int, str]:
    """The lines the SQL left NULL, formatted in Python from `_query`."""
    render = _csv_line if fmt == "csv" else _json_line
    rows = connection.execute(_query(filters).add_columns(ReviewItem.id)
                              .where(ReviewItem.id.in_(ids)))
    return {row[-1]: render(_record(row[:-1]), filters.include_text) for row in rows}


def _sqlite_chunks(connection: sa.Connection, filters: ExportFilters, fmt: str,
                   sep: str) -> Iterator[tuple[str, int]]:
    connection.connection.driver_connection.create_function(
        "export_prefix", 1, _export_prefix, deterministic=True)
    # The driver's own cursor: the two columns need no conversion, so SQLAlchemy's result
    # rows would only cost time.
    cursor = connection.execute(_formatted(filters, _SqliteSql(filters.include_text),
                                           fmt)).cursor
    while rows := cursor.fetchmany(_FETCH):
        lines = [text for text, _ in rows]
        if None in lines:
            fixed = _fixed(connection, filters, fmt, [rid for text, rid in rows if text is None])
            lines = [fixed[rid] if text is None else text for text, rid in rows]
        yield sep.join(lines), len(lines)


# COPY's text format escapes these in a value (its row ends are plain newlines).
_COPY_ESCAPE = re.compile(rb"\\(.)", re.DOTALL)
_COPY_UNESCAPED = {b"\\": b"\\", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b",
                   b"f": b"\f", b"v": b"\v"}


def _copy_text(data: bytes) -> str:
    if b"\\" in data:
        data = _COPY_ESCAPE.sub(lambda m: _COPY_UNESCAPED[m.group(1)], data)
    return data.decode()


def _postgres_chunks(connection: sa.Connection, filters: ExportFilters, fmt: str,
                     sep: str) -> Iterator[tuple[str, int]]:
    # COPY (query) TO STDOUT: the server runs the query to the end (it may use a parallel
    # plan, which a cursor may not) and streams the lines; a NULL line comes as "#" and its
    # ReviewItem id (a line itself starts with a digit or "{").
    select = _formatted(filters, _PostgresSql(filters.include_text), fmt, copy=True)
    compiled = select.compile(dialect=connection.dialect)
    params = compiled.construct_params()
    for key, bind in compiled.binds.items():
        process = bind.type.bind_processor(connection.dialect)
        if process is not None and key in params:
            params[key] = process(params[key])
    end = sep.encode()
    # A connection busy with COPY runs nothing else: the rare NULL lines are read on a
    # second one, whose snapshot (REPEATABLE READ) is taken just before COPY starts.
    with connection.engine.connect() as side:
        side = side.execution_options(isolation_level="REPEATABLE READ")
        side.exec_driver_sql("SELECT 1")
        with connection.connection.driver_connection.cursor() as cursor, \
                cursor.copy(f"COPY ({compiled}) TO STDOUT", params) as copy:
            batch: list[Any] = []
            for row in copy:
                batch.append(row)
                if len(batch) == _FETCH:
                    yield _copy_chunk(side, filters, fmt, batch, end)
                    batch = []
            if batch:
                yield _copy_chunk(side, filters, fmt, batch, end)


def _copy_chunk(connection: sa.Connection, filters: ExportFilters, fmt: str,
                batch: list[Any], end: bytes) -> tuple[str, int]:
    data = b"".join(batch)[:-1]  # each row ends in a newline; values hold none unescaped
    if not data.startswith(b"#") and b"\n#" not in data:
        return _copy_text(data.replace(b"\n", end)), len(batch)
    lines = [_copy_text(bytes(row)[:-1]) for row in batch]
    fixed = _fixed(connection, filters, fmt, [int(t[1:]) for t in lines if t[0] == "#"])
    return end.decode().join(fixed[int(t[1:])] if t[0] == "#" else t
                             for t in lines), len(batch)


def _chunks(session: Session, filters: ExportFilters, fmt: str,
            sep: str) -> Iterator[tuple[str, int]]:
    """The finished lines in ReviewItem order, in batches: each batch's lines joined by
    `sep`, and how many there are."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        yield from _postgres_chunks(connection, filters, fmt, sep)
    else:
        yield from _sqlite_chunks(connection, filters, fmt, sep)


def export(session: Session, filters: ExportFilters, fmt: str, *,
           actor: User | None = None, actor_label: str = "cli",
           address: str | None = None) -> Iterator[str]:
    """Stream an export; its audit event (who, filters, rows) is written when it ends."""
    if fmt not in FORMATS:
        raise Invalid(f"format must be one of {', '.join(FORMATS)}")
    filters.validate()
    rows = 0
    complete = False
    try:
        if fmt == "csv":  # RFC 4180: CRLF
            yield ",".join(COLUMNS + (["text"] if filters.include_text else [])) + "\r\n"
            for text, n in _chunks(session, filters, fmt, "\r\n"):
                rows += n
                yield text + "\r\n"
        elif fmt == "ndjson":
            for text, n in _chunks(session, filters, fmt, "\n"):
                rows += n
                yield text + "\n"
        else:
            yield "["
            for text, n in _chunks(session, filters, fmt, ",\n"):
                yield ("," if rows else "") + "\n" + text
                rows += n
            yield "\n]\n"
        complete = True
    finally:
        session.rollback()
        with write_transaction(session):
            audit.record(session, "export", actor=actor, actor_label=actor_label,
                         details={"format": fmt, "filters": filters.describe(),
                                  "rows": rows, "complete": complete}, address=address)
