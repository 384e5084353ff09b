"""The act record and its JSON form (interfaces.md, "One act as JSON")."""

from __future__ import annotations

import json

from records import Act, FieldValue, Issue, MarginalNote, Source


def full_act() -> Act:
    return Act(
        fields={
            "act_type": FieldValue("birth", 0.99, side="both", engine="tesseract 5/ara/psm7"),
            "register_year": FieldValue("1995", 0.98),
            "commune_ar": FieldValue(
                "صفرو",
                0.9,
                raw="الجماعة : صفرو",
                box=(700, 20, 80, 30),
                side="ar",
                engine="tesseract 5/ara/psm7",
            ),
            "commune_fr": FieldValue("Sefrou", 0.9),
            "act_number": FieldValue(
                "105",
                0.97,
                raw="Acte n° : 105",
                box=(100, 150, 60, 20),
                side="fr",
                engine="tesseract 5/fra/psm7",
                notes=["also read as: 106"],
            ),
            "given_name_ar": FieldValue("محمد", 0.8123),
        },
        readings={
            "act_number": [
                FieldValue("105", 0.9, side="fr", box=(1, 2, 3, 4)),
                FieldValue("106", 0.5, side="ar", notes=["repaired: x"]),
            ]
        },
        source=Source("sefrou_1995_p012.png", 2, (10, 20, 300, 400)),
        marginal_notes=[MarginalNote("Marié le 1/2/2020", 0.9, lang="fr")],
        issues=[
            Issue("sides_disagree", "the two sides differ", ("act_number",)),
            Issue("missing_field", "not read: sex", ("sex",), blocking=True),
        ],
        status="needs_review",
        id="act-1",
        person_ids=["p-1", "p-2"],
    )


def through_json(data: dict) -> dict:
    """What a file or the network gives back: JSON text, parsed again."""
    return json.loads(json.dumps(data, ensure_ascii=False))


def test_an_act_round_trips_through_json_with_provenance():
    act = full_act()
    assert Act.from_json(through_json(act.to_json(provenance=True))) == act


def test_an_act_round_trips_through_json_without_provenance_keeping_values():
    act = full_act()
    back = Act.from_json(through_json(act.to_json()))
    assert {k: v.value for k, v in back.fields.items()} == {
        k: v.value for k, v in act.fields.items()
    }
    assert back.fields["act_number"].confidence == 0.97
    assert back.fields["act_number"].raw is None and back.fields["act_number"].box is None
    assert back.readings == {}
    assert (
        back.source,
        back.marginal_notes,
        back.issues,
        back.status,
        back.id,
        back.person_ids,
    ) == (act.source, act.marginal_notes, act.issues, act.status, act.id, act.person_ids)


def test_the_json_form_has_the_fields_of_interfaces_md():
    data = full_act().to_json()
    assert {
        "id",
        "act_type",
        "status",
        "register_year",
        "commune_ar",
        "commune_fr",
        "act_number",
        "source",
        "fields",
        "marginal_notes",
        "person_ids",
    } <= data.keys()
    assert data["register_year"] == 1995 and data["act_type"] == "birth"
    assert data["source"] == {"file": "sefrou_1995_p012.png", "page": 2, "bbox": [10, 20, 300, 400]}
    assert data["fields"]["given_name_ar"] == {"value": "محمد", "confidence": 0.8123}
    assert FieldValue("x", 0.81236789).to_json()["confidence"] == 0.8124  # 4 decimals
    assert data["marginal_notes"] == [
        {"text": "Marié le 1/2/2020", "confidence": 0.9, "lang": "fr"}
    ]
    assert "readings" not in data


def test_provenance_adds_raw_box_side_engine_notes_and_readings():
    data = full_act().to_json(provenance=True)
    number = data["fields"]["act_number"]
    assert number["raw"] == "Acte n° : 105" and number["box"] == [100, 150, 60, 20]
    assert number["side"] == "fr" and number["notes"] == ["also read as: 106"]
    assert [r["value"] for r in data["readings"]["act_number"]] == ["105", "106"]


def test_from_json_reads_a_bare_value():
    act = Act.from_json({"fields": {"given_name_fr": "Mohamed", "register_year": 1995}})
    assert act.fields["given_name_fr"] == FieldValue("Mohamed")
    assert act.fields["register_year"].value == "1995"
    assert act.fields["given_name_fr"].confidence == 1.0


def test_from_json_fills_missing_fields_from_the_top_level_keys():
    act = Act.from_json(
        {
            "act_type": "death",
            "register_year": 2001,
            "commune_fr": "Fès",
            "commune_ar": "",
            "act_number": "7",
        }
    )
    assert act.act_type == "death" and act.register_year == 2001 and act.act_number == "7"
    assert act.fields["commune_fr"].engine == "import"
    assert "commune_ar" not in act.fields  # empty: nothing to fill
    assert act.status == "needs_review" and act.source is None


def test_a_field_wins_over_the_top_level_key_of_the_same_name():
    act = Act.from_json(
        {"act_number": "7", "fields": {"act_number": {"value": "8", "confidence": 0.6}}}
    )
    assert act.act_number == "8" and act.fields["act_number"].confidence == 0.6


def test_a_source_without_a_box_or_page():
    act = Act.from_json({"source": {"file": "a.png"}})
    assert act.source == Source("a.png", 1, None)
    assert act.to_json()["source"] == {"file": "a.png", "page": 1, "bbox": None}


def test_an_empty_value_counts_as_no_value():
    act = Act(fields={"act_number": FieldValue(""), "register_year": FieldValue("19x5")})
    assert act.act_number is None and act.value("act_number") is None
    assert act.register_year is None  # not a number


def test_min_confidence_is_the_weakest_field():
    assert full_act().min_confidence() == 0.8123
    assert Act().min_confidence() == 0.0
