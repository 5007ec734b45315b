"""Job postings in the column layout of the public LinkedIn postings dataset (R16)."""

from __future__ import annotations

import datetime as dt

from grapevine.contacts.normalise import clean_text
from grapevine.transfer.formats.base import (
    BadRow,
    ParsedFile,
    PostingRow,
    Row,
    RowProblem,
    csv_rows,
    header_index,
)

SOURCE = "linkedin-postings"


def _epoch_ms(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(float(value) / 1000, tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise BadRow(f"“{value}” is not a time in milliseconds since 1970.") from None


def parse_postings(text: str) -> ParsedFile:
    parsed = ParsedFile(format="linkedin-postings")
    rows = list(csv_rows(text))
    if not rows:
        return parsed
    index = header_index(rows[0][1])
    for line, cells in rows[1:]:
        row = Row(index, cells)
        if row.is_blank():
            continue
        try:
            job_id = row.get("job_id")
            if not job_id:
                raise BadRow("No job_id: Grapevine needs it to recognise the posting next time.")
            title = row.get("title")
            if not title:
                raise BadRow("The posting has no title.")
            posted = _epoch_ms(row.get("listed_time")) or _epoch_ms(row.get("original_listed_time"))
        except BadRow as exc:
            parsed.errors.append(RowProblem(line, str(exc)))
            continue
        url = row.get("job_posting_url", "application_url")
        parsed.postings.append(
            PostingRow(
                line=line,
                external_id=job_id.removesuffix(".0")[:100],
                title=title[:300],
                company_name=row.get("company_name")[:200],
                description=row.raw("description"),
                location=row.get("location")[:200],
                url=url[:500] if url.startswith(("http://", "https://")) else "",
                posted_at=posted,
                remote=row.get("remote_allowed") in {"1", "1.0", "true", "True"},
                work_type=clean_text(row.get("formatted_work_type") or row.get("work_type"))[:40],
            )
        )
    return parsed
