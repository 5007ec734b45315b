"""Job postings (R16): any CSV with a title column and a company column.

The column names of the public LinkedIn postings dataset (``job_id, company_name,
title, …, listed_time`` in milliseconds), of scrapers and of hand-made lists are read
by their usual synonyms. A posting is recognised on the next import by its id column
when the file has one, else by its link, else by its title, company and location.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator

from grapevine.transfer.formats.base import (
    BadRow,
    Item,
    PostingRow,
    Row,
    RowProblem,
    parse_when,
)
from grapevine.transfer.formats.layouts import CsvInput, Layout, register

SOURCE = "linkedin-postings"  # the dataset's layout, and what earlier imports stored
SOURCE_CSV = "postings-csv"

TITLE = ("title", "job title", "position", "job position", "role", "job name")
COMPANY = ("company", "company name", "employer", "organization", "organisation")
URL = (
    "url",
    "job url",
    "job posting url",
    "link",
    "job link",
    "posting url",
    "application url",
    "apply url",
    "job url direct",
)
LOCATION = ("location", "job location", "city", "place")
POSTED = (
    "date posted",
    "posted",
    "posted at",
    "posted on",
    "date",
    "listed time",
    "original listed time",
)
DESCRIPTION = ("description", "job description", "summary", "details")
ID = ("job id", "id", "posting id", "job posting id")
REMOTE = ("remote", "remote allowed", "is remote")
WORK_TYPE = ("formatted work type", "work type", "job type", "employment type")

WANTED_COLUMNS = (
    "a title column (title, job_title or position) and a company column "
    "(company, company_name or employer)"
)


def _when(value: str) -> dt.datetime | None:
    """A date as written, or milliseconds since 1970 (the LinkedIn postings dataset)."""
    if not value:
        return None
    text = value.removesuffix(".0")
    if text.isdigit() and len(text) >= 10:
        number = int(text)
        seconds = number / 1000 if len(text) >= 12 else number
        try:
            return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise BadRow(f"“{value[:40]}” is not a time Grapevine understands.") from None
    return parse_when(value, "The posting date")


def _key(*parts: str) -> str:
    digest = hashlib.sha1("\x1f".join(parts).lower().encode(), usedforsecurity=False)
    return digest.hexdigest()


def _web_url(value: str) -> str:
    return value if value.lower().startswith(("http://", "https://")) else ""


def parse_postings(source: CsvInput) -> Iterator[Item]:
    index = source.index
    dataset = {"job id", "company name", "title"} <= index.keys()
    where = SOURCE if dataset else SOURCE_CSV
    has_id = any(c in index for c in ID)
    for line, cells in source.rows():
        row = Row(index, cells)
        if row.is_blank():
            continue
        title, company = row.get(*TITLE), row.get(*COMPANY)
        try:
            if not title:
                raise BadRow("The posting has no title.")
            posted = _when(row.get(*POSTED))
        except BadRow as exc:
            yield RowProblem(line, str(exc), error=True)
            continue
        raw_url = row.get(*URL)
        url = _web_url(raw_url)
        location = row.get(*LOCATION)
        external_id = row.get(*ID).removesuffix(".0") if has_id else ""
        if has_id and not external_id:
            yield RowProblem(
                line,
                "No id: Grapevine needs it to recognise the posting next time.",
                error=True,
            )
            continue
        if not external_id:
            external_id = "url:" + _key(url) if url else "text:" + _key(title, company, location)
        posting = PostingRow(
            line=line,
            source=where,
            external_id=external_id,
            title=title,
            company_name=company,
            description=row.raw(*DESCRIPTION),
            location=location,
            url=url,
            posted_at=posted,
            remote=row.get(*REMOTE).lower() in {"1", "1.0", "true", "yes", "y"},
            work_type=row.get(*WORK_TYPE),
        )
        if raw_url and not url:
            posting.remarks.append(
                f"The link “{raw_url[:100]}” is not a web address (http or https); it was left out."
            )
        yield posting


def _is_postings(c: dict[str, int]) -> bool:
    return any(t in c for t in TITLE) and any(n in c for n in COMPANY)


register(
    # The public LinkedIn postings dataset, by the name earlier imports reported.
    Layout(
        name="linkedin-postings",
        order=30,
        matches=lambda c: {"job id", "company name", "title"} <= c.keys(),
        parse=parse_postings,
    ),
    Layout(name="postings-csv", order=90, matches=_is_postings, parse=parse_postings),
)
