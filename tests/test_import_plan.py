"""One import plan (issue 16): the upload is parsed once into a plan; the preview shows it
without writing a byte; confirming applies exactly that plan; the CLI's --dry-run shows
the same plan; a plan read against data that changed since is made again, not applied."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from typer.testing import CliRunner

from grapevine.cli import get_app
from grapevine.contacts.models import PastEmployment, Person
from grapevine.contacts.services import PersonData, person_update
from grapevine.journal.models import Entry, Kind
from grapevine.transfer.models import PendingImport
from grapevine.transfer.services import import_path

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data" / "transfer"
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "SAVEPOINT")


def big_connections(rows: int) -> bytes:
    lines = ["First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    for i in range(rows):
        email = f"person{i}@example.org" if i % 3 == 0 else ""
        lines.append(
            f"Given{i % 97},Family{i},https://www.linkedin.com/in/p-{i},{email},"
            f"Company {i % 500} Inc,Engineer,{1 + i % 28:02d} Mar 2021"
        )
    return ("\n".join(lines) + "\n").encode()


def upload(client, name: str, data: bytes, **extra):
    return client.post(
        reverse("transfer:home"),
        {"file": SimpleUploadedFile(name, data), "contact_list": "B", **extra},
    )


def database_bytes() -> object:
    """SQLite: the database image itself, byte for byte; PostgreSQL: the rows this
    transaction inserted, updated and deleted, per table (pg_stat_xact_user_tables)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.serialize()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables "
            "ORDER BY relname"
        )
        return cursor.fetchall()


