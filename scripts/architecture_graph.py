"""Print the apps' dependency graph as a Mermaid diagram, read from the code (grimp, the graph
library behind import-linter). Used for docs/architecture.md:

    .venv/bin/python scripts/architecture_graph.py > /tmp/graph.mmd

An arrow ``a --> b`` means that some module of app ``a`` imports a module of app ``b``
(local imports included); the number is how many module-to-module imports make it.
"""

import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "config", "core", "users", "images", "taxonomy", "members", "home", "directory", "news",
    "events", "dossiers", "search", "contact", "stats",
]  # fmt: skip


def app_edges():
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(*APPS, cache_dir=None)
    edges = {}
    for importer in graph.modules:
        source = importer.split(".")[0]
        for imported in graph.find_modules_directly_imported_by(importer):
            target = imported.split(".")[0]
            if source != target and target in APPS:
                edges[(source, target)] = edges.get((source, target), 0) + 1
    return edges


def mermaid(edges):
    lines = ["graph TD"]
    for (source, target), count in sorted(edges.items()):
        lines.append(f"    {source} -->|{count}| {target}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(mermaid(app_edges()))
