"""The JSON API of interfaces.md: search, acts, the queue, corrections, the lock, approval,
rejection and history."""

from __future__ import annotations

from datetime import UTC, datetime

from web_helpers import Web, auth

from registry_loader.export import get_act, iter_acts
from registry_loader.search import search


def test_search_answers_as_civreg_search_json(web: Web) -> None:
    response = web.client.get("/api/acts/search", params={"q": "Tahar"}, auth=auth("claire"))

    assert response.status_code == 200
    hits = response.json()
    with web.registry.session() as session:
        expected = search(session, "Tahar")
    assert [h["id"] for h in hits] == [h.act.id for h in expected] == [web.acts["29"]]
    hit = hits[0]
    assert hit["source"] == {"file": web.scan.name, "page": 1, "bbox": [163, 1251, 1368, 681]}
    assert hit["fields"]["given_name_fr"]["value"] == "Tahar"
    assert hit["score"] == round(expected[0].score, 4) and hit["why"] == expected[0].why


def test_search_filters_and_bad_parameters(web: Web) -> None:
    get = lambda **params: web.client.get("/api/acts/search", params=params, auth=auth("olga"))  # noqa: E731
    assert len(get(q="Tahar", type="death", years="1970-1975", commune="Tanger").json()) == 1
    assert get(q="Tahar", year=1980).json() == []
    assert get(q="Tahar", type="birth").json() == []
    assert get(q="Tahar", commune="Sefrou").json() == []
    assert get(q="Tahar", type="divorce").status_code == 422
    assert get(q="Tahar", years="1970").status_code == 422
    assert get(q="Tahar", limit=0).status_code == 422


def test_search_by_name_parts(web: Web) -> None:
    get = lambda **params: web.client.get("/api/acts/search", params=params, auth=auth("olga"))  # noqa: E731
    by_given = get(given="Tahar").json()
    assert [h["id"] for h in by_given] == [web.acts["29"]]
    assert "given_name_fr" in " ".join(by_given[0]["why"])
    assert get(family="Tahar").json() == []  # Tahar is a given name there, not a family name
    assert get(q="", father="").json() == []


def test_one_act_in_the_export_format(web: Web) -> None:
    response = web.client.get(f"/api/acts/{web.acts['28']}", auth=auth("claire"))

    data = response.json()
    assert data["id"] == web.acts["28"] and data["act_number"] == "28"
    assert data["status"] == "needs_review" and data["commune_fr"] == "Tanger"
    assert data["fields"]["given_name_fr"]["value"] == "Souhila"
    assert web.client.get("/api/acts/nope", auth=auth("claire")).status_code == 404


def test_the_queue_is_least_confident_first(web: Web) -> None:
    queue = web.client.get("/api/review/queue", auth=auth("amina")).json()

    assert [a["act_number"] for a in queue] == ["29", "28"]
    assert queue[0]["min_confidence"] < queue[1]["min_confidence"]
    assert "names_disagree" in queue[0]["reasons"] and queue[0]["locked_by"] is None
    assert len(web.client.get("/api/review/queue?limit=1", auth=auth("amina")).json()) == 1
    sides = web.client.get("/api/review/queue?reason=sides_disagree", auth=auth("root")).json()
    assert [a["act_number"] for a in sides] == ["28"]


def test_a_correction_returns_the_act_and_sets_confidence_one(web: Web) -> None:
    act_id = web.acts["29"]
    response = web.client.patch(
        f"/api/acts/{act_id}",
        json={"fields": {"father_name_ar": "إبراهيم بن بلال", "sex": "M"}},
        auth=auth("amina"),
    )

    assert response.status_code == 200
    data = response.json()
    assert data["changed"] == ["father_name_ar"]  # sex was M already
    assert data["fields"]["father_name_ar"] == {"value": "إبراهيم بن بلال", "confidence": 1.0}
    assert data["status"] == "needs_review"


def test_bad_corrections_get_422_and_change_nothing(web: Web) -> None:
    act_id = web.acts["29"]
    for body in (
        {"fields": {"death_date": "24/01/1972"}},
        {"fields": {"shoe_size": "42"}},
        {"fields": {}},
        {"values": {"sex": "F"}},
        ["sex", "F"],
    ):
        response = web.client.patch(f"/api/acts/{act_id}", json=body, auth=auth("amina"))
        assert response.status_code == 422, body
        assert "error" in response.json()
    with web.registry.session() as session:
        assert get_act(session, act_id).value("death_date") == "1972-01-24"


