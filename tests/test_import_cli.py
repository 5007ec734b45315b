"""`grapevine import`, run in-process as a user would type it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from grapevine.cli import get_app
from grapevine.contacts.models import Person

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "data" / "transfer" / "samples"  # copy of ../shared/samples
DATA = Path(__file__).parent / "data" / "transfer"


def grapevine(*args: str) -> Result:
    return CliRunner(env={"COLUMNS": "200"}).invoke(get_app(), list(args))


def test_json_prints_exactly_the_counts_and_a_second_run_creates_nothing(owner):
    first = grapevine("import", str(SAMPLES / "linkedin" / "Connections.csv"), "--json")
    assert first.exit_code == 0, first.output
    data = json.loads(first.output)
    assert set(data) == {
        "format",
        "created",
        "updated",
        "unchanged",
        "skipped",
        "notices",
        "possible_duplicates",
    }
    assert data["format"] == "linkedin-connections"
    assert data["created"] == Person.objects.filter(owner=owner).count() > 0
    assert data["skipped"] == [
        {"line": 65, "reason": "No name, only a date: a connection who left LinkedIn."}
    ]
    again = json.loads(
        grapevine("import", str(SAMPLES / "linkedin" / "Connections.csv"), "--json").output
    )
    assert again["created"] == 0
    assert again["unchanged"] == data["created"]


def test_list_option_and_dry_run(owner):
    dry = grapevine("import", str(SAMPLES / "google" / "contacts.csv"), "--list", "a", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "dry run" in dry.output
    assert not Person.objects.filter(owner=owner).exists()
    done = grapevine("import", str(SAMPLES / "google" / "contacts.csv"), "--list", "A")
    assert "12 new" in done.output
    assert set(Person.objects.filter(owner=owner).values_list("contact_list", flat=True)) == {"A"}


def test_bad_list_and_missing_file_are_one_sentence(owner, tmp_path):
    bad = grapevine("import", str(SAMPLES / "google" / "contacts.csv"), "--list", "D")
    assert bad.exit_code == 2
    assert "There is no list “D”" in bad.output
    missing = grapevine("import", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 1
    assert "There is no file at" in missing.output
    assert "Traceback" not in missing.output


def test_bad_rows_fail_the_file_unless_skipped(owner):
    path = DATA / "connections_bad_rows.csv"
    failed = grapevine("import", str(path), "--json")
    assert failed.exit_code == 1
    assert "Line 3:" in failed.output and "Nothing was imported" in failed.output
    assert not Person.objects.filter(owner=owner).exists()
    skipped = grapevine("import", str(path), "--skip-bad-rows", "--json")
    assert skipped.exit_code == 0, skipped.output
    data = json.loads(skipped.output)
    assert data["created"] == 3  # the row with a bad e-mail is kept, without it
    assert [s["line"] for s in data["skipped"]] == [3, 5]
    assert "not an e-mail address" in data["skipped"][0]["reason"]
    assert "not a date" in data["skipped"][1]["reason"]


def test_user_option_picks_the_account(owner, other):
    result = grapevine(
        "import", str(SAMPLES / "outlook" / "contacts.csv"), "--user", other.email, "--json"
    )
    assert result.exit_code == 0, result.output
    assert Person.objects.filter(owner=other).count() == json.loads(result.output)["created"]
    assert not Person.objects.filter(owner=owner).exists()
