"""Every vCard in ../shared/samples/vcard imports with the right name, organisation,
title, e-mails and phones (issue 3); vobject reads them after Grapevine fixes their quirks."""

from __future__ import annotations

from pathlib import Path

import pytest

from grapevine.contacts.models import Person
from grapevine.transfer.services import import_file, import_path

pytestmark = pytest.mark.django_db
VCARDS = (
    Path(__file__).parent / "data" / "transfer" / "samples" / "vcard"
)  # copy of ../shared/samples

# file: (the name as FN writes it, organisation as ORG writes it, title, e-mails, first
# phone's digits); N's parts are kept for sorting and matching.
EXPECTED = {
    "John_Doe_BLACK_BERRY.vcf": ("John Doe", "Acme Solutions", "", [], "96123456789"),
    "John_Doe_EVOLUTION.vcf": (
        "Mr. John Richter, James Doe Sr.",
        "IBM",
        "Money Counter",
        ["john.doe@ibm.com"],
        "9056661234",
    ),
    "John_Doe_GMAIL.vcf": (
        "Mr. John Richter, James Doe Sr.",
        "IBM",
        "Money Counter",
        ["john.doe@ibm.com"],
        "9055551234",
    ),
    "John_Doe_IPHONE.vcf": (
        "Mr. John Richter James Doe Sr.",
        "IBM",
        "Money Counter",
        ["john.doe@ibm.com"],
        "9055551234",
    ),
    "John_Doe_LOTUS_NOTES.vcf": (
        "Mr. Doe John I Johny",
        "IBM",
        "Generic Accountant",
        ["john.doe@ibm.com", "billy_bob@gmail.com"],
        "121220434456",
    ),
    "John_Doe_MAC_ADDRESS_BOOK.vcf": (
        "Mr. John Richter,James Doe Sr.",
        "IBM",
        "Money Counter",
        ["john.doe@ibm.com"],
        "9057771234",
    ),
    "John_Doe_MS_OUTLOOK.vcf": (
        "Mr. John Richter James Doe Sr.",
        "IBM",
        "Money Counter",
        ["john.doe@ibm.cm"],
        "9055551234",
    ),
    "fullcontact.vcf": (
        "Prefix FirstName MiddleName LastName Suffix",
        "Organization1",
        "Title1",
        [
            "home@example.com",
            "work@example.com",
            "school@example.com",
            "other@example.com",
            "custom@example.com",
        ],
        "5555551111",
    ),
    "gmail-single.vcf": (
        "Greg Dartmouth",
        "TheCompany",
        "TheJobTitle",
        ["gdartmouth@hotmail.com"],
        "5555551111",
    ),
    "gmail-single2.vcf": (
        "VCard Test",
        "TheCompany",
        "TheJobTitle",
        [
            "email@example.com",
            "homeemail@example.com",
            "workemail@example.com",
            "otheremail@example.com",
            "customcategory@example.com",
        ],
        "5555551111",
    ),
    "outlook-2003.vcf": ("John Doe III", "Company, The", "The Job Title", ["jdoe@hotmail.com"], ""),
    "outlook-2007.vcf": (
        "Mr. Michael Angstadt Jr.",
        "TheCompany",
        "TheJobTitle",
        ["mike.angstadt@gmail.com"],
        "1115551111",
    ),
    "rfc6350-example.vcf": (
        "Simon Perreault",
        "Viagenie",
        "",
        ["simon.perreault@viagenie.ca"],
        "14186569254102",  # ";ext=102" kept as the extension
    ),
    "thunderbird-MoreFunctionsForAddressBook-extension.vcf": (
        "John Doe",
        "TheOrganization",
        "TheTitle",
        [
            "doe.john@hotmail.com",
            "additional-email@company.com",
            "additional-email1@company.com",
            "additional-email2@company.com",
            "additional-email3@company.com",
        ],
        "5555551111",
    ),
}


def digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_single_card_files(owner, name):
    result = import_path(owner, VCARDS / name)
    assert (result.format, result.created, result.skipped) == ("vcard", 1, [])
    full_name, org, title, emails, phone = EXPECTED[name]
    person = Person.objects.get(owner=owner)
    assert person.full_name == full_name
    if name.startswith("John_Doe"):
        assert (person.given_name.lower(), person.family_name) == ("john", "Doe")
    assert (person.organisation.name if person.organisation else "") == org
    assert person.job_title == title
    assert [e.address for e in person.emails.all()] == emails
    phones = [p.number for p in person.phones.all()]
    if phone:
        assert digits(phones[0]).endswith(phone)
    else:
        assert phones[0] == "BusinessPhone"  # Outlook 2003's sample writes words: kept as written


def test_android_quoted_printable_split_across_lines_and_bare_types(owner):
    result = import_path(owner, VCARDS / "John_Doe_ANDROID.vcf")
    assert result.created == 6
    people = {p.full_name: p for p in Person.objects.filter(owner=owner)}
    assert "john.doe@company.com" in people  # a card with only an address is named by it
    long_name = "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ"  # =C3=91 split by a soft line break
    assert long_name in people
    numbers = [digits(p.number) for p in people[long_name].phones.all()]
    assert len(numbers) == 4
    assert all(
        n.endswith(w)
        for n, w in zip(numbers, ["123456", "234567", "3456789", "45678901"], strict=True)
    )
    bob = Person.objects.get(owner=owner, emails__address="bob@company.com")
    assert bob.organisation.name == "ÑÑÑÑÑÑÑÑÑÑÑÑ"
    assert "not an address" in bob.notes  # the junk EMAIL is kept where a human sees it
    assert [t.name for t in bob.tags.all()] == []
    assert [t.name for t in people[long_name].tags.all()] == ["My Contacts"]


def test_multi_card_files(owner):
    assert import_path(owner, VCARDS / "gmail-list.vcf").created == 3
    assert import_path(owner, VCARDS / "rfc2426-example.vcf").created == 2
    frank = Person.objects.get(owner=owner, full_name="Frank Dawson")
    assert frank.organisation.name == "Lotus Development Corporation"
    assert [e.address for e in frank.emails.all()] == [
        "frank_dawson@lotus.com",
        "fdawson@earthlink.net",
    ]
    assert Person.objects.filter(
        owner=owner, full_name="Doug White", emails__address="dwhite@gmail.com"
    ).exists()


def test_vcard_4_and_escaped_commas_and_folded_lines(owner):
    card = (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\n"
        "ORG:Analytical Engines\\, Ltd\r\nTITLE:Programmer\\, first\r\n"
        "EMAIL;TYPE=work:ada@exa\r\n mple.org\r\nTEL;TYPE=cell;VALUE=uri:tel:+44-20-7946-0000\r\n"
        "URL:https://www.linkedin.com/in/ada-lovelace\r\nEND:VCARD\r\n"
    )
    assert import_file(owner, "ada.vcf", card.encode()).created == 1
    ada = Person.objects.get(owner=owner)
    assert ada.organisation.name == "Analytical Engines, Ltd"
    assert ada.job_title == "Programmer, first"
    assert ada.primary_email == "ada@example.org"
    assert ada.phones.get().number == "+442079460000"
    assert ada.linkedin_url == "https://www.linkedin.com/in/ada-lovelace"
    assert import_file(owner, "ada.vcf", card.encode()).created == 0
