"""A queue row's HTML, written in Python: the queue page draws fifty or more per view, and
the Jinja macro spent most of the page's rendering time on per-value overhead (finalize,
escape, attribute lookups). The markup is the macro's, character for character
(tests/dashboard/test_rows.py compares the two).

Every value from the database goes through `escape` (markupsafe, as autoescape does); bidi
controls are removed from the whole row by the template's `finalize`, as from every value.
"""
from __future__ import annotations

from datetime import datetime

from jinja2.filters import do_truncate
from jinja2.utils import url_quote
from markupsafe import Markup

from . import FLAG_LABELS, age, deadline
from .highlight import segments

_UTC_MINUTE = "%Y-%m-%d %H:%M UTC"
READ_FIRST = ' data-read-first="yes"'


def escape(value) -> str:
    """markupsafe.escape's replacements (&, <, >, ", ' as &amp; &lt; &gt; &#34; &#39;),
    as plain str: five C-level replaces, no Markup object per value."""
    return (str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&#34;").replace("'", "&#39;"))


def _truncate(env, text: str, length: int) -> str:
    return do_truncate(env, text, length)


def queue_row(env, row, now: datetime, new: bool, item_prefix: str, queue_url: str) -> Markup:
    """The <tr> of a services.queue.QueueRow, as the `queue_row` macro wrote it."""
    due = deadline(row, now)
    state = escape(row.state)
    url = escape(f"{item_prefix}{row.id}")
    rid = row.id
    overdue = due["overdue"]
    out = [f'\n<tr class="queue-row urgency-{row.urgency}'
           f'{" is-overdue" if overdue and row.state != "resolved" else ""}'
           f'{" is-new" if new else ""}"\n'
           f'    data-id="{rid}" data-url="{url}" data-state="{state}"'
           f'{READ_FIRST if row.urgency <= 2 else ""}>\n'
           '  <td class="select">']
    if row.state != "resolved":
        out.append(f'<input type="checkbox" name="item_ids" value="{rid}" form="bulk-form" '
                   f'aria-label="Select item {rid}">')
    out.append('</td>\n  <td class="flags">')
    for flag in row.flags:
        out.append(f'<span class="badge badge-{escape(flag)}">'
                   f'{escape(FLAG_LABELS.get(flag, flag))}</span> ')
    out.append(f'</td>\n  <td class="text"><a href="{url}" class="open-item">')
    if row.text:
        for piece in segments(row.text, row.evidence, 160):
            if piece.labels:
                out.append(f'<mark class="hl hl-{escape(piece.css_label)}" '
                           f'title="{escape(piece.title)}">{escape(piece.text)}</mark>')
            else:
                out.append(escape(piece.text))
    else:
        out.append("<em>(text removed)</em>")
    out.append(f'</a></td>\n  <td class="site">{escape(row.site)}</td>\n  <td class="article">')
    if row.article_url:
        out.append(f'<a href="{escape(queue_url)}?article={escape(url_quote(row.article_url))}'
                   f'&amp;state={state}" title="Only this article\'s comments">'
                   f'{escape(_truncate(env, row.article_title or row.article_url, 48))}</a>')
    out.append(f'</td>\n  <td class="age" title="{row.created_at.strftime(_UTC_MINUTE)}">'
               f'{escape(age(row.created_at, now))}</td>\n'
               f'  <td class="due"><span class="deadline{" overdue" if overdue else ""}" '
               f'title="due {row.due_at.strftime(_UTC_MINUTE)}">')
    text = escape(due["text"])
    out.append(f"<strong>{text}</strong>" if overdue else text)
    out.append('</span></td>\n  <td class="status">')
    if row.state == "escalated":
        out.append('<span class="escalated">escalated')
        if row.escalated_at:
            out.append(f" {escape(age(row.escalated_at, now))} ago")
        out.append("</span>")
        if row.escalation_reason:
            out.append(f'<br><span class="meta">“'
                       f'{escape(_truncate(env, row.escalation_reason, 80))}”</span>')
    if (row.claimed_by and row.state in ("claimed", "escalated") and row.lease_expires_at
            and row.lease_expires_at > now):
        if row.state == "escalated":
            out.append("<br>")
        out.append(f'<span class="claimed">claimed by {escape(row.claimed_by)}, {text}</span>')
    elif row.state != "escalated":
        out.append(state)
    out.append("</td>\n</tr>")
    # Markup: every value from the database was escaped above.
    return Markup("".join(out))  # noqa: S704  # nosec B704
