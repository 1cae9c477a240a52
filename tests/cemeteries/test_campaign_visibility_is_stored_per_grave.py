"""Visibility from the road per grave: a hand-made DEM (flat ground with a 50 m wall north of the road), a corridor
with an observer every 100 m, each grave's count stored; `load_dem` checks and registers a DEM and queues the
corridors; a file that is not a GeoTIFF or an .hgt is refused."""

import numpy as np
import pytest
import rasterio
from affine import Affine
from django.core.management import CommandError, call_command
from django.test import override_settings

from boundaries.models import AdminArea
from cemeteries.campaign_models import CorridorSight, ElevationModel, GraveSight
from cemeteries.models import Corridor, CorridorKind, Grave
from cemeteries.sights import compute_corridor, work_order
from tests.cemeteries.builders import ORIGIN, SHANGAO, TENGQIAO, at, known_geography, line

pytestmark = pytest.mark.django_db
SIGHT = {"CEMETERIES_OBSERVER_SPACING_M": 100.0, "CEMETERIES_EYE_HEIGHT_M": 1.2, "CEMETERIES_GRAVE_HEIGHT_M": 1.0,
         "CEMETERIES_SIGHT_RADIUS_M": 1500.0}
CELL = 25.0


def write_dem(path):
    """x -1,500..2,500 and y -1,500..1,500 around the builders' origin, 25 m cells; a wall 50 m high over
    y = +300..+350 from x = -1,500 to 2,500 hides everything north of it from the road along y = 0."""
    cols, rows = int(4000 / CELL), int(3000 / CELL)
    transform = Affine(CELL, 0, ORIGIN[0] - 1500, 0, -CELL, ORIGIN[1] + 1500)
    heights = np.zeros((rows, cols), dtype="float32")
    wall_rows = [r for r in range(rows) if 300 <= 1500 - (r + 0.5) * CELL <= 350]
    heights[wall_rows, :] = 50.0
    with rasterio.open(path, "w", driver="GTiff", width=cols, height=rows, count=1, dtype="float32",
                       crs="EPSG:4549", transform=transform) as dst:
        dst.write(heights, 1)
    return path


@pytest.fixture
def scene(tmp_path):
    areas = known_geography()
    road = Corridor.objects.create(name="G1", kind=CorridorKind.EXPRESSWAY, geom=line((0, 0), (1000, 0)))

    def grave(x, y, grade="B"):
        return Grave.objects.create(geom=at(x, y), area=areas[SHANGAO], township=areas[TENGQIAO], grade=grade)

    graves = {"south": grave(500, -200, "C"), "before_wall": grave(500, 150, "A"), "behind_wall": grave(500, 700),
              "far": grave(500, -1490)}
    return road, graves, write_dem(tmp_path / "wall.tif")


@override_settings(**SIGHT)
def test_each_grave_gets_the_number_of_observers_that_see_it(scene):
    road, graves, dem = scene
    call_command("load_dem", str(dem), "--no-recount", stdout=open("/dev/null", "w"))  # noqa: SIM115

    result = compute_corridor(road)

    counts = dict(GraveSight.objects.filter(corridor=road).values_list("grave_id", "observers"))
    # 11 observers (x = 0, 100 ... 1,000): all see the flat ground on the road's side; none sees past the wall
    assert counts[graves["south"].pk] == 11
    assert counts[graves["before_wall"].pk] == 11
    assert counts[graves["behind_wall"].pk] == 0
    # 1,490 m south: within the 1,500 m radius of the few observers nearest it only (cell by cell)
    assert 0 < counts[graves["far"].pk] < 11
    assert result["observers"] == 11 and result["graves"] == 4
    for g in graves.values():
        g.refresh_from_db()
    assert graves["south"].visibility == 11 and graves["behind_wall"].visibility == 0
    assert CorridorSight.objects.get(corridor=road).observers == 11


