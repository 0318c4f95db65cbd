"""Recall of the site search on reader queries against the demo content.

    .venv/bin/python bench/search_recall.py [--database bench/recall.sqlite3] [--queries bench/search_queries.json]

Works on its own SQLite file (built with ``migrate`` and ``load_demo_content`` when missing, about a
minute), never on the development database. The search index is rebuilt first (``update_index``),
so the figures are those of the code checked out. Every query of ``search_queries.json`` is sent
to ``/search/`` as a reader would, following the result pages; a query's recall is the share of its
expected pages listed anywhere in the results, and "top 10" counts those on the first page.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULT = re.compile(r'<li class="search-result">\s*<h2><a href="([^"]+)">')
SUMMARY = re.compile(r'<p class="results-summary"[^>]*>(.*?)</p>', re.S)
MAX_PAGES = 20


def environment(database: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
            "DATABASE_URL": f"sqlite:///{database}",
            "MEDIA_ROOT": str(BENCH_DIR / "media"),
            "LOG_LEVEL": "WARNING",
        }
    )
    env.pop("REDIS_URL", None)
    env.pop("ELASTICSEARCH_URL", None)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True, stdout=sys.stderr)


def listed(client, query: str) -> tuple[list[str], str]:
    """The result paths of every result page, in order, and the summary line of the first."""
    urls: list[str] = []
    summary = ""
    for number in range(1, MAX_PAGES + 1):
        response = client.get("/search/", {"q": query, "page": number})
        if response.status_code == 404:
            break
        text = response.content.decode()
        if number == 1 and (match := SUMMARY.search(text)):
            summary = " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())
        found = RESULT.findall(text)
        urls.extend(found)
        if not found or 'rel="next"' not in text:
            break
    return [url.lstrip("/") for url in urls], summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", type=Path, default=BENCH_DIR / "recall.sqlite3")
    parser.add_argument("--queries", type=Path, default=BENCH_DIR / "search_queries.json")
    parser.add_argument("--skip-index", action="store_true", help="keep the search index as it is")
    parser.add_argument("--json", type=Path, help="also write every query's figures to this file")
    args = parser.parse_args()

    database = args.database.resolve()
    env = environment(database)
    fresh = not database.exists()
    manage(env, "migrate", "-v0")
    if fresh:
        manage(env, "load_demo_content")
    if not args.skip_index:
        started = time.monotonic()
        manage(env, "update_index")
        print(f"search index rebuilt in {time.monotonic() - started:.1f} s", file=sys.stderr)

    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    queries = json.loads(args.queries.read_text())["queries"]
    client = Client()
    rows = []
    for item in queries:
        urls, summary = listed(client, item["q"])
        expected = item["expect"]
        found = [path for path in expected if path in urls]
        top = [path for path in expected if path in urls[:10]]
        rows.append(
            {
                "q": item["q"],
                "expected": len(expected),
                "found": len(found),
                "top10": len(top),
                "results": len(urls),
                "missed": [p for p in expected if p not in urls],
                "summary": summary,
            }
        )

    expected = sum(row["expected"] for row in rows)
    found = sum(row["found"] for row in rows)
    top = sum(row["top10"] for row in rows)
    complete = sum(row["found"] == row["expected"] for row in rows)
    print("| query | expected | found | in top 10 | results | missed |")
    print("|---|--:|--:|--:|--:|---|")
    for row in rows:
        missed = ", ".join(row["missed"])
        print(f"| {row['q']} | {row['expected']} | {row['found']} | {row['top10']} | {row['results']} | {missed} |")
    print()
    print(
        f"{len(rows)} queries, {expected} expected pages: found {found} ({found / expected:.1%}), "
        f"{top} on the first page ({top / expected:.1%}); {complete} queries find every expected page, "
        f"{sum(row['found'] == 0 for row in rows)} find none of them; "
        f"{sum(row['results'] for row in rows)} results listed in all"
    )
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
