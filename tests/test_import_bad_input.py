"""Bad files fail with one clear sentence and leave the database exactly as it was (issue 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from grapevine.contacts.models import Organisation, Person, PersonEmail, Tag
from grapevine.journal.models import Entry
from grapevine.targets.models import JobPosting
from grapevine.transfer.formats import BadFile
from grapevine.transfer.plan import ImportFailed
from grapevine.transfer.services import import_file, import_path

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data" / "transfer"
SAMPLES = Path(__file__).parent / "data" / "transfer" / "samples"  # copy of ../shared/samples


def database_state(owner):
    return {
        model.__name__: sorted(map(str, model.objects.values_list("pk", flat=True)))
        for model in (Person, Organisation, PersonEmail, Tag, Entry, JobPosting)
    } | {"names": sorted(Person.objects.filter(owner=owner).values_list("full_name", "job_title"))}


@pytest.fixture
def before(owner):
    import_path(owner, SAMPLES / "google" / "contacts.csv")
    return database_state(owner)


@pytest.mark.parametrize(
    ("name", "data", "sentence"),
    [
        ("empty.csv", b"", "is empty: there is nothing to import"),
        ("blank.csv", b"  \r\n\r\n", "is empty"),
        (
            "photo.csv",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
            "is a binary file",
        ),
        ("notes.txt", b"Shopping list\nmilk\neggs\n", "Grapevine does not recognise"),
        (
            "header-only.csv",
            b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n",
            "has a header but no rows",
        ),
        ("broken.zip", b"PK\x03\x04 not really a zip", "cannot be opened"),
        ("empty.vcf", b"BEGIN:VCARD\r\nVERSION:3.0\r\n", "has no BEGIN:VCARD"),
    ],
)
def test_bad_file_is_one_sentence_and_nothing_changes(owner, before, name, data, sentence):
    with pytest.raises(BadFile) as caught:
        import_file(owner, name, data)
    message = str(caught.value)
    assert sentence in message
    assert "\n" not in message and "Traceback" not in message
    assert database_state(owner) == before


def test_file_over_the_size_limit_is_refused(owner, before, settings, tmp_path):
    settings.MAX_UPLOAD_MB = 1
    path = tmp_path / "Connections.csv"
    path.write_bytes((SAMPLES / "linkedin" / "Connections.csv").read_bytes() * 200)
    with pytest.raises(BadFile, match=r"the limit is 1 MB \(GRAPEVINE_MAX_UPLOAD_MB\)"):
        import_path(owner, path)
    assert database_state(owner) == before


def test_a_zip_without_linkedin_files_is_refused(owner, before, tmp_path):
    import zipfile

    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("holiday.txt", "sun")
    with pytest.raises(BadFile, match="is it a LinkedIn export"):
        import_path(owner, path)
    assert database_state(owner) == before


def test_one_bad_row_fails_the_whole_file(owner, before):
    with pytest.raises(ImportFailed) as caught:
        import_path(owner, DATA / "connections_bad_rows.csv")
    assert str(caught.value).startswith("Line 3: “not-an-address” is not an e-mail address.")
    assert [p.line for p in caught.value.problems] == [3, 5]
    assert database_state(owner) == before


def test_skip_bad_rows_drops_the_bad_value_keeps_the_person_and_skips_bad_rows(owner, before):
    result = import_path(owner, DATA / "connections_bad_rows.csv", skip_bad_rows=True)
    assert result.created == 3
    assert [(p.line, p.reason) for p in result.skipped] == [
        (
            3,
            "“not-an-address” is not an e-mail address. Left out; the rest of the row is imported.",
        ),
        (5, "“Connected On” “yesterday-ish” is not a date Grapevine understands."),
    ]
    assert set(
        Person.objects.filter(
            owner=owner, family_name__in=["Lovelace", "Turing", "Mail", "Date"]
        ).values_list("family_name", flat=True)
    ) == {"Lovelace", "Turing", "Mail"}
    assert not PersonEmail.objects.filter(person__family_name="Mail").exists()


def test_dry_run_changes_nothing_but_counts(owner, before):
    result = import_path(owner, SAMPLES / "linkedin" / "Connections.csv", dry_run=True)
    assert result.created == 60
    assert database_state(owner) == before


def test_a_failure_after_some_rows_were_written_rolls_everything_back(owner, before, monkeypatch):
    from grapevine.transfer import plan

    def explode(owner, entries):  # the journal step fails after people were written
        raise RuntimeError("disk full")

    monkeypatch.setattr(plan, "entries_create_many", explode)
    with pytest.raises(RuntimeError):
        import_path(owner, SAMPLES / "linkedin" / "Connections.csv")
    assert database_state(owner) == before
