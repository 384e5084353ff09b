"""Every route needs a login, and the right role; sessions, CSRF, login throttling."""

from __future__ import annotations

import logging
import re

from fastapi.routing import APIRoute
from web_helpers import PASSWORD, USERS, Web, auth, login

from registry_loader import audit
from registry_loader.export import get_act

ALL = frozenset(USERS.values())
REVIEWERS = frozenset({"reviewer", "admin"})
PUBLIC = {("GET", "/login"), ("POST", "/login")}

# Every route of the app: who may call it, and a request that exercises it.
# {act} is act 29 of the sample page, {page} its page.
ROUTES: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/api/me"): ALL,
    ("GET", "/api/acts/search"): ALL,
    ("GET", "/api/acts/{act_id}"): ALL,
    ("GET", "/api/review/queue"): REVIEWERS,
    ("PATCH", "/api/acts/{act_id}"): REVIEWERS,
    ("POST", "/api/acts/{act_id}/approve"): REVIEWERS,
    ("POST", "/api/acts/{act_id}/reject"): REVIEWERS,
    ("GET", "/api/acts/{act_id}/history"): REVIEWERS,
    ("POST", "/api/acts/{act_id}/lock"): REVIEWERS,
    ("DELETE", "/api/acts/{act_id}/lock"): REVIEWERS,
    ("GET", "/images/pages/{page_id}"): ALL,
    ("GET", "/images/files/{file_name:path}"): ALL,
    ("GET", "/images/acts/{act_id}"): ALL,
    ("GET", "/images/acts/{act_id}/fields/{key}"): ALL,
    ("POST", "/logout"): ALL,
    ("GET", "/"): ALL,
    ("GET", "/static/{name}"): ALL,
    ("GET", "/review"): REVIEWERS,
    ("GET", "/review/next"): REVIEWERS,
    ("GET", "/review/acts/{act_id}"): REVIEWERS,
    ("POST", "/review/acts/{act_id}"): REVIEWERS,
    ("POST", "/review/acts/{act_id}/release"): REVIEWERS,
    ("GET", "/search"): ALL,
    ("GET", "/acts/{act_id}"): ALL,
}


def request_for(web: Web, method: str, template: str) -> dict:
    """Arguments of `client.request` that exercise the route."""
    act_id = web.acts["29"]
    path = (
        template.replace("{act_id}", act_id)
        .replace("{page_id}", "1")
        .replace("{file_name:path}", web.scan.name)
        .replace("{key}", "father_name_ar")
        .replace("{name}", "app.css")
    )
    kwargs: dict = {"method": method, "url": path, "follow_redirects": False}
    if template == "/api/acts/search":
        kwargs["params"] = {"q": "Tahar"}
    elif method == "PATCH":
        kwargs["json"] = {"fields": {"father_name_fr": "Brahim"}}
    elif template.endswith("/reject"):
        kwargs["json"] = {"reason": "unreadable"}
    elif template == "/review/acts/{act_id}" and method == "POST":
        kwargs["data"] = {"decision": "save", "f.father_name_fr": "Brahim"}
    return kwargs


def page_route(method: str, path: str) -> bool:
    return method == "GET" and not path.startswith(("/api/", "/images/", "/static/"))


def app_routes(routes: list) -> set[tuple[str, str]]:
    """(method, path) of every route, in included routers too (FastAPI >= 0.140 wraps
    them; older versions copy their routes into the app's)."""
    found = set()
    for route in routes:
        if isinstance(route, APIRoute):
            found |= {(method, route.path) for method in route.methods}
        elif hasattr(route, "original_router"):
            prefix = route.include_context.prefix if hasattr(route, "include_context") else ""
            found |= {(m, prefix + p) for m, p in app_routes(route.original_router.routes)}
        else:
            found.add(("?", getattr(route, "path", repr(route))))  # a mount: not allowed
    return found


def test_the_table_above_lists_every_route_of_the_app(sqlite_web: Web) -> None:
    web = sqlite_web  # SQLite only: the database is not the subject
    assert app_routes(web.client.app.routes) == set(ROUTES) | PUBLIC


