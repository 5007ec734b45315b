"""Only http(s) addresses are ever links (issue 16): a javascript: URL that reached the
database anyway (an old import, a restore) is shown as text, on every page, and the
forms refuse one."""

from __future__ import annotations

import re
from collections import deque

import pytest
from django.urls import reverse

from grapevine.contacts.models import Organisation, Person
from grapevine.contacts.services import PersonData, person_create
from grapevine.journal.services import entry_create
from grapevine.targets.models import JobPosting

pytestmark = pytest.mark.django_db
UNSAFE_HREF = re.compile(r"""href\s*=\s*["']?\s*(?:javascript|data|vbscript):""", re.IGNORECASE)
LINK = re.compile(r"""href="(/[^"#]*)""")
SKIP = ("/static/", "/transfer/export/", "/accounts/logout", "/calendar/", "/feed/")


@pytest.fixture
def unsafe_data(owner):
    ada = person_create(owner, PersonData(full_name="Ada Lovelace", organisation_name="Evil Corp"))
    Person.objects.filter(pk=ada.pk).update(
        linkedin_url="javascript:alert(1)",
        notes="See [my site](javascript:alert(4)) and <a href='javascript:alert(5)'>this</a>",
    )
    Organisation.objects.filter(owner=owner, name="Evil Corp").update(
        website=" JavaScript:alert(2)", notes="[x](javascript:alert(6))"
    )
    JobPosting.objects.create(
        owner=owner, title="Analyst", company_name="Evil Corp", url="javascript:alert(3)"
    )
    JobPosting.objects.create(
        owner=owner, title="Engineer", company_name="Good Corp", url="https://good.example/jobs/1"
    )
    entry_create(owner, kind="note", people=[ada], notes="[y](javascript:alert(7))")
    return ada


def test_no_page_links_to_a_javascript_url(owner_client, unsafe_data):
    seen: set[str] = set()
    queue = deque(["/", reverse("contacts:person_detail", args=[unsafe_data.public_id])])
    crawled = 0
    while queue and crawled < 150:
        url = queue.popleft()
        if url in seen or url.startswith(SKIP):
            continue
        seen.add(url)
        response = owner_client.get(url)
        crawled += 1
        assert response.status_code < 500, url
        if "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        assert not UNSAFE_HREF.search(page), f"{url} links to an unsafe URL"
        queue.extend(link.replace("&amp;", "&") for link in LINK.findall(page))
    assert crawled >= 20  # the crawl reached the pages that show URLs
    shown = owner_client.get(reverse("contacts:person_detail", args=[unsafe_data.public_id]))
    assert "javascript:alert(1)" in shown.content.decode()  # shown as text, not a link
    postings = owner_client.get(reverse("targets:posting_list")).content.decode()
    assert 'href="https://good.example/jobs/1"' in postings


def test_the_organisation_form_takes_only_web_addresses(owner, owner_client):
    for bad in ("javascript:alert(1)", "ftp://files.example/x", "data:text/html,hi"):
        response = owner_client.post(
            reverse("contacts:organisation_create"), {"name": "Evil Corp", "website": bad}
        )
        assert response.status_code == 200
        assert "That is not a web address" in response.content.decode()
    assert not Organisation.objects.filter(owner=owner).exists()
    owner_client.post(
        reverse("contacts:organisation_create"),
        {"name": "Good Corp", "website": "good.example", "email": "Info@Good.example"},
    )
    good = Organisation.objects.get(owner=owner)
    assert (good.website, good.email) == ("https://good.example", "info@good.example")


def test_the_person_form_takes_only_linkedin_profiles(owner, owner_client):
    response = owner_client.post(
        reverse("contacts:person_create"),
        {"full_name": "Eve", "contact_list": "B", "linkedin_url": "javascript:alert(1)"},
    )
    assert "That is not a LinkedIn profile address" in response.content.decode()
    assert not Person.objects.filter(owner=owner).exists()
