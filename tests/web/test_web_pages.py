"""The server-rendered pages, without a browser: what they show and what their forms do."""

from __future__ import annotations

import re

import pytest
from web_helpers import Web, auth, login

from registry_loader import audit
from registry_loader.export import get_act


@pytest.fixture
def web(sqlite_web: Web) -> Web:
    """SQLite only: the database is not the subject here (test_web_api covers both)."""
    return sqlite_web


def inputs(html: str) -> dict[str, str]:
    """name -> the whole <input> tag of the review form's fields."""
    return {
        m.group(1): m.group(0)
        for m in re.finditer(
            r'<input id="f-[^"]+" class="field-value" name="f\.([^"]+)"[^>]*>', html
        )
    }


def test_the_queue_page_lists_acts_least_confident_first_with_reasons(web: Web) -> None:
    page = web.client.get("/review", auth=auth("amina")).text

    assert page.index(f"/review/acts/{web.acts['29']}") < page.index(
        f"/review/acts/{web.acts['28']}"
    )
    assert "names disagree" in page and "sides disagree" in page
    assert "Tanger · death · 1972" in page  # the register filter
    filtered = web.client.get("/review?reason=sides_disagree", auth=auth("amina")).text
    assert web.acts["28"] in filtered and web.acts["29"] not in filtered


def test_opening_an_act_claims_it_and_another_reviewer_gets_409(web: Web) -> None:
    act_id = web.acts["29"]
    assert web.client.get(f"/review/acts/{act_id}", auth=auth("amina")).status_code == 200

    held = web.client.get(f"/review/acts/{act_id}", auth=auth("rachid"))

    assert held.status_code == 409
    assert "amina" in held.text and "Release the lock" not in held.text
    as_admin = web.client.get(f"/review/acts/{act_id}", auth=auth("root"))
    assert as_admin.status_code == 409 and "Release the lock (admin)" in as_admin.text
    queue = web.client.get("/review", auth=auth("rachid")).text
    assert "amina" in queue


def test_the_review_page_shows_crops_confidences_reasons_and_directions(web: Web) -> None:
    act_id = web.acts["29"]
    page = web.client.get(f"/review/acts/{act_id}", auth=auth("amina")).text
    fields = inputs(page)

    assert 'dir="rtl" lang="ar"' in fields["father_name_ar"]
    assert 'dir="ltr" lang="fr"' in fields["father_name_fr"]
    assert 'data-flagged="1"' in fields["father_name_ar"]
    assert 'data-flagged="0"' in fields["given_name_fr"]
    assert 'value="إراهم بن بلال"' in fields["father_name_ar"]
    assert f'src="/images/acts/{act_id}/fields/father_name_ar"' in page
    assert f'src="/images/acts/{act_id}/fields/father_name_ar"' in page
    assert "do not look like the same name" in page  # why it was flagged
    assert re.search(r'class="conf conf-bad">0\.\d\d<', page)
    assert "birth_date" in fields  # a death act's field that was not read, to fill in
    # Without JavaScript, Enter submits with the form's first button: save, never approve.
    buttons = re.findall(r'<button type="submit" name="decision" value="(\w+)"', page)
    assert buttons[0] == "save"


def test_the_review_form_approves_with_corrections_and_opens_the_next_act(web: Web) -> None:
    csrf = login(web.client, "amina")
    act_id = web.acts["29"]
    page = web.client.get(f"/review/acts/{act_id}").text
    form = {name: re.search(r'value="([^"]*)"', tag).group(1) for name, tag in inputs(page).items()}
    form = {f"f.{k}": v for k, v in form.items()}
    form.update({"f.father_name_ar": "إبراهيم بن بلال", "decision": "approve", "csrf_token": csrf})

    response = web.client.post(f"/review/acts/{act_id}", data=form, follow_redirects=False)

    assert response.status_code == 303 and response.headers["location"] == "/review/next"
    nxt = web.client.get("/review/next", follow_redirects=False)
    assert nxt.headers["location"] == f"/review/acts/{web.acts['28']}"
    with web.registry.session() as session:
        act = get_act(session, act_id)
        changes = [e for e in audit.history(session, act_id) if e.action == "field.changed"]
    assert act.status == "accepted"
    assert act.value("father_name_ar") == "إبراهيم بن بلال"
    assert [e.key for e in changes] == ["father_name_ar"]  # untouched fields: confirmed only


def test_a_bad_value_shows_the_error_and_keeps_what_was_typed(web: Web) -> None:
    csrf = login(web.client, "amina")
    act_id = web.acts["29"]
    form = {"f.death_date": "24 janvier", "decision": "approve", "csrf_token": csrf}

    response = web.client.post(f"/review/acts/{act_id}", data=form)

    assert response.status_code == 422
    assert "YYYY-MM-DD" in response.text
    assert 'value="24 janvier"' in inputs(response.text)["death_date"]
    with web.registry.session() as session:
        assert get_act(session, act_id).status == "needs_review"


def test_rejecting_from_the_form_needs_a_reason(web: Web) -> None:
    csrf = login(web.client, "amina")
    act_id = web.acts["28"]
    empty = {"decision": "reject", "reason": "", "csrf_token": csrf}
    assert web.client.post(f"/review/acts/{act_id}", data=empty).status_code == 422

    given = {"decision": "reject", "reason": "page torn", "csrf_token": csrf}
    web.client.post(f"/review/acts/{act_id}", data=given, follow_redirects=False)

    act_page = web.client.get(f"/acts/{act_id}").text
    assert "Rejected: page torn" in act_page and "act.rejected" in act_page


def test_the_queue_says_when_nothing_is_left(web: Web) -> None:
    for number in ("28", "29"):
        web.client.post(f"/api/acts/{web.acts[number]}/approve", auth=auth("amina"))
    page = web.client.get("/review/next", auth=auth("amina"))
    assert "No act is waiting" in page.text


def test_a_clerk_searches_and_reads_an_act_without_its_history(web: Web) -> None:
    page = web.client.get("/search?q=Tahar", auth=auth("claire")).text
    assert f'href="/acts/{web.acts["29"]}"' in page and "SBAI" in page

    act_page = web.client.get(f"/acts/{web.acts['29']}", auth=auth("claire")).text
    assert "إراهم بن بلال" in act_page and f"/images/acts/{web.acts['29']}" in act_page
    assert "History" not in act_page and "Review this act" not in act_page
    assert "<form" not in act_page.replace('<form class="logout"', "")
    reviewer_view = web.client.get(f"/acts/{web.acts['29']}", auth=auth("amina")).text
    assert "History" in reviewer_view and "act.created" in reviewer_view


def test_the_search_page_reports_bad_filters(web: Web) -> None:
    page = web.client.get("/search?q=Tahar&years=19x", auth=auth("claire"))
    assert page.status_code == 422 and "years" in page.text
    assert "Nothing found" in web.client.get("/search?q=Zzyzx", auth=auth("claire")).text


def test_pages_carry_a_strict_content_security_policy(web: Web) -> None:
    response = web.client.get("/search", auth=auth("claire"))
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["x-frame-options"] == "DENY"
    login_page = web.client.get("/login")
    assert "style-src 'nonce-" in login_page.headers["content-security-policy"]
    assert "unsafe-inline" not in login_page.headers["content-security-policy"]
