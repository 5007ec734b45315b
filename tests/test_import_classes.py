"""Real-world files of each class that came out wrong (issue 16), written for these tests
from the formats' specifications (RFC 6350/2426 for vCard, RFC 4180 for CSV) and the
habits of the exporters that write them: see tests/data/transfer/classes/README.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from grapevine.contacts.models import Organisation, PastEmployment, Person
from grapevine.journal.models import Entry, Kind
from grapevine.targets.models import JobPosting
from grapevine.transfer.formats import BadFile
from grapevine.transfer.plan import ImportFailed
from grapevine.transfer.services import import_file, import_path

pytestmark = pytest.mark.django_db
CLASSES = Path(__file__).parent / "data" / "transfer" / "classes"


def names(owner) -> list[str]:
    return sorted(Person.objects.filter(owner=owner).values_list("full_name", flat=True))


def person(owner, full_name: str) -> Person:
    return Person.objects.get(owner=owner, full_name=full_name)


def rows_of_every_table():
    return {
        model.__name__: model.objects.count()
        for model in (Person, Organisation, Entry, JobPosting, PastEmployment)
    }


# -- 1. Text that is not UTF-8 -------------------------------------------------------


def test_vcard_with_shift_jis_declared_per_property(owner):
    owner.country = "JP"
    owner.save()
    result = import_path(owner, CLASSES / "vcard21_shift_jis.vcf")
    assert result.created == 1
    taro = person(owner, "山田 太郎")
    assert (taro.family_name, taro.given_name) == ("山田", "太郎")
    assert taro.organisation.name == "株式会社テスト"
    assert taro.notes == "勉強会で会った"
    assert [(p.number, p.label) for p in taro.phones.all()] == [
        ("+819012345678", "mobile"),
        ("+81312345678", "home"),
    ]


def test_vcard_with_windows_1252_declared(owner):
    import_path(owner, CLASSES / "vcard21_windows1252.vcf")
    jose = person(owner, "José Núñez")
    assert (jose.family_name, jose.title_prefix) == ("Núñez", "Sr.")
    assert jose.organisation.name == "Telefónica, S.A."
    assert jose.job_title == "Director de Ingeniería"
    assert jose.notes == "Conocido en el café; habla de señales."


def test_eight_bit_vcard_without_a_charset_reads_as_the_accounts_language(owner):
    owner.country = "PL"
    owner.save()
    import_path(owner, CLASSES / "vcard21_8bit_no_charset.vcf")
    assert names(owner) == [
        "Grzegorz Brzęczyszczykiewicz",
        "Paweł Iksiński",
        "Łucja Żółtowska",
    ]
    assert not any("\ufffd" in n for n in Organisation.objects.values_list("name", flat=True))
    assert Organisation.objects.filter(name="Łódzka Spółdzielnia Mleczarska").exists()


def test_outlook_csv_saved_as_windows_1252(owner):
    owner.country = "ES"
    owner.save()
    result = import_path(owner, CLASSES / "outlook_windows1252.csv")
    assert result.format == "outlook-csv"
    jose = Person.objects.get(owner=owner, family_name="Núñez")
    assert jose.full_name == "Sr. José Núñez"  # Outlook's "Title" is the honorific
    assert jose.organisation.name == "Telefónica, S.A."
    assert Person.objects.filter(owner=owner, full_name="Mme Françoise Müller").exists()


def test_a_line_folded_inside_a_character(owner):
    import_path(owner, CLASSES / "vcard30_fold_inside_character.vcf")
    helene = Person.objects.get(owner=owner)
    assert helene.full_name == "Hélène Bérubé-Gagné"
    assert "Rencontrée au salon de l'emploi de Montréal" in helene.notes
    assert "\ufffd" not in helene.notes


def test_utf16_without_a_byte_order_mark(owner):
    result = import_path(owner, CLASSES / "contacts_utf16le_no_bom.csv")
    assert result.created == 2
    assert names(owner) == ["Ada Lovelace", "Zoë Øster"]


def test_a_vcard_that_is_no_text_gets_advice_for_vcards(owner):
    data = b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:" + bytes(range(128, 256)) * 20 + b"\r\nEND:VCARD\r\n"
    data = data.replace(b"BEGIN", b"\x00\x00BEGIN", 1)
    with pytest.raises(BadFile) as caught:
        import_file(owner, "contacts.vcf", data)
    assert "vCard" in str(caught.value) and "CSV" not in str(caught.value)


# -- 2. Postings in other layouts ------------------------------------------------------


def test_postings_from_a_scraper(owner):
    result = import_path(owner, CLASSES / "postings_scraper.csv")
    assert (result.format, result.created) == ("postings-csv", 3)
    analyst = JobPosting.objects.get(owner=owner, title="Data Analyst")
    assert analyst.organisation.name == "Acme Corp."
    assert analyst.location == "Austin, TX"
    assert analyst.posted_at.date().isoformat() == "2024-05-02"
    assert analyst.description == "Work with the finance team.\n\nSQL and Python."
    assert JobPosting.objects.get(owner=owner, title="Product Designer").remote
    # A javascript: link is no link: the posting is kept without it, and the user told.
    manager = JobPosting.objects.get(owner=owner, title="Office Manager")
    assert manager.url == ""
    assert any("javascript:" in n.reason for n in result.notices)


def test_postings_kept_by_hand_and_imported_again(owner, tmp_path):
    first = import_path(owner, CLASSES / "postings_by_hand.csv")
    assert first.format == "postings-csv" and first.created == 2
    backend = JobPosting.objects.get(owner=owner, title="Backend Engineer")
    assert backend.url == "https://globex.example/careers/backend"
    assert backend.organisation.name == "Globex"
    again = import_path(owner, CLASSES / "postings_by_hand.csv")
    assert (again.created, again.updated) == (0, 0)
    changed = tmp_path / "postings.csv"
    changed.write_text(
        (CLASSES / "postings_by_hand.csv").read_text().replace(",Berlin,", ",Hamburg,")
    )
    stamp = backend.updated_at
    assert import_path(owner, changed).updated == 1
    backend.refresh_from_db()
    assert backend.location == "Hamburg"
    assert backend.updated_at > stamp  # a re-imported posting is fresh


def test_a_csv_that_is_neither_says_which_columns_grapevine_looks_for(owner):
    with pytest.raises(BadFile) as caught:
        import_path(owner, CLASSES / "shopping.csv")
    message = str(caught.value)
    assert "title" in message and "company" in message and "First Name" in message
    assert "\n" not in message


# -- 3. Near-miss contact CSVs ---------------------------------------------------------


def test_outlook_with_a_single_name_column(owner):
    result = import_path(owner, CLASSES / "outlook_name_column.csv")
    assert result.format == "outlook-csv"
    assert names(owner) == ["Ana María López", "Dr. Kwame Mensah", "only.an.address@example.net"]
    ana = person(owner, "Ana María López")
    assert (ana.given_name, ana.family_name) == ("Ana", "María López") or ana.family_name.endswith(
        "López"
    )
    assert ana.organisation.name == "Acme Corp." and ana.primary_email == "ana.lopez@example.org"
    kwame = person(owner, "Dr. Kwame Mensah")
    assert (kwame.title_prefix, kwame.family_name) == ("Dr.", "Mensah")
    # The company's own line is an organisation, not a person named after it.
    initech = Organisation.objects.get(owner=owner, name="Initech")
    assert (initech.email, initech.phone) == ("contact@initech.example", "+15125550123")
    assert not Person.objects.filter(owner=owner, full_name="Initech").exists()


def test_gmail_2005_exports(owner):
    assert import_path(owner, CLASSES / "gmail_2005.csv").format == "google-csv"
    bob = person(owner, "Bob Dylan")
    assert bob.primary_email == "bob@example.com" and bob.notes == "Harmonica lessons"
    joan = person(owner, "Joan Baez")
    assert [e.address for e in joan.emails.all()] == ["joan@example.com", "joan.baez@work.example"]
    assert Person.objects.filter(owner=owner, full_name="nameless@example.org").exists()
    import_path(owner, CLASSES / "gmail_2005_sections.csv")
    grace = person(owner, "Grace Hopper")
    assert [e.address for e in grace.emails.all()] == ["grace@example.mil", "g.hopper@navy.example"]
    assert (grace.organisation.name, grace.job_title) == ("US Navy", "Rear Admiral")
    assert grace.phones.get().number == "+12025550147"


# -- 4. Namesakes ------------------------------------------------------------------------


def test_namesakes_with_other_emails_or_phones_are_two_people_listed_as_duplicates(owner):
    result = import_path(owner, CLASSES / "google_namesakes.csv")
    assert Person.objects.filter(owner=owner, full_name="Maria Garcia").count() == 2
    assert Person.objects.filter(owner=owner, full_name="John Smith").count() == 2
    # The same Priya twice (one address in common) is one person with both rows' data.
    priya = person(owner, "Priya Patel")
    assert [e.address for e in priya.emails.all()] == [
        "priya@globex.example",
        "priya.home@example.com",
    ]
    assert priya.phones.get().number == "+16505550133"
    assert [t.name for t in priya.tags.all()] == ["Friends"]
    flagged = {(line, who) for line, who, _why in result.duplicates}
    assert flagged == {(3, "Maria Garcia"), (5, "John Smith")}
    assert "different e-mail addresses" in result.duplicates[0][2]
    # Imported again, nobody is duplicated or merged.
    again = import_path(owner, CLASSES / "google_namesakes.csv")
    assert (again.created, again.updated) == (0, 0)
    assert Person.objects.filter(owner=owner).count() == 5


# -- 5. Groups and companies -------------------------------------------------------------


def test_group_cards_are_skipped_and_company_cards_become_organisations(owner):
    result = import_path(owner, CLASSES / "groups_and_companies.vcf")
    assert names(owner) == ["Ada Lovelace"]
    assert [p.line for p in result.skipped] == [1, 7]
    assert all("group" in p.reason for p in result.skipped)
    orgs = {o.name: o for o in Organisation.objects.filter(owner=owner)}
    assert set(orgs) == {"Initech", "Globex Corporation", "Umbrella Pharmaceuticals"}
    assert (orgs["Initech"].email, orgs["Initech"].phone) == (
        "jobs@initech.example",
        "+15125550123",
    )
    assert orgs["Initech"].website == "https://initech.example"
    assert orgs["Globex Corporation"].phone == "+12125550100"
    assert orgs["Umbrella Pharmaceuticals"].email == "info@umbrella.example"
    assert person(owner, "Ada Lovelace").organisation == orgs["Initech"]


# -- 6. Phones in the right country, with their types -------------------------------------


def test_national_numbers_are_read_in_the_accounts_country(owner):
    owner.country = "DE"
    owner.save()
    import_path(owner, CLASSES / "phones_and_labels.vcf")
    jana = person(owner, "Jana Schmidt")
    assert [(p.number, p.label) for p in jana.phones.all()] == [
        ("+49351223344", "work"),
        ("+491711234567", "mobile"),
        ("+4315123456", "home"),
        ("Sekretariat fragen", "fax"),  # no number: kept exactly as written
    ]
    assert [(e.address, e.label) for e in jana.emails.all()] == [
        ("jana.schmidt@firma.example", "work"),
        ("jana@privat.example", "home"),
    ]


def test_a_number_that_is_not_valid_in_the_country_is_kept_as_written(owner):
    owner.country = "US"
    owner.save()
    import_path(owner, CLASSES / "phones_and_labels.vcf")
    numbers = [p.number for p in person(owner, "Jana Schmidt").phones.all()]
    assert numbers[:2] == ["0351 223344", "0171 1234567"]  # never "+10351223344"
    assert "+4315123456" in numbers  # a number with its country code is read anywhere


# -- 7. Skipping a bad value, not the person ----------------------------------------------


def test_skip_bad_rows_drops_the_bad_value_and_keeps_the_person(owner):
    with pytest.raises(ImportFailed) as caught:
        import_path(owner, CLASSES / "google_bad_email.csv")
    assert str(caught.value).startswith("Line 3: “charles(at)example.org” is not an e-mail")
    assert not Person.objects.exists()
    result = import_path(owner, CLASSES / "google_bad_email.csv", skip_bad_rows=True)
    assert names(owner) == ["Ada Lovelace", "Alan Turing", "Charles Babbage"]
    charles = person(owner, "Charles Babbage")
    assert [e.address for e in charles.emails.all()] == ["babbage@engines.example"]
    assert charles.phones.get().number == "+442079460018"
    assert [(p.line, p.reason) for p in result.skipped] == [
        (
            3,
            "“charles(at)example.org” is not an e-mail address. Left out; the rest of the row "
            "is imported.",
        )
    ]


# -- 8. The display name ----------------------------------------------------------------


def test_the_name_the_card_gives_is_kept_with_its_parts(owner):
    import_path(owner, CLASSES / "display_names.vcf")
    ana = person(owner, "Dr. Ana María López García")
    assert (ana.title_prefix, ana.given_name, ana.middle_name, ana.family_name, ana.suffix) == (
        "Dr.",
        "Ana",
        "María",
        "López García",
        "PhD",
    )
    taro = person(owner, "山田 太郎")  # family first, as written
    assert (taro.family_name, taro.given_name) == ("山田", "太郎")
    assert person(owner, "Kim Min-jun").family_name == "Kim"
    assert person(owner, 'Chidi "CJ" Okafor').nickname == "CJ"
    # Sorted by family name.
    assert list(Person.objects.filter(owner=owner).values_list("family_name", flat=True)) == [
        "Kim",
        "López García",
        "Okafor",
        "山田",
    ]


def test_a_family_first_name_given_as_parts_is_shown_family_first(owner):
    import_path(owner, CLASSES / "google_family_first.csv")
    assert names(owner) == ["Dr. Ana López, PhD", "山田 太郎", "王 小明"]
    assert person(owner, "Dr. Ana López, PhD").title_prefix == "Dr."


# -- 9. Older LinkedIn files without profile URLs ------------------------------------------


def test_entries_find_people_with_three_or_more_words_in_their_name(owner):
    import_path(owner, CLASSES / "connections_no_urls.csv")
    maria = person(owner, "María de los Ángeles García Pérez")
    jan = person(owner, "Jan van der Berg")
    mary = person(owner, "Mary Ann Evans")
    import_path(owner, CLASSES / "invitations_no_urls.csv")
    import_path(owner, CLASSES / "messages_no_urls.csv")
    invitations = Entry.objects.filter(owner=owner, source="linkedin:invitations")
    assert {tuple(e.people.all()) for e in invitations} == {(maria,), (jan,)}
    messages = Entry.objects.filter(owner=owner, source="linkedin:messages")
    assert {(e.kind, tuple(e.people.all())) for e in messages} == {
        (Kind.MESSAGE_RECEIVED, (mary,)),
        (Kind.MESSAGE_SENT, (mary,)),
        (Kind.MESSAGE_SENT, (jan,)),
    }
    assert not any(e.people.count() == 0 for e in Entry.objects.filter(owner=owner))


# -- 10. A file cut short ----------------------------------------------------------------


def test_a_truncated_csv_is_refused_with_the_line_of_the_open_quote(owner):
    before = rows_of_every_table()
    with pytest.raises(BadFile) as caught:
        import_path(owner, CLASSES / "truncated.csv")
    assert str(caught.value) == (
        "“truncated.csv” ends inside a quoted value: the quote opened on line 3 is never closed "
        "(is the file cut short?)."
    )
    assert rows_of_every_table() == before
    assert not Person.objects.filter(family_name__contains="Broken").exists()


# -- 11. Organisation names as written ----------------------------------------------------


def test_organisation_names_are_kept_as_the_file_writes_them(owner):
    import_path(owner, CLASSES / "organisation_names.csv")
    assert sorted(Organisation.objects.filter(owner=owner).values_list("name", flat=True)) == [
        "ACME Corp., Inc.",
        "Müller GmbH & Co. KG",
        "Smith, Jones & Co.",
    ]
    # "ACME Corporation" is the same organisation: its key matches, its name stays.
    assert person(owner, "Jo Doe").organisation.name == "ACME Corp., Inc."
