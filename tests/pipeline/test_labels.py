"""Recognising the printed labels of the register model (register-forms.md) in OCR'd lines."""

from __future__ import annotations

import pytest

from pipeline.labels import LineClass, classify, load_model


@pytest.fixture(scope="module")
def model():
    return load_model()


def read(text: str, side: str, model) -> tuple[LineClass | None, list[str]]:
    tokens = text.split()
    return classify(tokens, side, model), tokens


def value_of(text: str, side: str, model) -> str:
    """The value part of a labelled line as extraction takes it."""
    cls, tokens = read(text, side, model)
    assert cls is not None, text
    return " ".join(t for t in [cls.value_head, *tokens[cls.value_start :]] if t)


# --- field labels and their variants -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "side", "target"),
    [
        ("الاسم الشخصي : محمد", "ar", "given_name"),
        ("الإسم الشخصي : محمد", "ar", "given_name"),  # hamza under alef
        ("الاسم العائلي : العلوي", "ar", "family_name"),
        ("الإسم العائلي : العلوي", "ar", "family_name"),
        ("رسم عدد : 105", "ar", "act_number"),
        ("رقم الرسم : 105", "ar", "act_number"),
        ("تاريخ الازدياد : 15 مارس 1995", "ar", "birth_date"),
        ("تاريخ الولادة : 15 مارس 1995", "ar", "birth_date"),
        ("مكان الازدياد : صفرو", "ar", "birth_place"),
        ("الجنس : ذكر", "ar", "sex"),
        ("تاريخ الوفاة : 3 مارس 2001", "ar", "death_date"),
        ("تاريخ عقد الزواج : 3 مارس 2001", "ar", "marriage_date"),
        ("حرر بتاريخ : 17 مارس 1995", "ar", "drawn_up_date"),
        ("ضابط الحالة المدنية : كريم بناني", "ar", "officer_name"),
        ("Acte n° : 105", "fr", "act_number"),
        ("N° de l'acte : 105", "fr", "act_number"),
        ("Prénom : Mohamed", "fr", "given_name"),
        ("Prénom(s) : Mohamed", "fr", "given_name"),
        ("PRENOM : Mohamed", "fr", "given_name"),
        ("prenom : Mohamed", "fr", "given_name"),
        ("Nom : Alaoui", "fr", "family_name"),
        ("NOM : ALAOUI", "fr", "family_name"),
        ("Sexe : Masculin", "fr", "sex"),
        ("Date de naissance : 15/03/1995", "fr", "birth_date"),
        ("Né(e) le : 15/03/1995", "fr", "birth_date"),
        ("Lieu de naissance : Sefrou", "fr", "birth_place"),
        ("Date du décès : 3/3/2001", "fr", "death_date"),
        ("DATE DU DECES : 3/3/2001", "fr", "death_date"),
        ("Lieu du mariage : Oran", "fr", "marriage_place"),
        ("Dressé le : 17/03/1995", "fr", "drawn_up_date"),
        ("L'officier de l'état civil : Karim Bennani", "fr", "officer_name"),
    ],
)
def test_a_field_label_is_recognised(text: str, side: str, target: str, model):
    cls, _ = read(text, side, model)
    assert cls is not None and (cls.kind, cls.target) == ("field", target)
    assert 0.78 <= cls.score <= 1.0


@pytest.mark.parametrize(
    "text",
    [
        "الاسم الشخصي : محمد",
        "الاسم الشخصي: محمد",
        "الاسم الشخصي :محمد",
        "الاسم الشخصي:محمد",
        "الاسم الشخصي محمد",  # the colon was not read
    ],
)
def test_the_value_starts_after_the_label_whatever_the_spacing_of_the_colon(text, model):
    assert value_of(text, "ar", model) == "محمد"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Acte n°: 105", "105"),
        ("Acte n°:105", "105"),  # the colon glued to both sides
        ("Acte n° : 105", "105"),
        ("Acte n° 105", "105"),
        ("Prénom:Mohamed Amine", "Mohamed Amine"),
        ("Nom de la mère : Fatima Zahra", "Fatima Zahra"),
    ],
)
def test_the_value_of_a_french_line_is_what_follows_the_label(text: str, value: str, model):
    assert value_of(text, "fr", model) == value


def test_a_value_cut_from_the_labels_token_is_the_value_head(model):
    cls, tokens = read("Acte n°:105", "fr", model)
    assert cls.value_head == "105" and cls.value_start == len(tokens)


def test_a_label_alone_on_its_line_has_no_value(model):
    cls, tokens = read("Prénom :", "fr", model)
    assert cls.target == "given_name" and cls.value_start == len(tokens) and not cls.value_head


def test_a_misread_long_label_still_matches_with_a_lower_score(model):
    cls, _ = read("Date de naisance : 15/03/1995", "fr", model)
    assert (cls.kind, cls.target) == ("field", "birth_date") and cls.score < 1.0


# --- short labels, father and mother -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("Non : Alaoui", "fr"),  # "Nom" misread: a short label must match exactly
        ("Nam : Alaoui", "fr"),
        ("Pago 12", "fr"),
        ("الاد : أحمد", "ar"),
    ],
)
def test_a_short_label_must_match_exactly(text: str, side: str, model):
    assert read(text, side, model)[0] is None


