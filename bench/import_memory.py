"""Benchmark: peak memory and time to parse a file at the upload limit, and the worst zip
allowed (issue 17, point 1).

Each case runs in a fresh process (peak memory is a process's high-water mark) against
a freshly migrated database with one empty account, and measures what an upload costs
before anything is written: reading the file as a stream and building the import plan
(``read_source`` + ``plan_build``), which is what the upload page does once per file.

Cases, all at ``GRAPEVINE_MAX_UPLOAD_MB`` (20 MB by default):
  connections  LinkedIn's Connections.csv (about 150,000 rows)
  google       a Google Contacts CSV (wide rows: 36 columns)
  vcard        a vCard 3.0 file
  zip          the worst zip allowed: a LinkedIn export whose messages.csv and
               Connections.csv expand to GRAPEVINE_MAX_UNZIPPED_MB together (60 MB),
               compressed to fit under the upload limit

Beside each figure, the floor: the same process reading the same bytes with the csv
module (for the zip, zipfile + csv), keeping nothing — the ratio shows what the plan
costs over merely reading the file. Peak memory is the process's maximum resident set
(``ru_maxrss``), its baseline after Django started and the database was migrated is
printed too.

Run:  .venv/bin/python bench/import_memory.py [--case connections] [--mb 20]
      (DATABASE_URL=postgres://… for PostgreSQL)
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

CASES = ("connections", "google", "vcard", "zip")
FIRST = ["Ada", "Grace", "Linus", "Zoë", "James", "María", "Ken", "Amal", "Søren", "Wei", "Priya"]
LAST = ["Lovelace", "Hopper", "Torvalds", "Müller", "Brooks", "López", "O'Brien", "Singh", "Wang"]
WORDS = [
    "advice",
    "meeting",
    "thank",
    "you",
    "referral",
    "introduce",
    "coffee",
    "project",
    "team",
    "hiring",
    "design",
    "data",
]


def _person(rnd: random.Random, i: int) -> tuple[str, str, str, str]:
    first, last = rnd.choice(FIRST), rnd.choice(LAST)
    return first, f"{last}{i}", f"person{i}@example.org", f"Company {rnd.randint(0, 5000)} Inc"


def _fill(path: Path, size: int, header: str, line) -> None:  # type: ignore[no-untyped-def]
    """Rows from ``line(i)`` until the file is just under ``size`` bytes."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(header)
        written, i = len(header.encode()), 0
        while True:
            text = line(i)
            length = len(text.encode())
            if written + length > size:
                return
            out.write(text)
            written += length
            i += 1


def make_connections(path: Path, size: int) -> None:
    rnd = random.Random(1)

    def line(i: int) -> str:
        first, last, email, company = _person(rnd, i)
        email = email if i % 3 == 0 else ""
        return (
            f"{first},{last},https://www.linkedin.com/in/{first.lower()}-{i},{email},"
            f"{company},Engineer,{rnd.randint(1, 28):02d} Mar {rnd.randint(2010, 2025)}\n"
        )

    _fill(
        path,
        size,
        'Notes:\n"When exporting your connection data, you may notice..."\n\n'
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n",
        line,
    )


GOOGLE_HEADER = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,"
    "Name Prefix,Name Suffix,Nickname,File As,Organization Name,Organization Title,"
    "Organization Department,Birthday,Notes,Photo,Labels,E-mail 1 - Label,E-mail 1 - Value,"
    "E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,"
    "Phone 2 - Value,Address 1 - Label,Address 1 - Formatted,Address 1 - Street,Address 1 - City,"
    "Address 1 - PO Box,Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,"
    "Address 1 - Extended Address,Website 1 - Label,Website 1 - Value\n"
)


def make_google(path: Path, size: int) -> None:
    rnd = random.Random(2)

    def line(i: int) -> str:
        first, last, email, company = _person(rnd, i)
        notes = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(0, 12)))
        return (
            f'{first},,{last},,,,,,,,{company},Analyst,,,"{notes}",,* myContacts,* Work,{email},'
            f',,Mobile,+1 415 555 {i % 10000:04d},,,Home,"1 Main St",1 Main St,Springfield,,IL,'
            "62701,US,,,\n"
        )

    _fill(path, size, GOOGLE_HEADER, line)


def make_vcard(path: Path, size: int) -> None:
    rnd = random.Random(3)

    def line(i: int) -> str:
        first, last, email, company = _person(rnd, i)
        return (
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:{last};{first};;;\r\nFN:{first} {last}\r\n"
            f"ORG:{company}\r\nTITLE:Analyst\r\nEMAIL;TYPE=INTERNET,WORK:{email}\r\n"
            f"TEL;TYPE=CELL:+1 415 555 {i % 10000:04d}\r\nNOTE:Met at the {rnd.choice(WORDS)} "
            f"day\r\nEND:VCARD\r\n"
        )

    _fill(path, size, "", line)