def test_no_route_answers_without_a_login(web: Web) -> None:
    for method, path in sorted(ROUTES):
        response = web.client.request(**request_for(web, method, path))

        if page_route(method, path):  # a browser is sent to the login form
            assert response.status_code == 303, (method, path)
            assert response.headers["location"].startswith("/login?next=")
        else:
            assert response.status_code == 401, (method, path, response.text)
        if path.startswith("/api/"):
            assert response.headers["www-authenticate"].startswith("Basic")
    with web.registry.session() as session:
        assert get_act(session, web.acts["29"]).status == "needs_review"


def test_each_role_may_use_its_routes_only(web: Web) -> None:
    # Forbidden calls first: the allowed ones change the act (approve, reject...).
    calls = sorted(
        ((method, path, name) for method, path in ROUTES for name in USERS),
        key=lambda call: USERS[call[2]] in ROUTES[call[:2]],
    )
    for method, path, name in calls:
        response = web.client.request(**request_for(web, method, path), auth=auth(name))
        if USERS[name] in ROUTES[(method, path)]:
            assert response.status_code not in (401, 403), (method, path, name, response.text)
        else:
            assert response.status_code == 403, (method, path, name, response.status_code)


def test_a_clerk_changes_nothing(web: Web) -> None:
    act_id = web.acts["29"]
    for (method, path), roles in ROUTES.items():
        if method != "GET" and "clerk" not in roles:
            response = web.client.request(**request_for(web, method, path), auth=auth("claire"))
            assert response.status_code == 403
    for path in ("/review", f"/review/acts/{act_id}", "/review/next"):
        assert web.client.get(path, auth=auth("claire")).status_code == 403

    with web.registry.session() as session:
        assert get_act(session, act_id).status == "needs_review"
        assert [e.action for e in audit.history(session, act_id)] == ["act.created"]


def test_wrong_or_malformed_credentials_get_401(sqlite_web: Web) -> None:
    web = sqlite_web  # SQLite only: the database is not the subject
    for headers in (
        {"Authorization": "Basic bm9ib2R5Ondyb25n"},  # nobody:wrong
        {"Authorization": "Basic !!!"},
        {"Authorization": "Bearer abc"},
    ):
        assert web.client.get("/api/me", headers=headers).status_code == 401
    assert web.client.get("/api/me", auth=("amina", PASSWORD + "x")).status_code == 401
    assert web.client.get("/api/me", auth=auth("amina")).json() == {
        "name": "amina",
        "role": "reviewer",
    }


# --- sessions ------------------------------------------------------------------------------


def test_the_session_cookie_is_httponly_strict_and_expires_when_idle(sqlite_web: Web) -> None:
    web = sqlite_web  # SQLite only: the database is not the subject
    form = web.client.get("/login")
    token = re.search(r'name="login_csrf" value="([^"]+)"', form.text).group(1)
    response = web.client.post(
        "/login",
        data={"name": "amina", "password": PASSWORD, "login_csrf": token, "next": "/review"},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"].lower()
    assert "civreg_session=" in cookie
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
    assert response.headers["location"] == "/review"
    assert web.client.get("/api/me").json()["name"] == "amina"

    web.clock.advance(minutes=29)
    assert web.client.get("/api/me").status_code == 200
    web.clock.advance(minutes=31)
    assert web.client.get("/api/me").status_code == 401
    assert web.client.get("/review", follow_redirects=False).status_code == 303


def test_logging_out_ends_the_session(sqlite_web: Web) -> None:
    web = sqlite_web  # SQLite only: the database is not the subject
    csrf = login(web.client, "amina")
    stolen = web.client.cookies.get("civreg_session")

    response = web.client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)

    assert response.status_code == 303
    other = web.new_client()
    other.cookies.set("civreg_session", stolen)
    assert other.get("/api/me").status_code == 401


def test_a_wrong_password_gives_no_session(sqlite_web: Web) -> None:
    web = sqlite_web  # SQLite only: the database is not the subject
    form = web.client.get("/login")
    token = re.search(r'name="login_csrf" value="([^"]+)"', form.text).group(1)
    response = web.client.post(
        "/login", data={"name": "amina", "password": "nope nope nope", "login_csrf": token}
    )
    assert response.status_code == 401
    assert "wrong user name or password" in response.text
    assert "civreg_session" not in web.client.cookies