@pytest.mark.parametrize(
    ("text", "side", "target"),
    [
        ("Père : Ahmed", "fr", "father_name"),
        ("Pere : Ahmed", "fr", "father_name"),
        ("Nom du père : Ahmed", "fr", "father_name"),
        ("Mère : Fatima", "fr", "mother_name"),
        ("Mere : Fatima", "fr", "mother_name"),
        ("Nom de la mère : Fatima", "fr", "mother_name"),
        ("اسم الأب : أحمد", "ar", "father_name"),
        ("الأب : أحمد", "ar", "father_name"),
        ("الاب : أحمد", "ar", "father_name"),
        ("اسم الأم : فاطمة", "ar", "mother_name"),
        ("الأم : فاطمة", "ar", "mother_name"),
        ("الام : فاطمة", "ar", "mother_name"),
    ],
)
def test_father_and_mother_are_not_confused(text: str, side: str, target: str, model):
    cls, _ = read(text, side, model)
    assert (cls.kind, cls.target) == ("field", target)


def test_nom_du_pere_is_the_father_not_the_family_name(model):
    # "Nom" alone is a label too: the longer label wins.
    cls, tokens = read("Nom du père : Ahmed ben Ali", "fr", model)
    assert cls.target == "father_name" and tokens[cls.value_start :] == ["Ahmed", "ben", "Ali"]


# --- sections, notes, header ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "side", "target"),
    [
        ("الزوج", "ar", "husband"),
        ("الزوجة", "ar", "wife"),
        ("Époux", "fr", "husband"),
        ("EPOUX", "fr", "husband"),
        ("Épouse", "fr", "wife"),
        ("Epouse :", "fr", "wife"),
    ],
)
def test_section_lines_open_a_spouse(text: str, side: str, target: str, model):
    cls, _ = read(text, side, model)
    assert (cls.kind, cls.target) == ("section", target)


@pytest.mark.parametrize(
    ("text", "side"),
    [("بيانات هامشية", "ar"), ("Mentions marginales", "fr"), ("MENTIONS MARGINALES :", "fr")],
)
def test_the_notes_heading_is_recognised(text: str, side: str, model):
    assert read(text, side, model)[0].kind == "notes"


def test_a_note_on_the_headings_line_is_its_value(model):
    assert value_of("Mentions marginales : Néant", "fr", model) == "Néant"


@pytest.mark.parametrize(
    ("text", "side", "kind", "target"),
    [
        ("الجماعة : صفرو", "ar", "header", "commune"),
        ("Commune : Sefrou", "fr", "header", "commune"),
        ("لسنة 1995", "ar", "header", "year"),
        ("Année 1995", "fr", "header", "year"),
        ("Annee : 1995", "fr", "header", "year"),
        ("صفحة 12", "ar", "header", "page"),
        ("Page 12", "fr", "header", "page"),
        ("سجل الولادات", "ar", "register_type", "birth"),
        ("سجل الوفيات", "ar", "register_type", "death"),
        ("سجل عقود الزواج", "ar", "register_type", "marriage"),
        ("Registre des naissances", "fr", "register_type", "birth"),
        ("Registre des décès", "fr", "register_type", "death"),
        ("Registre des mariages", "fr", "register_type", "marriage"),
        ("المملكة المغربية", "ar", "country", "MA"),
        ("République Algérienne Démocratique et Populaire", "fr", "country", "DZ"),
        ("الجمهورية التونسية", "ar", "country", "TN"),
    ],
)
def test_header_lines_are_recognised(text: str, side: str, kind: str, target: str, model):
    cls, _ = read(text, side, model)
    assert (cls.kind, cls.target) == (kind, target)


def test_the_value_of_a_header_line_follows_its_label(model):
    assert value_of("لسنة 1995", "ar", model) == "1995"
    assert value_of("Commune : Sefrou", "fr", model) == "Sefrou"


# --- no false positives --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("Marié avec Fatima Zahra BENNANI le 3 mars 2001, acte adoulaire n° 45", "fr"),
        ("Mariée avec Mohamed ALAOUI le 12/06/1990, acte n° 707 à Tiaret", "fr"),
        ("Divorcée le 3 mars 2001, acte de divorce n° 12", "fr"),
        ("Mariage dissous par divorce, jugement du tribunal de Oran n° 12 du 3 mars 2001", "fr"),
        ("Néant", "fr"),
        ("Mohamed Amine", "fr"),
        ("تزوج من فاطمة الزهراء بناني بتاريخ 3 مارس 2001 بمقتضى عقد عدلي عدد 45", "ar"),
        ("توفيت بتاريخ 3 مارس 2001 بفاس", "ar"),
        ("طلق بتاريخ 3 مارس 2001 بمقتضى رسم طلاق عدد 12", "ar"),
        ("انحل هذا الزواج بالطلاق بمقتضى حكم محكمة وهران عدد 12", "ar"),
        ("لا شيء", "ar"),
        ("محمد أمين", "ar"),
    ],
)
def test_ordinary_note_text_is_no_label(text: str, side: str, model):
    assert read(text, side, model)[0] is None


def test_an_empty_line_is_no_label(model):
    assert classify([], "fr", model) is None


def test_a_line_of_the_other_script_is_no_label(model):
    assert read("Prénom : Mohamed", "ar", model)[0] is None
    assert read("الاسم الشخصي : محمد", "fr", model)[0] is None
