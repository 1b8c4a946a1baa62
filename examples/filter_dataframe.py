"""Filter a pandas DataFrame of articles in an existing pipeline.

``Report.to_pandas(df)`` gives one row per input row with a ``keep``
decision: it keeps one article per near-duplicate cluster (the original)
and drops copies, spun articles and articles that are mostly boilerplate or
spam links (the ``default`` policy of ``newsqa.config.KeepConfig``; pass
``keep="strict"`` or ``keep="dedup_only"`` for another). The clean text of
the kept articles becomes a column.

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
table = report.to_pandas(df)  # one row per row of df, in order: keep, drop_reason, cluster, flags...
out = df[table["keep"].to_numpy()].copy()
out["clean_text"] = out["text"].map(newsqa.clean_text)

print(out[["id", "source", "published"]].to_string(index=False))
dropped = table[~table["keep"]]
print(f"kept {len(out)} of {len(df)} articles; dropped: "
      + ", ".join(f"{i} ({why})" for i, why in zip(dropped["id"], dropped["drop_reason"])))
