"""The Ray engine on a local cluster: the same report as the local engine.

Starts a local Ray instance with 2 CPUs (on a real cluster pass
``ray_address="ray://head:10001"`` or ``newsqa analyze --engine ray
--ray-address ...``), analyses the seeds plus two copies of seed 002, and
checks that clusters, flags and source scores equal the local engine's.

Run: ``pip install -e '.[ray]' && python examples/ray_local.py``
"""

from __future__ import annotations

from pathlib import Path

import ray

import newsqa

ROOT = Path(__file__).resolve().parent.parent

articles = newsqa.read_articles(ROOT / "seeds")
seed_002 = next(a for a in articles if a.id.startswith("002"))
articles += [
    newsqa.Article("copy-1", "Shared from the wires.\n" + seed_002.text, "copier.example"),
    newsqa.Article("copy-2", seed_002.text.upper(), "shouty.example"),
]

local = newsqa.analyze(articles)

ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
try:
    distributed = newsqa.analyze(articles, engine="ray")
finally:
    ray.shutdown()

for cluster in distributed.clusters:
    print(f"cluster {cluster.kind}: original {cluster.representative}; members {', '.join(cluster.members)}")
for source in distributed.sources:
    print(f"{source.source:18s} score {source.score:5.1f}  confidence {source.confidence:.2f}")

same = (
    local.clusters == distributed.clusters
    and [a.flags for a in local.articles] == [a.flags for a in distributed.articles]
    and local.sources == distributed.sources
)
print("ray report equals local report:", same)