def test_the_preview_of_30000_rows_writes_nothing_and_confirm_applies_that_plan(
    owner, owner_client
):
    response = upload(owner_client, "Connections.csv", big_connections(30_000))
    assert response.status_code == 302
    pending = PendingImport.objects.get(owner=owner)
    assert not Person.objects.filter(owner=owner).exists()
    before = database_bytes()
    with CaptureQueriesContext(connection) as queries:
        pages = [
            owner_client.get(response["Location"]),
            owner_client.get(response["Location"], {"show": "new", "page": "300"}),
            owner_client.get(response["Location"], {"show": "skip"}),
        ]
    assert [p.status_code for p in pages] == [200, 200, 200]
    assert database_bytes() == before
    assert not [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    first, last_page = pages[0].content.decode(), pages[1].content.decode()
    assert "<td>30000</td>" in first and "Page 1 of 300" in first
    assert f"Given{29999 % 97} Family29999" in last_page and "Page 300 of 300" in last_page

    done = owner_client.post(reverse("transfer:confirm", args=[pending.public_id]))
    assert done.status_code == 200 and "30000 new" in done.content.decode()
    assert Person.objects.filter(owner=owner).count() == 30_000
    assert Entry.objects.filter(owner=owner, kind=Kind.CONNECTED).count() == 30_000
    assert Person.objects.get(owner=owner, linkedin_url="https://www.linkedin.com/in/p-29999")


def test_confirm_applies_exactly_the_plan_shown(owner, owner_client):
    sample = DATA / "samples" / "linkedin" / "Connections.csv"
    import_path(owner, sample)
    people_before = Person.objects.filter(owner=owner).count()
    changed = sample.read_text(encoding="utf-8").replace(
        "Shaun,Castro,https://www.linkedin.com/in/shaun-castro,,Massive Dynamic,",
        "Shaun,Castro,https://www.linkedin.com/in/shaun-castro,,Initech,",
    )
    changed += "Margaret,Hamilton,https://www.linkedin.com/in/mhamilton,,MIT,Director,01 Aug 2023\n"
    response = upload(owner_client, "Connections.csv", changed.encode())
    preview = owner_client.get(response["Location"], {"show": "update"}).content.decode()
    assert "update person</td><td>Shaun Castro" in preview
    assert "organisation Initech (the old one is kept as past employment)" in preview
    new = owner_client.get(response["Location"], {"show": "new"}).content.decode()
    assert "new person</td><td>Margaret Hamilton" in new
    pending = PendingImport.objects.get(owner=owner)
    assert (pending.summary["created"], pending.summary["updated"]) == (1, 1)
    owner_client.post(reverse("transfer:confirm", args=[pending.public_id]))
    shaun = Person.objects.get(owner=owner, full_name="Shaun Castro")
    assert shaun.organisation.name == "Initech"
    assert PastEmployment.objects.get(person=shaun).organisation_name == "Massive Dynamic"
    assert "initech" in shaun.search_text
    assert Person.objects.filter(owner=owner).count() == people_before + 1
    assert Person.objects.filter(owner=owner, full_name="Margaret Hamilton").exists()


def test_a_plan_read_before_the_data_changed_is_made_again_not_applied(owner, owner_client):
    import_path(owner, DATA / "connections_2022.csv")
    grace = Person.objects.get(owner=owner, family_name="Hopper")
    changed = (DATA / "connections_2022.csv").read_text().replace("US Navy", "Yale")
    response = upload(owner_client, "Connections.csv", changed.encode())
    pending = PendingImport.objects.get(owner=owner)
    assert "organisation Yale" in owner_client.get(response["Location"]).content.decode()
    # Meanwhile the user moves Grace to Harvard by hand.
    person_update(
        grace,
        PersonData(contact_list="B", organisation_name="Harvard", emails=["grace@example.org"]),
    )
    followed = owner_client.post(reverse("transfer:confirm", args=[pending.public_id]), follow=True)
    text = followed.content.decode()
    assert "Your contacts changed since this preview was made" in text
    grace.refresh_from_db()
    assert grace.organisation.name == "Harvard"  # nothing of the old plan applied
    owner_client.post(reverse("transfer:confirm", args=[pending.public_id]))
    grace.refresh_from_db()
    assert grace.organisation.name == "Yale"


def test_the_cli_dry_run_shows_the_plan_the_upload_page_shows(owner, owner_client):
    path = DATA / "classes" / "google_namesakes.csv"
    before = database_bytes()
    dry = CliRunner(env={"COLUMNS": "200"}).invoke(
        get_app(), ["import", str(path), "--dry-run", "--json"]
    )
    assert dry.exit_code == 0, dry.output
    assert database_bytes() == before  # a dry run writes nothing
    plan = json.loads(dry.output)["plan"]
    response = upload(owner_client, path.name, path.read_bytes())
    page = owner_client.get(response["Location"]).content.decode()
    for row in plan:
        assert f"<td>{row['line']}</td><td>{row['action']} {row['what']}</td>" in page
        assert row["why"].replace("'", "&#x27;") in page
    assert [r["action"] for r in plan] == ["new", "new", "new", "new", "new", "update"]
    text = CliRunner(env={"COLUMNS": "200"}).invoke(get_app(), ["import", str(path), "--dry-run"])
    assert (
        "line 3: new person Maria Garcia — Kept apart from line 2 of the same name" in text.output
    )
    assert "line 3: possible duplicate: Maria Garcia" in text.output


def test_search_text_is_what_the_contacts_services_would_store(owner, tmp_path):
    from grapevine.contacts.services import organisation_update, person_search_text

    import_path(owner, DATA / "samples" / "google" / "contacts.csv")
    acme = Person.objects.filter(owner=owner, organisation__name="Acme Corporation").first()
    assert acme is not None
    organisation_update(acme.organisation, aliases=["Acme Widgets"])
    tagged = tmp_path / "tags.csv"
    tagged.write_text(
        "First Name,Last Name,Organization Name,E-mail 1 - Value,Labels\n"
        "Steve,Lin,Acme Corporation,steve@example.org,beta ::: Alpha ::: zeta\n"
        "New,Person,Acme Widgets,new@example.org,alpha\n"
    )
    import_path(owner, tagged)
    people = Person.objects.filter(owner=owner).select_related("organisation")
    assert people.count() > 10
    for person in people:
        assert person.search_text == person_search_text(person), person.full_name
    assert "acme widgets" in Person.objects.get(owner=owner, full_name="New Person").search_text


def test_a_damaged_stored_plan_is_one_sentence(owner, owner_client):
    response = upload(owner_client, "c.csv", (DATA / "connections_2022.csv").read_bytes())
    pending = PendingImport.objects.get(owner=owner)
    pending.plan_path.write_text('{"version": 1, "sizes": [5')
    followed = owner_client.get(response["Location"], follow=True)
    assert "The stored preview cannot be read: upload the file again." in followed.content.decode()
    confirmed = owner_client.post(
        reverse("transfer:confirm", args=[pending.public_id]), follow=True
    )
    assert "cannot be read" in confirmed.content.decode()
    assert not Person.objects.filter(owner=owner).exists()
