"""Marginal notes added to an act after it was drawn up: marriage, divorce, death, rectification."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sample_scans.names import Place, Pools
from sample_scans.writing import arabic_date, french_date

LAST_DAY = dt.date(2024, 12, 31)


@dataclass(frozen=True)
class Note:
    """One marginal note in both languages, digits Western (the caller writes them)."""

    day: dt.date
    ar: str
    fr: str


@dataclass(frozen=True)
class NoteContext:
    """What a note needs to know about the act and its register."""

    act_type: str
    sex: str  # of the act's subject ('M'/'F'); the husband's for a marriage act
    birth: dt.date | None
    drawn_up: dt.date
    country: str
    commune: Place
    ar_date_style: str
    fr_date_style: str
    fr_upper_family: bool


def _after(rng: random.Random, start: dt.date, min_days: int, max_days: int) -> dt.date | None:
    first = start + dt.timedelta(days=min_days)
    if first > LAST_DAY:
        return None
    span = min(max_days - min_days, (LAST_DAY - first).days)
    return first + dt.timedelta(days=rng.randint(0, max(span, 0)))


def _number(rng: random.Random, day: dt.date) -> str:
    n = str(rng.randint(1, 2400))
    return f"{n}/{day.year}" if rng.random() < 0.4 else n


def _dates(ctx: NoteContext, day: dt.date) -> tuple[str, str]:
    return arabic_date(day, ctx.ar_date_style, ctx.country), french_date(day, ctx.fr_date_style)


def _marriage(rng: random.Random, ctx: NoteContext, pools: Pools, day: dt.date) -> Note:
    spouse_pool = pools.female if ctx.sex == "M" else pools.male
    given, family = rng.choice(spouse_pool), rng.choice(pools.family)
    family_fr = family.spell(rng)
    spouse_ar = f"{given.ar} {family.ar}"
    spouse_fr = f"{given.spell(rng)} {family_fr.upper() if ctx.fr_upper_family else family_fr}"
    d_ar, d_fr = _dates(ctx, day)
    num = _number(rng, day)
    male = ctx.sex == "M"
    ar = f"{'تزوج' if male else 'تزوجت'} من {spouse_ar} بتاريخ {d_ar}"
    fr = f"{'Marié' if male else 'Mariée'} avec {spouse_fr} le {d_fr}"
    if ctx.country == "MA":
        ar += f" بمقتضى عقد عدلي عدد {num}"
        fr += f", acte adoulaire n° {num}"
    else:
        place = ctx.commune
        ar += f" بعقد عدد {num} ب{place.ar}"
        fr += f", acte n° {num} à {place.fr[0]}"
    return Note(day, ar, fr)


def _divorce(rng: random.Random, ctx: NoteContext, day: dt.date) -> Note:
    d_ar, d_fr = _dates(ctx, day)
    num = _number(rng, day)
    place = ctx.commune
    if ctx.act_type == "marriage":
        return Note(
            day,
            f"انحل هذا الزواج بالطلاق بمقتضى حكم محكمة {place.ar} عدد {num} بتاريخ {d_ar}",
            f"Mariage dissous par divorce, jugement du tribunal de {place.fr[0]}"
            f" n° {num} du {d_fr}",
        )
    male = ctx.sex == "M"
    if ctx.country == "MA":
        return Note(
            day,
            f"{'طلق' if male else 'طلقت'} بتاريخ {d_ar} بمقتضى رسم طلاق عدد {num}",
            f"{'Divorcé' if male else 'Divorcée'} le {d_fr}, acte de divorce n° {num}",
        )
    return Note(
        day,
        f"{'طلق' if male else 'طلقت'} بتاريخ {d_ar} بمقتضى حكم عدد {num}",
        f"{'Divorcé' if male else 'Divorcée'} le {d_fr}, jugement n° {num}",
    )


def _death(rng: random.Random, ctx: NoteContext, pools: Pools, day: dt.date) -> Note:
    place = ctx.commune if rng.random() < 0.6 else rng.choice(pools.places_in(ctx.country))
    d_ar, d_fr = _dates(ctx, day)
    male = ctx.sex == "M"
    return Note(
        day,
        f"{'توفي' if male else 'توفيت'} بتاريخ {d_ar} ب{place.ar}",
        f"{'Décédé' if male else 'Décédée'} le {d_fr} à {place.spell(rng)}",
    )


def _rectification(rng: random.Random, ctx: NoteContext, day: dt.date) -> Note:
    fields = [("الاسم العائلي", "Nom rectifié"), ("الاسم الشخصي", "Prénom rectifié")]
    if ctx.act_type == "birth":
        fields.append(("تاريخ الازدياد", "Date de naissance rectifiée"))
    field_ar, field_fr = rng.choice(fields)
    d_ar, d_fr = _dates(ctx, day)
    num = _number(rng, day)
    place = ctx.commune
    if ctx.country == "MA":
        court_ar = f"المحكمة الابتدائية ب{place.ar}"
        court_fr = f"tribunal de première instance de {place.fr[0]}"
    else:
        court_ar, court_fr = f"محكمة {place.ar}", f"tribunal de {place.fr[0]}"
    return Note(
        day,
        f"صحح {field_ar} بمقتضى حكم {court_ar} عدد {num} بتاريخ {d_ar}",
        f"{field_fr} par jugement du {court_fr} n° {num} du {d_fr}",
    )


def _birth_act_notes(rng: random.Random, ctx: NoteContext, pools: Pools) -> list[Note]:
    notes: list[Note] = []
    if rng.random() < 0.3 and (day := _after(rng, ctx.drawn_up, 60, 12000)):
        notes.append(_rectification(rng, ctx, day))
    assert ctx.birth is not None
    married = _after(rng, ctx.birth, 18 * 365, 40 * 365) if rng.random() < 0.75 else None
    if married:
        notes.append(_marriage(rng, ctx, pools, married))
        if rng.random() < 0.3 and (day := _after(rng, married, 200, 9000)):
            notes.append(_divorce(rng, ctx, day))
    if ctx.birth.year < 1965 and rng.random() < 0.5:
        start = max([ctx.birth + dt.timedelta(days=40 * 365)] + [n.day for n in notes])
        if day := _after(rng, start, 30, 45 * 365):
            notes.append(_death(rng, ctx, pools, day))
    return sorted(notes, key=lambda n: n.day)


def draw_notes(rng: random.Random, ctx: NoteContext, pools: Pools) -> list[Note]:
    """0-2 dated notes, oldest first, all after the act was drawn up and before 2025."""
    count = rng.choices((0, 1, 2), (0.5, 0.33, 0.17))[0]
    if ctx.act_type == "birth":
        candidates = _birth_act_notes(rng, ctx, pools)
    elif ctx.act_type == "death":
        count = min(count, 1) if rng.random() < 0.4 else 0
        day = _after(rng, ctx.drawn_up, 60, 8000)
        candidates = [_rectification(rng, ctx, day)] if day else []
    else:
        candidates = []
        if day := _after(rng, ctx.drawn_up, 60, 6000):
            candidates.append(_rectification(rng, ctx, day))
        if day := _after(rng, ctx.drawn_up, 365, 12000):
            candidates.append(_divorce(rng, ctx, day))
        candidates.sort(key=lambda n: n.day)
    if len(candidates) <= count:
        return candidates
    keep = sorted(rng.sample(range(len(candidates)), count))
    return [candidates[i] for i in keep]
