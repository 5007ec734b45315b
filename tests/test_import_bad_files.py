"""Bad files (issue 16 and issue 17 point 1): each gets one sentence on the command line
and on the upload page, never a 500, and leaves the database as it was; what is only
partly wrong is cleaned and said (control characters, over-long values, unsafe links)."""

from __future__ import annotations

import io
import os
import struct
import zipfile

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from typer.testing import CliRunner

from grapevine.cli import get_app
from grapevine.contacts.models import Organisation, Person
from grapevine.transfer.models import PendingImport
from grapevine.transfer.services import import_file

pytestmark = pytest.mark.django_db
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def row(i: int, first: str = "Ada") -> str:
    return f"{first},Lovelace{i},https://www.linkedin.com/in/ada-{i},,Engines,Analyst,10 Dec 2023\n"


def connections(rows: int = 3) -> bytes:
    return (HEADER + "".join(row(i) for i in range(rows))).encode()


def zipped(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def bad_crc_zip() -> bytes:
    data = bytearray(zipped({"Basic/Connections.csv": connections()}, zipfile.ZIP_STORED))
    at = data.index(b"Lovelace1")
    data[at] ^= 0x20  # one flipped bit in the stored member: its CRC no longer matches
    return bytes(data)


def encrypted_zip() -> bytes:
    """A member marked encrypted (general purpose flag bit 0), as `zip -e` writes it."""
    data = bytearray(zipped({"Connections.csv": connections()}))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature)
        (flags,) = struct.unpack_from("<H", data, at + offset)
        struct.pack_into("<H", data, at + offset, flags | 0x1)
    return bytes(data)


def nul_after_8_kb() -> bytes:
    text = HEADER + "".join(row(i) for i in range(120))  # about 9 KB
    assert len(text) > 8192
    return (text + "Eve\x00,Null,,,,,10 Dec 2023\n").encode()


REFUSED = {
    "empty.csv": (b"", "is empty"),
    "photo.csv": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary file"),
    "utf16.csv": (b"\xff\xfe" + "First Name,Last Name\n".encode("utf-16-le") + b"\x00\xd8", "UTF"),
    "bomb.zip": (zipped({"Connections.csv": b"Ada," * 600_000}), "zip bomb"),
    "bad-crc.zip": (bad_crc_zip(), "fails its checksum"),
    "encrypted.zip": (encrypted_zip(), "protected by a password"),
    "nul.csv": (nul_after_8_kb(), "Line 122 of “nul.csv” has a NUL byte"),
    "wide.csv": (
        ("First Name,Last Name," + ",".join(f"c{i}" for i in range(10_000)) + "\nAda,L\n").encode(),
        "10,002 columns",
    ),
    "doubled.csv": (
        b"First Name,Last Name,Email Address,Company,Email Address,Connected On\n"
        b"Ada,Lovelace,a@example.org,Engines,b@example.org,10 Dec 2023\n",
        "the column “Email Address” twice (columns 3 and 5)",
    ),
    "cut.csv": (HEADER.encode() + b'Ana,"Broken,x', "the quote opened on line 2 is never closed"),
}


def database_state() -> dict[str, tuple[int, object]]:
    """Rows and the highest id of every Grapevine table (and the pending uploads)."""
    state = {}
    for model in apps.get_models():
        if model.__module__.startswith("grapevine."):
            manager = model._default_manager
            state[model._meta.label] = (
                manager.count(),
                manager.order_by("-pk").values_list("pk", flat=True).first(),
            )
    return state


@pytest.fixture
def before(owner):
    Person.objects.create(owner=owner, full_name="Already Here")
    return database_state()


