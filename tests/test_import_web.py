"""The web side of issue 3: upload → preview → confirm, downloads, duplicates and merge."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grapevine.contacts.models import Person
from grapevine.contacts.services import PersonData, person_create
from grapevine.transfer.models import PendingImport

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "data" / "transfer" / "samples"  # copy of ../shared/samples
DATA = Path(__file__).parent / "data" / "transfer"


def upload(client, path: Path, **extra):
    data = {"file": SimpleUploadedFile(path.name, path.read_bytes()), "contact_list": "B", **extra}
    return client.post(reverse("transfer:home"), data)


def test_upload_previews_then_imports_on_confirm(owner, owner_client):
    page = owner_client.get(reverse("transfer:home"))
    assert b"Import / export" in page.content and b"Preview the import" in page.content
    response = upload(owner_client, SAMPLES / "google" / "contacts.csv", contact_list="A")
    assert response.status_code == 302
    pending = PendingImport.objects.get(owner=owner)
    assert pending.path.exists()
    preview = owner_client.get(response["Location"])
    text = preview.content.decode()
    assert "google-csv" in text and "list A" in text
    assert "Thomas Sandoval" in text  # a sample row
    assert "<td>12</td>" in text  # twelve new people
    assert not Person.objects.filter(owner=owner).exists()  # nothing saved yet
    done = owner_client.post(reverse("transfer:confirm", args=[pending.public_id]))
    assert done.status_code == 200
    assert "12 new" in done.content.decode()
    assert Person.objects.filter(owner=owner, contact_list="A").count() == 12
    assert not PendingImport.objects.exists() and not pending.path.exists()


def test_another_user_cannot_see_or_confirm_an_upload(owner_client, other_client, owner):
    upload(owner_client, SAMPLES / "outlook" / "contacts.csv")
    pending = PendingImport.objects.get(owner=owner)
    assert (
        other_client.get(reverse("transfer:preview", args=[pending.public_id])).status_code == 404
    )
    assert (
        other_client.post(reverse("transfer:confirm", args=[pending.public_id])).status_code == 404
    )
    assert (
        other_client.post(reverse("transfer:cancel", args=[pending.public_id])).status_code == 404
    )
    assert not Person.objects.exists()


def test_a_bad_file_is_one_sentence_on_the_form(owner, owner_client, settings):
    response = owner_client.post(
        reverse("transfer:home"),
        {"file": SimpleUploadedFile("photo.csv", b"\x00\x01\x02binary"), "contact_list": "B"},
    )
    assert response.status_code == 400
    assert "is a binary file" in response.content.decode()
    assert not PendingImport.objects.exists()
    assert not list((settings.DATA_DIR / "imports").iterdir())  # the stored copy is gone too


def test_a_file_over_the_limit_is_refused(owner, owner_client, settings):
    settings.MAX_UPLOAD_MB = 1
    big = b"First Name,Last Name,Company\n" + b"Ada,Lovelace,Engines\n" * 60000
    response = owner_client.post(
        reverse("transfer:home"),
        {"file": SimpleUploadedFile("big.csv", big), "contact_list": "B"},
    )
    assert response.status_code == 400
    assert "the limit is 1 MB" in response.content.decode()
    assert not PendingImport.objects.exists()


def test_a_plan_gone_from_the_disk_goes_back_with_a_message(owner, owner_client):
    response = upload(owner_client, DATA / "connections_2022.csv")
    pending = PendingImport.objects.get(owner=owner)
    pending.plan_path.unlink()  # as if the data folder had been cleaned
    followed = owner_client.get(response["Location"], follow=True)
    assert "upload it again" in followed.content.decode()
    assert not Person.objects.exists()


def test_bad_rows_are_listed_and_the_checkbox_skips_them(owner, owner_client):
    response = upload(owner_client, DATA / "connections_bad_rows.csv")
    text = owner_client.get(response["Location"]).content.decode()
    assert "cannot be imported as it is" in text and "Line 3:" in text and "Line 5:" in text
    response = upload(owner_client, DATA / "connections_bad_rows.csv", skip_bad_rows="on")
    pending = PendingImport.objects.filter(owner=owner, skip_bad_rows=True).get()
    text = owner_client.get(response["Location"]).content.decode()
    assert "Left out" in text and "Line 3:" in text
    owner_client.post(reverse("transfer:confirm", args=[pending.public_id]))
    assert Person.objects.filter(owner=owner).count() == 3  # the bad e-mail alone is left out


def test_downloads(owner, owner_client, other):
    person_create(owner, PersonData(full_name="=Ada Lovelace", contact_list="A"))
    person_create(owner, PersonData(full_name="Bob Builder", contact_list="B"))
    person_create(other, PersonData(full_name="Not Mine"))
    zipped = owner_client.get(reverse("transfer:export_csv"))
    assert zipped["Content-Disposition"].startswith("attachment")
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        people = archive.read("people.csv").decode("utf-8-sig")
    assert "'=Ada Lovelace" in people and "Not Mine" not in people
    cards = owner_client.get(
        reverse("transfer:export_vcard"), {"contact_list": "A"}
    ).content.decode()
    assert cards.count("BEGIN:VCARD") == 1 and "Ada" in cards
    backup = json.loads(owner_client.get(reverse("transfer:export_backup")).content)
    assert {p["full_name"] for p in backup["models"]["contacts.person"]} == {
        "=Ada Lovelace",
        "Bob Builder",
    }


def test_duplicates_page_and_merge_flow(owner, owner_client, other_client):
    empty = owner_client.get(reverse("transfer:duplicates")).content.decode()
    assert "No likely duplicates" in empty
    keep = person_create(owner, PersonData(full_name="Jon Smith", emails=["jon@example.org"]))
    drop = person_create(
        owner, PersonData(full_name="Jonathan Smith", emails=["jon@example.org", "js@work.example"])
    )
    page = owner_client.get(reverse("transfer:duplicates")).content.decode()
    assert "Jonathan Smith" in page and "same e-mail jon@example.org" in page
    url = reverse("transfer:merge_confirm", args=[keep.public_id, drop.public_id])
    confirm = owner_client.get(url).content.decode()
    assert "Kept:</strong> Jon Smith" in confirm and "js@work.example" in confirm
    assert other_client.post(url).status_code == 404
    merged = owner_client.post(url)
    assert merged.status_code == 302
    assert list(Person.objects.filter(owner=owner)) == [keep]
    assert sorted(e.address for e in keep.emails.all()) == ["jon@example.org", "js@work.example"]


def test_merge_with_any_person_by_hand(owner, owner_client):
    a = person_create(owner, PersonData(full_name="Grace Hopper"))
    person_create(owner, PersonData(full_name="G. Hopper"))
    page = owner_client.get(reverse("transfer:merge_pick", args=[a.public_id]), {"q": "hopper"})
    text = page.content.decode()
    assert "G. Hopper" in text
    assert text.count("Grace Hopper") >= 1 and f"/merge/{a.public_id}/with/" in text


def test_nav_links_to_import_export(owner_client):
    page = owner_client.get(reverse("core:dashboard")).content.decode()
    assert reverse("transfer:home") in page


def test_imported_postings_are_listed_for_their_owner_only(owner, owner_client, other_client):
    empty = owner_client.get(reverse("targets:posting_list")).content.decode()
    assert "No job postings yet" in empty
    from grapevine.transfer.services import import_path

    import_path(owner, SAMPLES / "postings" / "postings.csv")
    page = owner_client.get(reverse("targets:posting_list")).content.decode()
    assert "Secretary/administrator" in page and "as “Acme Corp”" in page
    searched = owner_client.get(
        reverse("targets:posting_list"), {"q": "librarian"}
    ).content.decode()
    assert "Academic librarian" in searched and "Secretary/administrator" not in searched
    assert (
        "No job postings yet" in other_client.get(reverse("targets:posting_list")).content.decode()
    )
