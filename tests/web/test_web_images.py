"""Image routes: the right pixels for an act and a field, and never a file outside the scan
store (only pages the registry records, resolved, unchanged since their import)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import cv2
import numpy as np
import pytest
from web_helpers import Web, auth

from pipeline.load import file_sha256
from records import Source
from registry_loader.load import PageInfo, load_page
from registry_loader.review import page_scan


@pytest.fixture
def web(sqlite_web: Web) -> Web:
    """SQLite only: the database is not the subject here (test_web_api covers both)."""
    return sqlite_web


FIELD_BOX = (100, 50, 80, 30)  # a black rectangle on a white page
ACT_BOX = (80, 40, 300, 200)


def record_page(web: Web, make_act, path: Path, number: str, sha256: str | None = None) -> str:
    """Record `path` as an imported page holding one act whose given name is at FIELD_BOX."""
    act = make_act(number, source=Source(path.name, 1, ACT_BOX))
    act.fields["given_name_fr"].box = FIELD_BOX
    page = PageInfo(path.name, str(path), sha256 or file_sha256(path), 1, 600, 400)
    with web.registry.session() as session:
        return load_page(session, page, [act]).act_ids[0]


@pytest.fixture
def synthetic(web: Web, make_act, tmp_path: Path) -> tuple[str, Path]:
    page = np.full((400, 600), 255, np.uint8)
    x, y, w, h = FIELD_BOX
    page[y : y + h, x : x + w] = 0
    path = web.scan.parent / "synthetic_p001.png"
    cv2.imwrite(str(path), page)
    return record_page(web, make_act, path, "501"), path


def decode(content: bytes) -> np.ndarray:
    return cv2.imdecode(np.frombuffer(content, np.uint8), cv2.IMREAD_GRAYSCALE)


def test_a_fields_crop_is_its_box_with_a_margin(web: Web, synthetic) -> None:
    act_id, _ = synthetic
    response = web.client.get(f"/images/acts/{act_id}/fields/given_name_fr", auth=auth("amina"))

    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    crop = decode(response.content)
    assert crop.shape == (30 + 2 * 8, 80 + 2 * 14)
    assert (crop[8:38, 14:94] < 30).all()  # the box
    assert (crop[:8] > 225).all() and (crop[:, :14] > 225).all()  # the margin: paper


def test_an_acts_image_is_its_region_of_the_page(web: Web, synthetic) -> None:
    act_id, _ = synthetic
    region = decode(web.client.get(f"/images/acts/{act_id}", auth=auth("claire")).content)

    assert region.shape == (200 + 2 * 16, 300 + 2 * 24)
    top, left = 50 - 40 + 16, 100 - 80 + 24
    assert (region[top : top + 30, left : left + 80] < 30).all()
    assert region.mean() > 200


def test_pages_by_id_and_by_file_name(web: Web, synthetic) -> None:
    _, path = synthetic
    by_name = web.client.get(f"/images/files/{path.name}", auth=auth("claire"))
    assert decode(by_name.content).shape == (400, 600)
    half = web.client.get(f"/images/files/{path.name}?width=300", auth=auth("claire"))
    assert decode(half.content).shape == (200, 300)
    sample = web.client.get("/images/pages/1", auth=auth("claire"))
    assert sample.headers["content-type"] == "image/jpeg"  # the whole sample page
    assert decode(sample.content).shape == (2339, 1654)
    assert (
        web.client.get(f"/images/files/{path.name}?page=2", auth=auth("claire")).status_code == 404
    )
    assert web.client.get("/images/pages/999", auth=auth("claire")).status_code == 404
    field = web.client.get(f"/images/acts/{web.acts['29']}/fields/nope", auth=auth("claire"))
    assert field.status_code == 404


TRAVERSALS = (
    "/images/files/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
    "/images/files/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/images/files//etc/passwd",
    "/images/files/%2Fetc%2Fpasswd",
    "/images/files/passwd",
    "/images/pages/..%2F..%2Fetc%2Fpasswd",
    "/static/..%2F..%2F..%2Fpyproject.toml",
    "/static/../app.py",
)


def test_a_path_never_reaches_a_file_outside_the_scan_store(web: Web) -> None:
    for path in TRAVERSALS:
        response = web.client.get(path, auth=auth("root"))

        assert response.status_code in (404, 422), path
        assert b"root:" not in response.content and b"[project]" not in response.content


def test_a_recorded_path_that_resolves_outside_the_scans_is_refused(
    web: Web, make_act, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:the secret")
    link = web.scan.parent / "innocent_p001.png"
    os.symlink(secret, link)
    # even if a page were recorded with the link's path and the secret's own sha256
    record_page(web, make_act, link, "502", hashlib.sha256(secret.read_bytes()).hexdigest())

    response = web.client.get(f"/images/files/{link.name}", auth=auth("root"))

    assert response.status_code == 404
    assert b"secret" not in response.content.replace(b"innocent", b"")


def test_a_scan_replaced_after_its_import_is_not_served(web: Web, synthetic) -> None:
    act_id, path = synthetic
    assert web.client.get(f"/images/acts/{act_id}", auth=auth("root")).status_code == 200
    other = np.zeros((400, 600), np.uint8)
    cv2.imwrite(str(path), other)
    os.utime(path, ns=(1, 1))  # another modification time: the cached hash is not reused

    response = web.client.get(f"/images/acts/{act_id}", auth=auth("root"))

    assert response.status_code == 404
    assert "changed since it was imported" in response.json()["error"]


def test_a_missing_scan_is_404_not_500(web: Web) -> None:
    with web.registry.session() as session:
        assert page_scan(session, 1).path == str(web.scan)
    web.scan.unlink()
    response = web.client.get(f"/images/acts/{web.acts['28']}", auth=auth("root"))
    assert response.status_code == 404