def cli(*args: str):
    return CliRunner(env={"COLUMNS": "200"}).invoke(get_app(), list(args))


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_cli_refuses_with_one_sentence_and_changes_nothing(owner, before, tmp_path, name):
    data, words = REFUSED[name]
    path = tmp_path / name
    path.write_bytes(data)
    result = cli("import", str(path))
    assert result.exit_code == 1, result.output
    message = result.output.strip()
    assert words in message
    assert "\n" not in message and "Traceback" not in message and "unexpected" not in message
    assert database_state() == before


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_upload_page_refuses_with_one_sentence_and_changes_nothing(
    owner, owner_client, before, settings, name
):
    data, words = REFUSED[name]
    response = owner_client.post(
        reverse("transfer:home"), {"file": SimpleUploadedFile(name, data), "contact_list": "B"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert words in page
    assert "unexpected error" not in page
    assert database_state() == before
    folder = settings.DATA_DIR / "imports"
    assert not folder.exists() or not any(folder.iterdir())  # nothing of it kept


def test_a_zip_over_the_total_limit_is_refused_before_it_is_expanded(
    owner, before, settings, monkeypatch, tmp_path
):
    settings.MAX_UNZIPPED_MB = 1
    members = {
        "Connections.csv": connections(5000),  # about 0.4 MB each, compressed well under 100x
        "messages.csv": b"FROM,TO,DATE,CONTENT\n" + b"Ada,Sam,2024-01-01,hello there\n" * 30000,
    }
    path = tmp_path / "export.zip"
    path.write_bytes(zipped(members))

    def no_expanding(*args, **kwargs):
        raise AssertionError("a member was expanded")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_expanding)
    result = cli("import", str(path))
    assert result.exit_code == 1
    assert "the limit is 1 MB (GRAPEVINE_MAX_UNZIPPED_MB)" in result.output
    assert database_state() == before


def test_the_size_said_is_the_real_size(owner, owner_client, before, settings, tmp_path):
    settings.MAX_UPLOAD_MB = 1
    big = connections(1) + b"x" * (3 * 1024 * 1024)
    page = owner_client.post(
        reverse("transfer:home"), {"file": SimpleUploadedFile("big.csv", big), "contact_list": "B"}
    ).content.decode()
    assert "is 3.0 MB; the limit is 1 MB" in page
    path = tmp_path / "big.csv"
    path.write_bytes(big)
    assert "is 3.0 MB; the limit is 1 MB" in cli("import", str(path)).output
    assert database_state() == before


def test_the_cli_reads_only_regular_files(owner, before, tmp_path):
    devnull = cli("import", "/dev/zero")
    assert devnull.exit_code == 1
    assert "/dev/zero is not a regular file" in devnull.output
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.csv"
        os.mkfifo(fifo)  # no writer: opening it for reading would block forever
        piped = cli("import", str(fifo))
        assert piped.exit_code == 1 and "is not a regular file" in piped.output
    assert cli("import", str(tmp_path)).output.strip().endswith("give the path of one file.")
    assert database_state() == before


# -- Imported, but cleaned and said ------------------------------------------------------


def test_control_characters_are_removed_and_said(owner):
    data = (HEADER + "Ada\x07,Love\x1blace,,,Engines\x0b Ltd,Ana\x7flyst,10 Dec 2023\n").encode()
    plan = import_file(owner, "controls.csv", data)
    ada = Person.objects.get(owner=owner)
    assert (ada.full_name, ada.job_title) == ("Ada Lovelace", "Analyst")
    assert ada.organisation.name == "Engines Ltd"
    assert [(n.line, n.reason) for n in plan.notices] == [
        (2, "Control characters in this row were removed.")
    ]


def test_a_name_longer_than_its_field_is_cut_and_said(owner, owner_client):
    data = (HEADER + "Ada," + "L" * 100_000 + ",,,Engines,Analyst,10 Dec 2023\n").encode()
    response = owner_client.post(
        reverse("transfer:home"),
        {"file": SimpleUploadedFile("long.csv", data), "contact_list": "B"},
    )
    preview = owner_client.get(response["Location"]).content.decode()
    assert "The name has 100,004 characters; Grapevine keeps the first 200." in preview
    assert "The family name has 100,000 characters; Grapevine keeps the first 100." in preview
    pending = PendingImport.objects.get(owner=owner)
    owner_client.post(reverse("transfer:confirm", args=[pending.public_id]))
    ada = Person.objects.get(owner=owner)
    assert (len(ada.full_name), len(ada.family_name)) == (200, 100)


def test_unsafe_links_are_not_stored(owner):
    card = (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\nFN:Evil Corp\r\nORG:Evil Corp\r\n"
        "URL:javascript:alert(document.cookie)\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Eve\r\nN:;Eve;;;\r\n"
        "URL:javascript://www.linkedin.com/in/eve%0aalert(1)\r\nEND:VCARD\r\n"
    )
    import_file(owner, "evil.vcf", card.encode())
    assert Organisation.objects.get(owner=owner, name="Evil Corp").website == ""
    eve = Person.objects.get(owner=owner, full_name="Eve")
    assert eve.linkedin_url == "" or eve.linkedin_url.startswith("https://www.linkedin.com/in/")


def test_nothing_partial_is_stored_when_a_file_fails_half_way(owner, before, tmp_path):
    """A damaged zip whose first member is fine: the plan is never applied."""
    data = bytearray(
        zipped(
            {
                "Connections.csv": connections(50),
                "messages.csv": b"FROM,TO,DATE,CONTENT\nA,B,2024-01-01,hi\n",
            },
            zipfile.ZIP_STORED,
        )
    )
    at = data.index(b"hi\n")
    data[at] ^= 0x01
    path = tmp_path / "export.zip"
    path.write_bytes(bytes(data))
    result = cli("import", str(path))
    assert result.exit_code == 1 and "messages.csv fails its checksum" in result.output
    assert database_state() == before
