"""Latency of the contact list and search at 30,000 contacts (SQLite).

    python -m bench.contacts [--contacts 30000] [--runs 50] [--seed 1] [--json]

Builds the data with ``bench.generate`` in a temporary data folder, then requests
the pages in-process with Django's test Client, signed in as the owner: no network
and no browser, so the figures are the server's own time (views, queries,
templates). Prints the median and 95th percentile per case, the queries each
request makes and the size of the answer.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass
class Case:
    name: str
    url: str
    htmx: bool = False


@dataclass
class Measured:
    name: str
    url: str
    htmx: bool
    status: int
    median_ms: float
    p95_ms: float
    queries: int
    kilobytes: float
    found: str


CASES = [
    Case("people, all lists, page 1", "/contacts/"),
    Case("list B", "/contacts/?list=B"),
    Case("list C", "/contacts/?list=C"),
    Case("page 300 of all people", "/contacts/?page=300"),
    Case("search family name", "/contacts/?q=garcia"),
    Case("search two words", "/contacts/?q=maria+garcia"),
    Case("search organisation", "/contacts/?q=summit"),
    Case("search title", "/contacts/?q=engineer"),
    Case("search e-mail domain", "/contacts/?q=example.net"),
    Case("search tag", "/contacts/?q=fintech"),
    Case("search, no match", "/contacts/?q=zzzqx"),
    Case("search family name (htmx)", "/contacts/?q=garcia", htmx=True),
    Case("search two words (htmx)", "/contacts/?q=maria+garcia", htmx=True),
    Case("search on list B (htmx)", "/contacts/?list=B&q=engineer", htmx=True),
]


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (0 < fraction <= 1)."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def measure(client: Any, case: Case, runs: int) -> Measured:
    from django.db import connection

    headers = {"HX-Request": "true"} if case.htmx else {}
    for _ in range(2):  # warm caches: templates, SQLite pages
        response = client.get(case.url, headers=headers)
    # Counted with an execute wrapper: it survives the reconnect each request makes.
    queries = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(case.url, headers=headers)
    timings: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(case.url, headers=headers)
        timings.append((time.perf_counter() - start) * 1000)
    body = response.content.decode("utf-8", "replace")
    rows = body.count("<tr") - body.count("<thead")  # rows of the people table, roughly
    return Measured(
        name=case.name,
        url=case.url,
        htmx=case.htmx,
        status=response.status_code,
        median_ms=statistics.median(timings),
        p95_ms=percentile(timings, 0.95),
        queries=queries,
        kilobytes=len(response.content) / 1024,
        found=f"{max(rows, 0)} rows",
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.contacts",
        description="Measure the contact list and search pages on a generated contact book (SQLite).",
    )
    parser.add_argument(
        "--contacts", type=int, default=30000, help="people to generate (default 30000)"
    )
    parser.add_argument("--runs", type=int, default=50, help="timed requests per case (default 50)")
    parser.add_argument(
        "--seed", type=int, default=1, help="seed of the generated data (default 1)"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary data folder (its path is printed)"
    )
    args = parser.parse_args(argv)
    if args.contacts < 1 or args.runs < 1:
        parser.error("--contacts and --runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="grapevine-bench-"))
    # The Client calls itself "testserver"; the data folder is a fresh SQLite database.
    os.environ["GRAPEVINE_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["GRAPEVINE_DEBUG"] = "0"
    from bench import setup_django

    setup_django(data_dir, sqlite_only=True)
    import sqlite3

    import django
    from django.core.management import call_command
    from django.test import Client
    from rich.console import Console
    from rich.table import Table

    from bench.generate import generate
    from grapevine.accounts.models import User

    console = Console(stderr=args.json, highlight=False)
    try:
        call_command("migrate", interactive=False, verbosity=0)
        console.print(f"Generating {args.contacts:,} contacts (seed {args.seed}) in {data_dir}")
        generated = generate(contacts=args.contacts, seed=args.seed, say=console.print)
        # What a long-running server has: statistics for the query planner.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        client = Client()
        client.force_login(
            User.objects.get(email=generated.owner_email),
            backend="django.contrib.auth.backends.ModelBackend",
        )
        results = []
        for case in CASES:
            console.print(f"  measuring {case.name}…")
            results.append(measure(client, case, args.runs))
    finally:
        if not args.keep:
            import shutil

            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            console.print(f"Data kept in {data_dir}")

    about = {
        "contacts": generated.people,
        "organisations": generated.organisations,
        "journal_entries": generated.journal_entries,
        "runs": args.runs,
        "seed": args.seed,
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
    }
    if args.json:
        print(json.dumps({"about": about, "results": [asdict(r) for r in results]}, indent=2))
        return
    table = Table(
        title=(
            f"Contact list and search, {generated.people:,} contacts, {args.runs} runs each "
            f"(Python {about['python']}, Django {about['django']}, SQLite {about['sqlite']}, "
            f"{about['cpus']} CPUs)"
        ),
        title_justify="left",
    )
    for column, justify in [
        ("Case", "left"),
        ("URL", "left"),
        ("Status", "right"),
        ("Median ms", "right"),
        ("p95 ms", "right"),
        ("Queries", "right"),
        ("KB", "right"),
        ("Rows", "right"),
    ]:
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for r in results:
        table.add_row(
            r.name,
            r.url + (" + HX-Request" if r.htmx else ""),
            str(r.status),
            f"{r.median_ms:.1f}",
            f"{r.p95_ms:.1f}",
            str(r.queries),
            f"{r.kilobytes:.0f}",
            r.found.split()[0],
        )
    Console(highlight=False, width=max(140, Console().width)).print(table)
    if any(r.status != 200 for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
