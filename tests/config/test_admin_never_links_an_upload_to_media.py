"""The data administration shows uploaded files without a /media/ link (there is no such route: such a link is a
404, and a public media route would bypass the reader's right). An application event's evidence links to the view
that checks the right, and that link downloads the file; a job's queued input file is shown by its name only."""

import pytest
from django.core.files.base import ContentFile

from jobs.models import Job
from placenames.models import ApplicationEvent
from tests.base import administrator, build_wenzhou, lucheng_officer
from tests.placenames.builders import draft

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_admin_pages_link_uploads_only_through_the_views_that_check_rights(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    build_wenzhou(villages=False)
    app = draft(lucheng_officer(), "望海路")
    event = ApplicationEvent.objects.create(application=app, action="submit", from_state="draft",
                                            to_state="submitted", actor=app.created_by, version=2,
                                            evidence=ContentFile(PDF, name="minutes.pdf"))
    job = Job.objects.create(kind="doorplates.import", title="门牌导入", actor=app.created_by,
                             input_file=ContentFile(b"a,b\n", name="plates.csv"))
    client.force_login(administrator())

    page = client.get(f"/admin/placenames/application/{app.pk}/change/").content.decode()
    assert "/media/" not in page
    evidence_url = f"/placenames/applications/{app.pk}/events/{event.pk}/evidence/"
    assert evidence_url in page
    download = client.get(evidence_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF

    page = client.get(f"/admin/jobs/job/{job.pk}/change/").content.decode()
    assert "/media/" not in page and "plates" in page
