"""The field document of an act: who set each value and when, said once for most."""

from registry_loader.fields import DEFAULTS, StoredField, document, entries, read, values

IMPORTED = dict(set_by="import:x", at="2026-01-01T00:00:00+00:00")


def test_the_shared_origin_is_said_once_and_read_back_on_every_field():
    fields = {
        "given_name_fr": StoredField("Mohamed", 0.9, **IMPORTED),
        "family_name_fr": StoredField("Alaoui", 0.8, **IMPORTED),
        "given_name_ar": StoredField(
            "محمد", 1.0, set_by="reviewer:amina", at="2026-02-02T00:00:00+00:00"
        ),
    }
    doc = document(fields)
    assert doc[DEFAULTS] == IMPORTED
    assert "set_by" not in doc["given_name_fr"] and "at" not in doc["family_name_fr"]
    assert doc["given_name_ar"]["set_by"] == "reviewer:amina"
    assert read(doc) == {key: fields[key] for key in read(doc)}
    assert set(read(doc)) == set(fields)
    assert values(doc) == {
        "given_name_ar": "محمد",
        "given_name_fr": "Mohamed",
        "family_name_fr": "Alaoui",
    }


def test_a_field_without_a_time_does_not_inherit_the_documents():
    fields = {
        "given_name_fr": StoredField("Mohamed", 0.9, **IMPORTED),
        "family_name_fr": StoredField("Alaoui", 0.8, **IMPORTED),
        "sex": StoredField("M", 0.7, set_by="ocr"),
    }
    back = read(document(fields))
    assert back["sex"].set_by == "ocr" and back["sex"].at is None
    assert back["given_name_fr"].at == IMPORTED["at"]


def test_documents_written_before_the_defaults_read_as_they_were():
    old = {"sex": {"value": "F", "confidence": 0.5, "set_by": "ocr", "at": "2025-01-01"}}
    assert entries(old) == old
    assert read(old)["sex"] == StoredField("F", 0.5, set_by="ocr", at="2025-01-01")


def test_a_lone_field_keeps_its_origin_in_its_entry():
    doc = document({"sex": StoredField("F", 0.5, **IMPORTED)})
    assert DEFAULTS not in doc and doc["sex"]["set_by"] == "import:x"
    assert document({}) == {}
