"""Name search: by Chinese name (exact, prefix, same sound, similar by trigram), by full pinyin and by initials.

Two stages, so that every query stays on an index: first exact and prefix matches (B-tree indexes on name,
pinyin_key and initials, ``varchar_pattern_ops`` for the prefixes), then, when they leave room, the fuzzy
matches of pg_trgm (GIN indexes) best first. Mixing the two in one ``OR`` made PostgreSQL scan the whole table.
Two-character queries (江滨) then get the names that contain them anywhere, through the character-pair index of
migration 0005, and one character (路) the names that contain it, shortest first; pinyin under five letters gets only
the first stage. Pinyin gets fuzzy matches only
when nothing starts with what was typed (a typo: jiefanlu).
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, transaction
from django.db.models import BooleanField, Case, ExpressionWrapper, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from gis.errors import InputError
from placenames.models import Place, PlaceStatus
from placenames.pinyin import pinyin_key, split_name

MAX_RESULTS = 100
MIN_FUZZY_HANZI = 3
MIN_FUZZY_LETTERS = 5
_ASCII_QUERY = re.compile(r"^[a-z' ]+$")


def _normalise(query: str) -> str:
    return " ".join((query or "").split())


def is_pinyin_query(query: str) -> bool:
    return bool(_ASCII_QUERY.match(query.lower()))


def search_places(query: str, *, queryset=None, county: str | None = None, kind: str | None = None,
                  statuses=(PlaceStatus.IN_USE,), limit: int = 20) -> list[Place]:
    """Places matching ``query``, best first. ``queryset`` lets the caller scope (accounts.scoping.scope)."""
    query = _normalise(query)
    if not query:
        return []
    if len(query) > 50:
        raise InputError(_("The search words are too long."), where={"field": "q", "length": len(query)})
    limit = max(1, min(int(limit), MAX_RESULTS))
    rows = (queryset if queryset is not None else Place.objects.all()).filter(status__in=statuses)
    if county:
        rows = rows.filter(area__code12__startswith=county[:6])
    if kind:
        rows = rows.filter(kind__code=kind)
    # The area's boundary is large and no result needs it.
    rows = rows.select_related("kind", "area").defer("geom_3857", "area__geom", "area__geom_3857",
                                                     "area__service_point")
    stage = _PinyinQuery(query) if is_pinyin_query(query) else _NameQuery(query)
    found = list(rows.filter(stage.exact()).annotate(rank=stage.rank()).order_by("rank", "name")[:limit])
    if len(found) < limit and stage.pairs_allowed():
        found += list(rows.filter(_contains_pair(query)).exclude(pk__in=[p.pk for p in found])
                      .order_by(Length("name"), "name")[: limit - len(found)])
    if len(found) < limit and stage.single_character():
        found += list(rows.filter(name__contains=query).exclude(pk__in=[p.pk for p in found])
                      .order_by(Length("name"), "name")[: limit - len(found)])
    if len(found) < limit and stage.fuzzy_allowed(len(found)):
        more = (rows.filter(stage.fuzzy()).exclude(pk__in=[p.pk for p in found])
                .annotate(similarity=stage.similarity()).order_by("-similarity", "name")[: limit - len(found)])
        with transaction.atomic(), connection.cursor() as cursor:
            # The `%` operator's cut-off, for this query only: pinyin keys are built from a few hundred
            # syllables and share many trigrams, so they need a stricter one than Chinese names.
            cursor.execute("SELECT current_setting('pg_trgm.similarity_threshold'), "
                           "set_config('pg_trgm.similarity_threshold', %s, true)", [str(stage.threshold)])
            previous = cursor.fetchone()[0]
            found += list(more)
            cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [previous])
    return found


def _contains_pair(pair: str):
    """The name contains the two characters ``pair`` (the GIN index on placenames_bigrams(name))."""
    return ExpressionWrapper(RawSQL('placenames_bigrams("placenames_place"."name") @> ARRAY[%s]::text[]', [pair]),
                             output_field=BooleanField())


class _NameQuery:
    threshold = 0.3  # pg_trgm's default: 解放路 and 解放北路 score 0.28, 解放东路 and 解放北路 0.33

    def __init__(self, query: str):
        self.query = query
        try:
            self.key = pinyin_key(query)
            self.specific = split_name(query)[0]
        except InputError:
            self.key, self.specific = "", ""

    def exact(self) -> Q:
        match = Q(name=self.query) | Q(name__startswith=self.query)
        if self.key:
            match |= Q(pinyin_key=self.key)  # 介放路 finds 解放路
        if len(self.specific) >= 2 and self.specific != self.query:
            match |= Q(name__startswith=self.specific)  # 解放路 finds 解放北路
        return match

    def rank(self):
        return Case(When(name=self.query, then=Value(0)), When(name__startswith=self.query, then=Value(1)),
                    When(pinyin_key=self.key, then=Value(2)), default=Value(3), output_field=IntegerField())

    def pairs_allowed(self) -> bool:
        return len(self.query) == 2

    def single_character(self) -> bool:
        return len(self.query) == 1

    def fuzzy_allowed(self, found: int) -> bool:
        return len(self.query) >= MIN_FUZZY_HANZI

    def fuzzy(self) -> Q:
        return Q(name__contains=self.query) | Q(name__trigram_similar=self.query)

    def similarity(self):
        return TrigramSimilarity("name", self.query)


class _PinyinQuery:
    threshold = 0.5

    def __init__(self, query: str):
        self.key = query.lower().replace(" ", "").replace("'", "")

    def exact(self) -> Q:
        return Q(initials__startswith=self.key) | Q(pinyin_key__startswith=self.key)

    def rank(self):
        return Case(When(initials=self.key, then=Value(0)), When(pinyin_key=self.key, then=Value(0)),
                    When(pinyin_key__startswith=self.key, then=Value(1)), default=Value(2),
                    output_field=IntegerField())

    def pairs_allowed(self) -> bool:
        return False

    def single_character(self) -> bool:
        return False

    def fuzzy_allowed(self, found: int) -> bool:
        # Typo tolerance ("did you mean"): only when nothing starts with what was typed.
        return found == 0 and len(self.key) >= MIN_FUZZY_LETTERS

    def fuzzy(self) -> Q:
        return Q(pinyin_key__trigram_similar=self.key)

    def similarity(self):
        return TrigramSimilarity("pinyin_key", self.key)