@override_settings(**SIGHT)
def test_the_work_order_ranks_by_visibility_then_grade(scene):
    from cemeteries.models import GraveTag

    road, graves, dem = scene
    call_command("load_dem", str(dem), "--no-recount", stdout=open("/dev/null", "w"))  # noqa: SIM115
    compute_corridor(road)
    for g in graves.values():  # the tags cem's tagging keeps; written here for the band
        GraveTag.objects.create(grave=g, corridor=road, distance_m=abs(g.geom_4549.y - ORIGIN[1]), inside=True)

    order = [g.pk for g in work_order(road)]

    assert order[:2] == [graves["before_wall"].pk, graves["south"].pk]  # both seen by 11: A before C
    assert order[-1] == graves["behind_wall"].pk


@override_settings(**SIGHT)
def test_load_dem_registers_the_dem_and_queues_every_corridor_and_the_job_computes_it(scene):
    from cemeteries.sights import JOB_KIND
    from jobs.services import run

    road, graves, dem = scene
    call_command("load_dem", str(dem), stdout=open("/dev/null", "w"))  # noqa: SIM115

    registered = ElevationModel.objects.get()
    assert registered.driver == "GTiff" and registered.width == 160 and abs(registered.cell_m - 25) < 0.01
    from jobs.models import Job

    job = Job.objects.get(kind=JOB_KIND, params__corridor=road.pk)
    run(job)
    job.refresh_from_db()
    assert job.status == "done" and job.result["seen"] == 3
    assert GraveSight.objects.filter(corridor=road).count() == 4


def test_a_file_that_is_not_a_geotiff_or_hgt_is_refused(tmp_path):
    vrt = tmp_path / "dem.tif"
    vrt.write_text('<VRTDataset rasterXSize="1" rasterYSize="1"><VRTRasterBand band="1"><SimpleSource>'
                   '<SourceFilename>/etc/passwd</SourceFilename></SimpleSource></VRTRasterBand></VRTDataset>')
    with pytest.raises(CommandError) as told:
        call_command("load_dem", str(vrt), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert "GeoTIFF" in str(told.value)
    assert not ElevationModel.objects.exists()


@override_settings(**SIGHT)
def test_the_hourly_catch_up_counts_a_grave_added_after_its_corridor_was_counted(scene):
    from cemeteries.jobs import count_new_graves_hourly
    from cemeteries.sights import JOB_KIND
    from jobs.models import Job
    from jobs.registry import chores
    from jobs.services import run

    road, graves, dem = scene
    far_road = Corridor.objects.create(name="G2", kind=CorridorKind.NATIONAL, geom=line((20000, 0), (21000, 0)))
    call_command("load_dem", str(dem), "--no-recount", stdout=open("/dev/null", "w"))  # noqa: SIM115
    compute_corridor(road)
    assert count_new_graves_hourly() == 0  # every grave near a road counted: nothing to catch up
    areas = {a.code: a for a in AdminArea.objects.all()}
    new = Grave.objects.create(geom=at(300, -100), area=areas[SHANGAO], township=areas[TENGQIAO])
    hidden = Grave.objects.create(geom=at(300, 800), area=areas[SHANGAO], township=areas[TENGQIAO])  # behind the wall
    assert new.visibility is None

    catch_up = next(c for c in chores() if c.name == "cemeteries.visibility_catch_up")
    assert catch_up.every.total_seconds() == 3600
    assert catch_up.run() == 1  # the near road only, once
    assert count_new_graves_hourly() == 0  # already waiting: not queued twice
    job = Job.objects.get(kind=JOB_KIND)
    assert job.params == {"corridor": road.pk} and far_road.pk != road.pk
    run(job)

    new.refresh_from_db()
    hidden.refresh_from_db()
    assert new.visibility == 11 and hidden.visibility == 0
    assert GraveSight.objects.get(grave=new, corridor=road).observers == 11
    assert count_new_graves_hourly() == 0  # counted now (0 is a count, not a gap)
