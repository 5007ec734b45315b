"""Benchmark: import a 30,000-row LinkedIn Connections.csv (LinkedIn's cap).

Measures in each run, on SQLite, starting from the same freshly migrated database
(one user, nothing imported):
  1. the first import (``import_path``: read, parse, match, normalise, write) —
     30,000 new people, their e-mails and organisations, and one "connected" journal
     entry per person with its link to the person,
  2. a re-import of the same file (nothing new: every row matched and unchanged),
  3. the floor: parsing the same CSV with the csv module and inserting exactly the
     rows the first import stored, with sqlite3.executemany in one transaction.

What the floor includes, so that it is apples to apples:
  - the same tables, schema and indexes: a copy of the freshly migrated database,
    taken before the first import;
  - the same rows: every row the first import added (organisations, people,
    e-mails, journal entries, the entry-people links; every column, ids and public
    ids included), read back from the import's database before the floor is timed,
    inserted in the order the import inserted them;
  - the same connection settings as Grapevine's SQLite connection (its PRAGMAs from
    settings, and the page cache an import sets, SQLITE_IMPORT_CACHE_KIB) and one
    ``BEGIN IMMEDIATE`` … ``COMMIT`` transaction, as ``transaction.atomic`` does;
  - reading and parsing the CSV file (csv.reader, every row).
It leaves out everything only the import must do (recognising the format,
normalising names, URLs, e-mails and organisation names, matching against the owner's
contacts, generating ids, building search text), which is what makes it a floor.
After both, the row count of every table is compared: the bench stops if they differ.

Goal (issue 3): first import ≤ 3 s and ≤ 20x the floor; re-import ≤ 2 s, on this
machine, median of the runs. The load average is printed with the figures: the
machine has 2 cores that other work shares.

Run:  .venv/bin/python bench/import_linkedin.py [--rows 30000] [--runs 3]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

FIRST = [
    "Ada",
    "Grace",
    "Linus",
    "Zoë",
    "李",
    "James",
    "Maria",
    "Ken",
    "Cindy 🚀",
    "Amal",
    "Olu",
    "Søren",
]
LAST = [
    "Lovelace",
    "Hopper",
    "Torvalds",
    "Müller",
    "娜",
    "Brooks",
    "Lopez, CPA",
    "O\u2019Brien",
    "Decker",
    "Singh",
]
COMPANIES = [f"Company {i} Inc" for i in range(3000)] + [
    "Acme Corporation",
    "ACME Corp.",
    "Smith, Jones & Co",
]
TITLES = ["Engineer", "Product manager", "Nurse, children's", "Lawyer", "Data scientist", "Teacher"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def generate(path: Path, rows: int) -> None:
    rnd = random.Random(42)
    out = io.StringIO()
    out.write(
        'Notes:\n"When exporting your connection data, you may notice that some of the email addresses are missing."\n\n'
    )
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    )
    for i in range(rows):
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        slug = f"{first}-{last}-{i}".lower().replace(" ", "-").replace(",", "")
        email = f"person{i}@example.org" if rnd.random() < 0.3 else ""
        date = f"{rnd.randint(1, 28):02d} {rnd.choice(MONTHS)} {rnd.randint(2010, 2025)}"
        writer.writerow(
            [
                first,
                last,
                f"https://www.linkedin.com/in/{slug}",
                email,
                rnd.choice(COMPANIES),
                rnd.choice(TITLES),
                date,
            ]
        )
    path.write_text(out.getvalue(), encoding="utf-8")


Stored = list[tuple[str, list[str], list[tuple[object, ...]]]]


def copy_database(source: Path, target: Path) -> None:
    """Replace ``target``'s content with ``source``'s (SQLite's online backup)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def tables(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid"
            )
        ]
    finally:
        db.close()


def row_counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        return {
            name: db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for name in tables(path)
        }
    finally:
        db.close()


def rows_added(path: Path, before: dict[str, int]) -> Stored:
    """Every row of every table the import added, as stored, in insertion order.

    Rowids only grow here (AUTOINCREMENT tables, nothing deleted), so the rows added
    are those past each table's largest rowid before the import."""
    db = sqlite3.connect(path)
    stored: Stored = []
    try:
        for name in tables(path):
            if name == "sqlite_sequence":  # SQLite keeps it up to date on each insert
                continue
            cursor = db.execute(
                f'SELECT * FROM "{name}" WHERE rowid > ? ORDER BY rowid',
                [before.get(name, 0)],
            )
            rows = cursor.fetchall()
            if rows:
                stored.append((name, [d[0] for d in cursor.description], rows))
        # Referenced tables first, as the import writes them (organisations, people,
        # their e-mails, entries, the entries' people).
        refers = {
            name: {row[2] for row in db.execute(f'PRAGMA foreign_key_list("{name}")')}
            for name, _columns, _rows in stored
        }
    finally:
        db.close()
    outside = {t for targets in refers.values() for t in targets} - refers.keys()  # users
    ordered: Stored = []
    pending = list(stored)
    while pending:
        placed = {name for name, _columns, _rows in ordered} | outside
        ready = next((t for t in pending if refers[t[0]] - {t[0]} <= placed), pending[0])
        ordered.append(ready)
        pending.remove(ready)
    return ordered