def test_logins_are_throttled_after_five_failures(sqlite_web: Web) -> None:
    web = sqlite_web  # SQLite only: the database is not the subject
    for _ in range(5):
        assert web.client.get("/api/me", auth=("amina", "wrong password")).status_code == 401

    refused = web.client.get("/api/me", auth=auth("amina"))  # even the right password
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    assert web.client.get("/api/me", auth=auth("rachid")).status_code == 200  # others may

    web.clock.advance(minutes=6)
    assert web.client.get("/api/me", auth=auth("amina")).status_code == 200


def test_login_goes_only_to_pages_of_this_site(sqlite_web: Web) -> None:
    web = sqlite_web  # SQLite only: the database is not the subject
    form = web.client.get("/login")
    token = re.search(r'name="login_csrf" value="([^"]+)"', form.text).group(1)
    response = web.client.post(
        "/login",
        data={"name": "amina", "password": PASSWORD, "login_csrf": token, "next": "//evil.example"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_passwords_and_session_tokens_are_never_logged(sqlite_web: Web, caplog) -> None:
    web = sqlite_web  # SQLite only: the database is not the subject
    caplog.set_level(logging.DEBUG)
    login(web.client, "amina")
    web.client.get("/api/me", auth=auth("rachid"))
    token = web.client.cookies.get("civreg_session")

    assert PASSWORD not in caplog.text
    assert token not in caplog.text


# --- CSRF ---------------------------------------------------------------------------------


def test_changes_with_the_session_cookie_need_the_csrf_token(sqlite_web: Web) -> None:
    web = sqlite_web  # SQLite only: the database is not the subject
    csrf = login(web.client, "amina")
    act_id = web.acts["29"]
    body = {"fields": {"father_name_fr": "Brahim ben Bilel"}}

    assert web.client.patch(f"/api/acts/{act_id}", json=body).status_code == 403
    wrong = {"X-CSRF-Token": "x" * len(csrf)}
    assert web.client.patch(f"/api/acts/{act_id}", json=body, headers=wrong).status_code == 403
    form = {"decision": "approve", "f.father_name_fr": "Brahim"}
    assert web.client.post(f"/review/acts/{act_id}", data=form).status_code == 403
    with web.registry.session() as session:
        assert get_act(session, act_id).value("father_name_fr") == "Brahim ben Bilal"

    ok = web.client.patch(f"/api/acts/{act_id}", json=body, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200
    assert ok.json()["fields"]["father_name_fr"] == {"value": "Brahim ben Bilel", "confidence": 1.0}


def test_a_request_from_another_site_is_refused_even_with_the_token(sqlite_web: Web) -> None:
    web = sqlite_web  # SQLite only: the database is not the subject
    csrf = login(web.client, "amina")
    act_id = web.acts["29"]
    for headers in (
        {"Origin": "https://evil.example", "X-CSRF-Token": csrf},
        {"Sec-Fetch-Site": "cross-site", "X-CSRF-Token": csrf},
    ):
        response = web.client.post(f"/api/acts/{act_id}/approve", headers=headers)
        assert response.status_code == 403
    # cached Basic credentials of a browser are no way round it either
    response = web.client.post(
        f"/api/acts/{act_id}/approve",
        headers={"Sec-Fetch-Site": "cross-site"},
        auth=auth("rachid"),
    )
    assert response.status_code == 403
    with web.registry.session() as session:
        assert get_act(session, act_id).status == "needs_review"


def test_basic_auth_scripts_need_no_csrf_token(sqlite_web: Web) -> None:
    web = sqlite_web  # SQLite only: the database is not the subject
    response = web.client.post(f"/api/acts/{web.acts['29']}/approve", auth=auth("amina"))
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"


def test_the_login_form_has_its_own_csrf_token(sqlite_web: Web) -> None:
    web = sqlite_web  # SQLite only: the database is not the subject
    response = web.client.post(
        "/login", data={"name": "amina", "password": PASSWORD, "login_csrf": "forged"}
    )
    assert response.status_code == 403
    assert "civreg_session" not in web.client.cookies
