"""Filter a pandas DataFrame of articles in an existing pipeline.

Keeps one article per near-duplicate cluster (the original), drops articles
that are mostly boilerplate or carry spam link blocks, and adds the clean
text as a column.

    python examples/filter_dataframe.py
"""

from __future__ import annotations

import pandas as pd

import newsqa

story = (
    "The city council voted on Tuesday to extend the riverside bike lanes by two miles, "
    "after a debate that filled the chamber for most of the evening. Supporters pointed to "
    "a study showing fewer accidents where lanes are protected, while shop owners worried "
    "about parking. Work is due to start in the spring and to finish before the end of the year."
)
df = pd.DataFrame(
    [
        {"id": "a1", "source": "city-daily.example", "published": "2024-03-01", "text": story},
        {"id": "a2", "source": "aggregator.example", "published": "2024-03-02",
         "text": "Share on Facebook\n" + story + "\nRead more\nicon-facebook icon-twitter"},
        {"id": "a3", "source": "weather.example", "published": "2024-03-02",
         "text": "Heavy rain is expected across the region this weekend, the weather service said on Friday."},
    ]
)

report = newsqa.analyze(df)
results = {a.id: a for a in report.articles}
originals = {c.representative for c in report.clusters}
in_cluster = {m for c in report.clusters for m in c.members}

keep = [
    i
    for i in df["id"]
    if (i not in in_cluster or i in originals)
    and results[i].signals["spam_link_blocks"] == 0
    and results[i].signals["boilerplate_share"] < 0.5
]
out = df[df["id"].isin(keep)].copy()
texts = dict(zip(df["id"], df["text"]))
out["clean_text"] = [newsqa.clean_text(texts[i]) for i in out["id"]]
print(out[["id", "source", "published"]].to_string(index=False))
print(f"kept {len(out)} of {len(df)} articles")