def max_rowids(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        return {
            name: db.execute(f'SELECT coalesce(max(rowid), 0) FROM "{name}"').fetchone()[0]
            for name in tables(path)
            if name != "sqlite_sequence"
        }
    finally:
        db.close()


def floor(csv_path: Path, database: Path, stored: Stored, pragmas: str, cache_kib: int) -> float:
    """Parse the CSV and insert the stored rows with sqlite3.executemany, in one transaction."""
    db = sqlite3.connect(database, isolation_level=None)
    db.executescript(pragmas)
    db.execute(f"PRAGMA cache_size = -{cache_kib}")
    start = time.perf_counter()
    with csv_path.open(encoding="utf-8", newline="") as handle:
        parsed = list(csv.reader(handle))
    db.execute("BEGIN IMMEDIATE")
    for name, columns, rows in stored:
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" * len(columns))
        db.executemany(f'INSERT INTO "{name}" ({names}) VALUES ({marks})', rows)
    db.execute("COMMIT")
    elapsed = time.perf_counter() - start
    db.close()
    # Notes, its paragraph, a blank line, the header, then one row per connection.
    assert len(parsed) - 4 == sum(
        len(rows) for name, _c, rows in stored if name.endswith("_person")
    )
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=3, help="the median of the runs is shown")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="grapevine-bench-"))
    os.environ["GRAPEVINE_DATA_DIR"] = str(folder)
    os.environ.setdefault("GRAPEVINE_SECRET_KEY", "bench-only")
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ["DJANGO_SETTINGS_MODULE"] = "grapevine.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from grapevine.accounts.models import User
    from grapevine.contacts.models import Person
    from grapevine.core.bulk import SQLITE_IMPORT_CACHE_KIB
    from grapevine.transfer.services import import_path

    call_command("migrate", verbosity=0)
    owner = User.objects.create_user("bench@example.org", "bench")
    database = Path(settings.DATABASES["default"]["NAME"])
    pragmas = settings.DATABASES["default"]["OPTIONS"]["init_command"]
    fresh = folder / "fresh.sqlite3"  # migrated, one user, nothing imported
    connection.close()
    copy_database(database, fresh)
    before = max_rowids(fresh)
    csv_path = folder / "Connections.csv"
    generate(csv_path, args.rows)
    load_before = os.getloadavg()

    firsts, agains, floors = [], [], []
    for run in range(args.runs):
        connection.close()
        copy_database(fresh, database)

        start = time.perf_counter()
        first = import_path(owner, csv_path)
        firsts.append(time.perf_counter() - start)
        assert first.created == args.rows, first.as_json()
        connection.close()
        imported = row_counts(database)
        stored = rows_added(database, before)

        start = time.perf_counter()
        again = import_path(owner, csv_path)
        agains.append(time.perf_counter() - start)
        assert again.created == 0 and again.unchanged == args.rows, again.as_json()
        assert Person.objects.filter(owner=owner).count() == args.rows
        connection.close()
        assert row_counts(database) == imported, "the re-import stored nothing new"

        floor_db = folder / f"floor-{run}.sqlite3"
        copy_database(fresh, floor_db)
        floors.append(floor(csv_path, floor_db, stored, pragmas, SQLITE_IMPORT_CACHE_KIB))
        floored = row_counts(floor_db)
        if floored != imported:
            raise SystemExit(
                f"The floor stored other rows than the import: {floored} != {imported}"
            )
        floor_db.unlink()
        print(
            f"run {run + 1}: first import {firsts[-1]:.2f} s, re-import {agains[-1]:.2f} s, "
            f"floor {floors[-1]:.2f} s",
            flush=True,
        )
    load_after = os.getloadavg()

    first_s, again_s, floor_s = (statistics.median(t) for t in (firsts, agains, floors))
    print(f"rows: {args.rows:,} (SQLite, {folder}); median of {args.runs} runs")
    print("rows per table, import = floor:")
    for name in (name for name, _columns, _rows in stored):
        print(f"  {name:<24} {imported[name]:>7,}")
    print(
        f"first import:  {first_s:6.2f} s   goal ≤ 3 s   ({first_s / floor_s:5.1f}x the floor, goal ≤ 20x)"
    )
    print(f"re-import:     {again_s:6.2f} s   goal ≤ 2 s   ({again_s / floor_s:5.1f}x the floor)")
    print(
        f"floor:         {floor_s:6.2f} s   (csv + sqlite3.executemany of the same rows into the"
        " same tables, one transaction)"
    )
    print(
        "load average (1, 5, 15 min): before "
        + ", ".join(f"{v:.2f}" for v in load_before)
        + "; after "
        + ", ".join(f"{v:.2f}" for v in load_after)
    )


if __name__ == "__main__":
    main()
