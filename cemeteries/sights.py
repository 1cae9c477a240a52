"""Visibility from the road, per grave: computing a corridor's counts, and keeping them current as a background job
whenever a corridor or the DEM changes (cemeteries.jobs runs `compute_corridor`).

The work order ranks the open graves of a corridor by how many observers see them, then by grade (A before C).
"""

from __future__ import annotations

import numpy as np
from django.contrib.gis.measure import D
from django.db import transaction
from django.db.models import F, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from cemeteries.campaign_models import CorridorSight, GraveSight
from cemeteries.models import Corridor, Grave, GraveState
from cemeteries.terrain import SightParams, counts_along, current_dem

JOB_KIND = "cemeteries.visibility"
# the states in which a crew still has work on the grave (remediated ones await the township's acceptance only)
TO_WORK_ON = (GraveState.IDENTIFIED, GraveState.CHECKED, GraveState.NOTIFIED, GraveState.IN_REMEDIATION,
              GraveState.REBOUNDED)


def _lines_xy(corridor: Corridor) -> list[np.ndarray]:
    return [np.asarray(line.coords, dtype=float) for line in corridor.geom_4549]


def compute_corridor(corridor: Corridor, progress=None, params: SightParams | None = None) -> dict:
    """Counts, for every grave within the sight radius of the corridor, the observers along it that see the grave;
    stores them (GraveSight), the run's facts (CorridorSight) and each grave's largest count (Grave.visibility)."""
    dem = current_dem()
    if dem is None:
        return {"corridor": corridor.pk, "computed": False, "reason": "no_dem"}
    params = params or SightParams.from_settings()
    graves = list(Grave.objects.filter(geom_4549__dwithin=(corridor.geom_4549, D(m=params.radius_m)))
                  .values_list("pk", "geom_4549"))
    targets = np.array([(g.x, g.y) for _pk, g in graves], dtype=float).reshape(-1, 2)
    counts, observers = counts_along(dem, _lines_xy(corridor), targets, params, progress)
    with transaction.atomic():
        before = set(GraveSight.objects.filter(corridor=corridor).values_list("grave_id", flat=True))
        GraveSight.objects.filter(corridor=corridor).delete()
        GraveSight.objects.bulk_create(GraveSight(grave_id=pk, corridor=corridor, observers=int(n))
                                       for (pk, _g), n in zip(graves, counts, strict=True))
        CorridorSight.objects.update_or_create(corridor=corridor, defaults={
            "dem_path": str(dem), "observers": observers, "spacing_m": params.spacing_m, "eye_m": params.eye_m,
            "target_m": params.target_m, "radius_m": params.radius_m, "graves": len(graves),
            "computed_at": timezone.now()})
        refresh_grave_visibility(before | {pk for pk, _g in graves})
    seen = int((counts > 0).sum())
    return {"corridor": corridor.pk, "corridor_name": corridor.name, "computed": True, "graves": len(graves),
            "seen": seen, "observers": observers, "most": int(counts.max()) if len(counts) else 0}


def refresh_grave_visibility(grave_ids) -> int:
    """Grave.visibility := the largest count over the corridors (NULL when no corridor counted it)."""
    best = (GraveSight.objects.filter(grave=OuterRef("pk")).values("grave").annotate(m=Max("observers"))
            .values("m"))
    return Grave.objects.filter(pk__in=list(grave_ids)).update(visibility=Subquery(best))


def schedule(corridors, *, actor=None) -> list:
    """Queues a visibility job per corridor, unless one for it is already waiting."""
    from jobs.services import submit, waiting

    jobs = []
    for corridor in corridors:
        if waiting(JOB_KIND, corridor=corridor.pk):
            continue
        jobs.append(submit(JOB_KIND, actor, title=_("Visibility from %(corridor)s") % {"corridor": corridor.name},
                           params={"corridor": corridor.pk}))
    return jobs


def schedule_all(*, actor=None) -> list:
    return schedule(Corridor.objects.all(), actor=actor)


def corridors_missing_counts(params: SightParams | None = None):
    """Corridors near a grave that has no count yet (a grave added since the corridor's last run)."""
    from django.db.models import Exists

    params = params or SightParams.from_settings()
    uncounted = Grave.objects.filter(visibility__isnull=True,
                                     geom_4549__dwithin=(OuterRef("geom_4549"), D(m=params.radius_m)))
    return Corridor.objects.filter(Exists(uncounted))


def work_order(corridor: Corridor, graves=None):
    """Graves to work on (a campaign's, else those in the corridor's band), most seen from the corridor first, then by
    grade (A, B, C), then nearest the road."""
    from cemeteries.models import GraveTag

    graves = graves if graves is not None else Grave.objects.in_corridor(corridor)
    sight = GraveSight.objects.filter(corridor=corridor, grave=OuterRef("pk")).values("observers")[:1]
    distance = GraveTag.objects.filter(corridor=corridor, grave=OuterRef("pk")).values("distance_m")[:1]
    return (graves.filter(state__in=TO_WORK_ON, protected=False)
            .annotate(seen_by=Subquery(sight), road_distance_m=Subquery(distance))
            .order_by(F("seen_by").desc(nulls_last=True), "grade", F("road_distance_m").asc(nulls_last=True), "pk"))