def make_zip(path: Path, size: int, unzipped: int) -> None:
    """Members that expand to ``unzipped`` bytes together, compressed under ``size``."""
    folder = path.parent
    connections, messages = folder / "Connections.csv", folder / "messages.csv"
    make_connections(connections, unzipped // 5)
    rnd = random.Random(4)

    def line(i: int) -> str:
        first, last, _email, _company = _person(rnd, i % 20000)
        words = " ".join(rnd.choice(WORDS) + str(rnd.randint(0, 99999)) for _ in range(20))
        outgoing = i % 2 == 0
        sender, to = (
            ("Sam Seeker", f"{first} {last}") if outgoing else (f"{first} {last}", "Sam Seeker")
        )
        return (
            f"c{i // 4},,{sender},{to},2024-01-{1 + i % 28:02d} 10:{i % 60:02d}:00 UTC,,{words}\n"
        )

    _fill(
        messages,
        unzipped - connections.stat().st_size,
        "CONVERSATION ID,CONVERSATION TITLE,FROM,TO,DATE,SUBJECT,CONTENT\n",
        line,
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.write(connections, "Basic_LinkedInDataExport/Connections.csv")
        archive.write(messages, "Basic_LinkedInDataExport/messages.csv")
    if path.stat().st_size > size:
        raise SystemExit(f"the zip is {path.stat().st_size:,} bytes, over the upload limit")


def floor_read(path: Path) -> None:
    """The csv module reading the same rows, keeping nothing."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                with archive.open(info) as member:
                    for _row in csv.reader(io.TextIOWrapper(member, encoding="utf-8", newline="")):
                        pass
        return
    with path.open(encoding="utf-8", newline="") as handle:
        for _row in csv.reader(handle):
            pass


def peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)


def run_case(case: str, path: Path, floor: bool) -> dict[str, object]:
    """In this process: set up Django, then parse ``path`` once into an import plan."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ["DJANGO_SETTINGS_MODULE"] = "grapevine.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from grapevine.accounts.models import User
    from grapevine.transfer.formats import read_source, source_from_path
    from grapevine.transfer.plan import plan_build

    call_command("migrate", verbosity=0)
    owner = User.objects.create_user(f"bench-{os.getpid()}@example.org", "bench")
    baseline = peak_mb()
    start = time.perf_counter()
    if floor:
        floor_read(path)
        rows = 0
    else:
        plan = plan_build(owner, read_source(source_from_path(path)), skip_bad_rows=True)
        rows = len(plan.rows)
    elapsed = time.perf_counter() - start
    return {
        "case": case,
        "seconds": elapsed,
        "peak_mb": peak_mb(),
        "baseline_mb": baseline,
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--case", choices=CASES, action="append", help="default: all")
    parser.add_argument("--mb", type=int, default=20, help="the upload limit (MB)")
    parser.add_argument(
        "--child", nargs=3, metavar=("CASE", "PATH", "FLOOR"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        case, path, floor = args.child
        print(json.dumps(run_case(case, Path(path), floor == "1")))
        return

    folder = Path(tempfile.mkdtemp(prefix="grapevine-bench-memory-"))
    size = args.mb * 1024 * 1024
    unzipped = 3 * size  # GRAPEVINE_MAX_UNZIPPED_MB's default, 3 times the upload limit
    env = {
        **os.environ,
        "GRAPEVINE_DATA_DIR": str(folder / "data"),
        "GRAPEVINE_MAX_UPLOAD_MB": str(args.mb),
        "GRAPEVINE_MAX_UNZIPPED_MB": str(3 * args.mb),
    }
    env.setdefault("GRAPEVINE_SECRET_KEY", "bench-only")
    makers = {
        "connections": lambda p: make_connections(p, size),
        "google": lambda p: make_google(p, size),
        "vcard": lambda p: make_vcard(p, size),
        "zip": lambda p: make_zip(p, size, unzipped),
    }
    suffix = {"connections": ".csv", "google": ".csv", "vcard": ".vcf", "zip": ".zip"}
    load_before = os.getloadavg()
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(f"upload limit {args.mb} MB, zip members up to {3 * args.mb} MB together; {database}")
    print(
        f"{'case':<12} {'file':>9} {'rows':>8} {'parse':>8} {'floor':>7} {'ratio':>6} {'peak':>8} {'baseline':>9} {'floor peak':>10}"
    )
    for case in args.case or CASES:
        case_folder = folder / case
        case_folder.mkdir()
        path = case_folder / f"{case}{suffix[case]}"
        makers[case](path)
        results = []
        for floor in ("0", "1"):
            out = subprocess.run(  # noqa: S603 (this script, run again with its own arguments)
                [sys.executable, __file__, "--child", case, str(path), floor],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        plan, bare = results
        print(
            f"{case:<12} {path.stat().st_size / 1024 / 1024:7.1f}MB {plan['rows']:>8,} "
            f"{plan['seconds']:7.2f}s {bare['seconds']:6.2f}s {plan['seconds'] / bare['seconds']:5.1f}x "
            f"{plan['peak_mb']:6.0f}MB {plan['baseline_mb']:7.0f}MB {bare['peak_mb']:8.0f}MB",
            flush=True,
        )
    load_after = os.getloadavg()
    print(
        "load average (1, 5, 15 min): before "
        + ", ".join(f"{v:.2f}" for v in load_before)
        + "; after "
        + ", ".join(f"{v:.2f}" for v in load_after)
    )


if __name__ == "__main__":
    main()