def test_another_reviewers_act_gets_409_until_the_lock_expires(web: Web) -> None:
    act_id = web.acts["29"]
    claim = web.client.post(f"/api/acts/{act_id}/lock", auth=auth("amina"))
    assert claim.json()["locked_by"] == "amina"
    body = {"fields": {"father_name_fr": "Brahim"}}

    for call in (
        lambda: web.client.patch(f"/api/acts/{act_id}", json=body, auth=auth("rachid")),
        lambda: web.client.post(f"/api/acts/{act_id}/approve", auth=auth("rachid")),
        lambda: web.client.post(
            f"/api/acts/{act_id}/reject", json={"reason": "x"}, auth=auth("rachid")
        ),
        lambda: web.client.post(f"/api/acts/{act_id}/lock", auth=auth("rachid")),
        lambda: web.client.delete(f"/api/acts/{act_id}/lock", auth=auth("rachid")),
    ):
        response = call()
        assert response.status_code == 409
        assert response.json()["locked_by"] == "amina"
    queue = web.client.get("/api/review/queue", auth=auth("rachid")).json()
    assert queue[0]["locked_by"] == "amina"

    web.clock.advance(minutes=16)
    assert (
        web.client.patch(f"/api/acts/{act_id}", json=body, auth=auth("rachid")).status_code == 200
    )


def test_an_admin_releases_a_reviewers_lock_and_it_is_audited(web: Web) -> None:
    act_id = web.acts["29"]
    web.client.post(f"/api/acts/{act_id}/lock", auth=auth("amina"))

    response = web.client.delete(f"/api/acts/{act_id}/lock", auth=auth("root"))

    assert response.json() == {"act_id": act_id, "released": True}
    assert web.client.post(f"/api/acts/{act_id}/lock", auth=auth("rachid")).status_code == 200
    history = web.client.get(f"/api/acts/{act_id}/history", auth=auth("rachid")).json()
    assert [(h["actor"], h["action"], h["old_value"]) for h in history][-1] == (
        "admin:root",
        "lock.released",
        "amina",
    )


def test_approval_accepts_and_exports_the_act_with_its_history(web: Web) -> None:
    act_id = web.acts["29"]
    response = web.client.post(
        f"/api/acts/{act_id}/approve",
        json={"fields": {"father_name_ar": "إبراهيم بن بلال"}},
        auth=auth("amina"),
    )

    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "accepted"
    assert {f["confidence"] for f in data["fields"].values()} == {1.0}
    with web.registry.session() as session:
        exported = {a.id: a for a in iter_acts(session, "accepted")}
    assert exported[act_id].value("father_name_ar") == "إبراهيم بن بلال"
    history = web.client.get(f"/api/acts/{act_id}/history", auth=auth("root")).json()
    mine = [h for h in history if h["actor"] == "reviewer:amina"]
    assert [(h["action"], h["key"], h["old_value"], h["new_value"]) for h in mine] == [
        ("field.changed", "father_name_ar", "إراهم بن بلال", "إبراهيم بن بلال"),
        ("act.approved", None, "needs_review", "accepted"),
    ]
    assert datetime.fromisoformat(mine[0]["at"]).replace(tzinfo=UTC) == web.clock.now
    again = web.client.post(f"/api/acts/{act_id}/approve", auth=auth("amina"))
    assert again.status_code == 409


def test_rejection_needs_a_reason_and_keeps_the_act_out(web: Web) -> None:
    act_id = web.acts["28"]
    url = f"/api/acts/{act_id}/reject"
    assert web.client.post(url, auth=auth("amina")).status_code == 422
    assert web.client.post(url, json={"reason": "  "}, auth=auth("amina")).status_code == 422

    response = web.client.post(url, json={"reason": "duplicate of act 27"}, auth=auth("amina"))

    assert response.json()["status"] == "rejected"
    found = web.client.get("/api/acts/search", params={"q": "Souhila"}, auth=auth("claire"))
    assert found.json() == []
    history = web.client.get(f"/api/acts/{act_id}/history", auth=auth("amina")).json()
    assert history[-1]["detail"] == {"reason": "duplicate of act 27"}


def test_history_of_an_unknown_act_is_404(web: Web) -> None:
    assert web.client.get("/api/acts/nope/history", auth=auth("amina")).status_code == 404
    assert web.client.post("/api/acts/nope/approve", auth=auth("amina")).status_code == 404
