"""Backup → restore into an empty account → backup gives the same data (issue 3)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from grapevine.accounts.models import User
from grapevine.cli import get_app
from grapevine.contacts.models import Person, Referral
from grapevine.contacts.services import (
    PersonData,
    organisation_create,
    person_create,
    person_update,
)
from grapevine.journal.models import Entry
from grapevine.targets.models import JobPosting
from grapevine.transfer.backup import (
    BackupUnsupported,
    RestoreRefused,
    backup_data,
    backup_models,
    restore_data,
    sqlite_copy,
)
from grapevine.transfer.services import import_path
from tests.factories import EntryFactory, ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "data" / "transfer" / "samples"  # copy of ../shared/samples


def fill(owner: User) -> None:
    import_path(owner, SAMPLES / "linkedin" / "Connections.csv")
    import_path(owner, SAMPLES / "google" / "contacts.csv", contact_list="A")
    import_path(owner, SAMPLES / "postings" / "postings.csv")
    organisation_create(owner, name="International Business Machines", aliases=["IBM", "Big Blue"])
    shaun = Person.objects.get(owner=owner, full_name="Shaun Castro")
    person_update(
        shaun,
        PersonData(
            organisation_name="IBM",
            job_title="Architect",
            contact_list="C",
            emails=["s@example.org"],
            tags=["warm"],
        ),
    )
    a, b = Person.objects.filter(owner=owner)[:2]
    ReferralFactory(
        owner=owner,
        referrer=a,
        referred=b,
        may_use_name=True,
        will_introduce=True,
        preferred_channel="call",
        reason="knows the team",
    )
    entry = EntryFactory(owner=owner, kind="meeting", subject="Coffee", notes="**notes**")
    entry.people.set([a, b])


def without_timestamp(data):
    return {k: v for k, v in data.items() if k not in {"exported_at", "account"}}


def test_round_trip_is_identical(owner):
    fill(owner)
    first = backup_data(owner)
    assert first["format"] == "grapevine-backup" and first["version"] == 1
    models = first["models"]
    assert len(models["contacts.person"]) == Person.objects.filter(owner=owner).count()
    assert models["contacts.pastemployment"][0]["organisation_name"] == "Massive Dynamic"
    assert {a["name"] for a in models["contacts.organisationalias"]} == {"IBM", "Big Blue"}
    referral = models["contacts.referral"][0]
    assert (
        referral["may_use_name"],
        referral["will_introduce"],
        referral["preferred_channel"],
    ) == (True, True, "call")
    assert len(models["targets.jobposting"]) == JobPosting.objects.filter(owner=owner).count()
    public_ids = set(Person.objects.filter(owner=owner).values_list("public_id", flat=True))
    text = json.dumps(first)

    # A fresh start: the account and everything in it is gone.
    owner.delete()
    assert not Person.objects.exists()
    fresh = UserFactory(email="fresh@example.org")
    counts = restore_data(fresh, json.loads(text))
    assert counts["contacts.person"] == len(public_ids)
    assert set(Person.objects.filter(owner=fresh).values_list("public_id", flat=True)) == public_ids
    second = backup_data(fresh)
    assert without_timestamp(second) == without_timestamp(first)
    assert Referral.objects.get(owner=fresh).reason == "knows the team"
    assert Entry.objects.get(owner=fresh, subject="Coffee").people.count() == 2


def test_every_owned_model_of_every_app_is_in_the_backup():
    labels = {m._meta.label_lower for m in backup_models()}
    assert {
        "contacts.person",
        "contacts.personemail",
        "contacts.referral",
        "journal.entry",
        "targets.jobposting",
    } <= labels
    assert "transfer.pendingimport" not in labels


def test_restore_refuses_an_account_with_data(owner, other):
    fill(owner)
    data = backup_data(owner)
    person_create(other, PersonData(full_name="Already Here"))
    with pytest.raises(RestoreRefused, match="already has contacts"):
        restore_data(other, data)
    assert Person.objects.filter(owner=other).count() == 1


def test_restore_refuses_what_is_not_a_backup(owner):
    with pytest.raises(RestoreRefused, match="not a Grapevine backup"):
        restore_data(owner, {"people": []})
    with pytest.raises(RestoreRefused, match="version 99"):
        restore_data(owner, {"format": "grapevine-backup", "version": 99, "models": {}})


def test_cli_backup_restore_and_refusal(owner, tmp_path):
    fill(owner)
    runner = CliRunner()
    path = tmp_path / "backup.json"
    written = runner.invoke(get_app(), ["export", "backup", str(path), "--user", owner.email])
    assert written.exit_code == 0, written.output
    again = runner.invoke(get_app(), ["restore", str(path), "--user", owner.email])
    assert again.exit_code == 1
    assert "already has contacts" in again.output
    fresh = UserFactory(email="fresh@example.org")
    clash = runner.invoke(get_app(), ["restore", str(path), "--user", fresh.email])
    assert clash.exit_code == 1 and "restore it into a fresh data folder" in clash.output
    people = Person.objects.filter(owner=owner).count()
    owner.delete()
    restored = runner.invoke(get_app(), ["restore", str(path), "--user", fresh.email, "--json"])
    assert restored.exit_code == 0, restored.output
    assert (
        json.loads(restored.output)["contacts.person"]
        == people
        == Person.objects.filter(owner=fresh).count()
    )
    junk = tmp_path / "junk.json"
    junk.write_text("not json")
    bad = runner.invoke(get_app(), ["restore", str(junk), "--user", UserFactory().email])
    assert bad.exit_code == 1 and "is not a Grapevine backup" in bad.output


def test_sqlite_online_backup_copies_a_database_in_use(tmp_path):
    source = tmp_path / "live.sqlite3"
    db = sqlite3.connect(source)
    db.execute("CREATE TABLE t (x)")
    db.execute("INSERT INTO t VALUES (42)")
    db.commit()
    db.execute("BEGIN")
    db.execute("INSERT INTO t VALUES (43)")  # a write in progress is not in the copy
    target = sqlite_copy(tmp_path / "copy.sqlite3", source_path=source)
    db.rollback()
    db.close()
    assert sqlite3.connect(target).execute("SELECT x FROM t").fetchall() == [(42,)]
    with pytest.raises(BackupUnsupported, match="already exists"):
        sqlite_copy(target, source_path=source)


@pytest.mark.django_db(transaction=True)  # as in real use: no transaction left open
def test_cli_backup(tmp_path, settings):
    result = CliRunner().invoke(get_app(), ["backup", str(tmp_path / "copy.sqlite3")])
    if "sqlite" in settings.DATABASES["default"]["ENGINE"]:
        assert result.exit_code == 0, result.output
        assert (tmp_path / "copy.sqlite3").exists()
    else:
        assert result.exit_code == 1 and "pg_dump" in result.output
