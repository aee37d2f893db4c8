"""Demo data: a site with reader comments like those health publishers really receive."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

MS_ARTICLE = {"url": "https://demo.example.org/ms/leg-weakness",
              "title": "Muscle weakness in the legs with MS: what helps"}
CARE_ARTICLE = {"url": "https://demo.example.org/caregiving/burnout",
                "title": "Caring for a partner with MS: avoiding burnout"}
DEPRESSION_ARTICLE = {"url": "https://demo.example.org/mental-health/depression-chronic-illness",
                      "title": "Depression and chronic illness"}

# (id, author, article, text): the first three are real comments under an MS article.
COMMENTS = [
    ("c1001", "reader-ana", MS_ARTICLE, "I'm crying, from reading this!"),
    ("c1002", "reader-bo", MS_ARTICLE,
     "totally depressing article.. I am feeling bad enough"),
    ("c1003", "reader-cy", MS_ARTICLE, "Brutal article what was the point in it"),
    ("c1004", "reader-dee", MS_ARTICLE,
     "Physio twice a week has really helped my legs. Thanks for the practical tips!"),
    ("c1005", "reader-eli", MS_ARTICLE,
     "You are an idiot and whoever wrote this garbage should be ashamed of themselves."),
    ("c1006", "reader-fox", DEPRESSION_ARTICLE,
     "Honestly everyone would be better off without me. I've written letters to my kids "
     "just in case."),
    ("c1007", "reader-gil", CARE_ARTICLE,
     "My husband keeps saying he wants to die since the last relapse. I don't know what to do."),
    ("c1008", "reader-hal", CARE_ARTICLE,
     "People like you should just go kill yourselves, nobody wants your whining here."),
    ("c1009", "reader-ivy", MS_ARTICLE, "MS sucks, f*** this illness."),
    ("c1010", "reader-jo", CARE_ARTICLE,
     "I'm so tired and alone. I can't cope with the nights any more and nobody helps."),
    ("c1011", "reader-kai", DEPRESSION_ARTICLE,
     "Useful overview of how depression is treated alongside MS, thank you."),
    ("c1012", "reader-lee", MS_ARTICLE,
     "<script>alert('x')</script> shut up, moron, nobody asked you"),
]


def demo_payload(now: datetime | None = None) -> dict:
    now = now or datetime.now(UTC)
    comments = []
    for i, (cid, author, article, text) in enumerate(COMMENTS):
        comments.append({
            "id": cid, "text": text, "article": article, "region": "GB",
            "author": {"id": author, "name": author.replace("reader-", "").title(),
                       "email": f"{author}@example.net"},
            "posted_at": (now - timedelta(minutes=5 * (len(COMMENTS) - i))).isoformat(),
        })
    return {"comments": comments}
