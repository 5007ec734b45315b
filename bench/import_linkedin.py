"""Benchmark: import a 30,000-row LinkedIn Connections.csv (LinkedIn's cap).

Measures in one run, on SQLite in a fresh temporary data folder:
  1. the first import (30,000 new people, e-mails and "connected" journal entries),
  2. a re-import of the same file (nothing new: every row matched and unchanged),
  3. the floor: parsing the same CSV with the csv module and inserting the same rows
     with sqlite3.executemany in one transaction.
Goal (issue 3): first import ≤ 3 s and ≤ 20x the floor; re-import ≤ 2 s.

Run:  .venv/bin/python bench/import_linkedin.py [--rows 30000]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sqlite3
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


def floor(path: Path, folder: Path) -> float:
    """Parse the CSV and insert the same rows with sqlite3.executemany, in one transaction."""
    db = sqlite3.connect(folder / "floor.sqlite3")
    db.execute(
        "CREATE TABLE person (id INTEGER PRIMARY KEY, first TEXT, last TEXT, url TEXT, email TEXT,"
        " company TEXT, position TEXT, connected TEXT)"
    )
    start = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle:
        lines = handle.read().splitlines()[4:]
    rows = list(csv.reader(lines))
    with db:
        db.executemany(
            "INSERT INTO person (first, last, url, email, company, position, connected) VALUES (?,?,?,?,?,?,?)",
            rows,
        )
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="grapevine-bench-"))
    os.environ["GRAPEVINE_DATA_DIR"] = str(folder)
    os.environ.setdefault("GRAPEVINE_SECRET_KEY", "bench-only")
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ["DJANGO_SETTINGS_MODULE"] = "grapevine.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from grapevine.accounts.models import User
    from grapevine.contacts.models import Person
    from grapevine.transfer.services import import_path

    call_command("migrate", verbosity=0)
    owner = User.objects.create_user("bench@example.org", "bench")
    csv_path = folder / "Connections.csv"
    generate(csv_path, args.rows)

    start = time.perf_counter()
    first = import_path(owner, csv_path)
    first_s = time.perf_counter() - start
    assert first.created == args.rows, first.as_json()

    start = time.perf_counter()
    again = import_path(owner, csv_path)
    again_s = time.perf_counter() - start
    assert again.created == 0 and again.unchanged == args.rows, again.as_json()
    assert Person.objects.filter(owner=owner).count() == args.rows

    floor_s = floor(csv_path, folder)
    print(f"rows: {args.rows:,} (SQLite, {folder})")
    print(
        f"first import:  {first_s:6.2f} s   goal ≤ 3 s   ({first_s / floor_s:5.1f}x the floor, goal ≤ 20x)"
    )
    print(f"re-import:     {again_s:6.2f} s   goal ≤ 2 s   ({again_s / floor_s:5.1f}x the floor)")
    print(f"floor:         {floor_s:6.2f} s   (csv + sqlite3.executemany, one transaction)")


if __name__ == "__main__":
    main()
