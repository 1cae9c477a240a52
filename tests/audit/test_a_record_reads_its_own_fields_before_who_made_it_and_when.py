"""A made or changed record reads its own fields first, then those every record of its kind shares through an abstract
base (who recorded or uploaded it and when): Django declares those first, and a page in that order opened each marker
record, segment finding and photo with "recorded by" and "uploaded at"."""

from audit.history import reading_order, record_fields
from boundaries.inspection_models import MarkerRecord, RecordPhoto


def names(model) -> list[str]:
    return [field.name for field in reading_order(model)]


def test_own_fields_come_first_and_the_shared_ones_last_in_their_order():
    order = names(RecordPhoto)
    assert order[:2] == ["id", "record"]
    assert order[-2:] == ["uploaded_by", "uploaded_at"]
    assert sorted(order) == sorted(f.name for f in RecordPhoto._meta.concrete_fields)  # none lost, none twice
    record = names(MarkerRecord)  # its own, then those of Signed and Recorded
    assert record[:4] == ["id", "uuid", "campaign", "marker"]
    assert min(record.index(name) for name in ("recorded_by", "recorded_at", "is_current")) > record.index("marker")


def test_a_created_photo_is_listed_from_its_file_to_when_it_was_uploaded():
    made = {"id": 7, "record_id": None, "image": "boundaries/inspections/a.jpg", "sha256": "", "caption": "界桩全貌",
            "uploaded_by_id": None, "uploaded_at": "2026-12-03T08:00:00+00:00"}

    labels = [row.label for row in record_fields(made, RecordPhoto)]

    assert labels[0] == str(RecordPhoto._meta.get_field("record").verbose_name)
    assert labels[-2:] == [str(RecordPhoto._meta.get_field(n).verbose_name) for n in ("uploaded_by", "uploaded_at")]
