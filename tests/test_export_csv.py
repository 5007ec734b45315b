"""CSV export: people, organisations and the journal, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from typer.testing import CliRunner

from grapevine.cli import get_app
from grapevine.transfer.exports import csv_files, safe_cell
from tests.factories import EntryFactory, OrganisationFactory, PersonEmailFactory, PersonFactory

pytestmark = pytest.mark.django_db


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_cells_are_neutralised(start):
    assert safe_cell(f'{start}HYPERLINK("http://evil")') == f'\'{start}HYPERLINK("http://evil")'


def test_plain_cells_are_untouched():
    assert safe_cell("Acme Corp") == "Acme Corp"
    assert safe_cell(None) == ""


def test_people_organisations_and_journal(owner, other):
    org = OrganisationFactory(owner=owner, name="Acme")
    ada = PersonFactory(
        owner=owner, full_name="=cmd|' /C calc'!A0", organisation=org, job_title="@SUM(1)"
    )
    PersonEmailFactory(person=ada, address="ada@example.org")
    PersonFactory(owner=other, full_name="Not Mine")
    entry = EntryFactory(owner=owner, subject="+1 coffee", kind="meeting")
    entry.people.add(ada)
    files = csv_files(owner)
    people = rows(files["people.csv"])
    assert [p["name"] for p in people] == ["'=cmd|' /C calc'!A0"]
    assert people[0]["title"] == "'@SUM(1)"
    assert people[0]["e-mails"] == "ada@example.org"
    assert people[0]["organisation"] == "Acme"
    orgs = rows(files["organisations.csv"])
    assert [(o["name"], o["people"]) for o in orgs] == [("Acme", "1")]
    journal = rows(files["journal.csv"])
    assert journal[0]["subject"] == "'+1 coffee"
    assert journal[0]["people"] == "'=cmd|' /C calc'!A0"


def test_cli_writes_a_folder_or_a_zip(owner, tmp_path):
    PersonFactory(owner=owner, full_name="Grace Hopper")
    runner = CliRunner()
    folder = runner.invoke(get_app(), ["export", "csv", str(tmp_path / "out")])
    assert folder.exit_code == 0, folder.output
    assert "Grace Hopper" in (tmp_path / "out" / "people.csv").read_text(encoding="utf-8-sig")
    zipped = runner.invoke(get_app(), ["export", "csv", str(tmp_path / "export.zip")])
    assert zipped.exit_code == 0, zipped.output
    with zipfile.ZipFile(tmp_path / "export.zip") as archive:
        assert sorted(archive.namelist()) == ["journal.csv", "organisations.csv", "people.csv"]
    one = runner.invoke(get_app(), ["export", "csv", str(tmp_path / "people.csv")])
    assert one.exit_code == 0, one.output
    assert (tmp_path / "people.csv").read_text(encoding="utf-8-sig").startswith("id,name,")
    journal = runner.invoke(
        get_app(), ["export", "csv", str(tmp_path / "j.csv"), "--what", "journal"]
    )
    assert journal.exit_code == 0, journal.output
    assert (tmp_path / "j.csv").read_text(encoding="utf-8-sig").startswith("id,date,kind,")
    wrong = runner.invoke(get_app(), ["export", "csv", str(tmp_path / "x.csv"), "--what", "notes"])
    assert wrong.exit_code == 2 and "There is no table “notes”" in wrong.output
    nowhere = runner.invoke(get_app(), ["export", "csv", str(tmp_path / "missing" / "x.zip")])
    assert nowhere.exit_code == 1
    assert "There is no folder" in nowhere.output
