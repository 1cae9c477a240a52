"""Evidence attached to a step is kept only when its content is an accepted kind (PDF, images, office files) and
is served only to a reader of its application, as a download with nosniff: never from a public /media/ URL."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from placenames.models import Application, ApplicationEvent
from placenames.models import ApplicationState as S
from tests.base import lucheng_officer, ruian_officer
from tests.placenames.builders import draft

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture
def submitted_with(wenzhou_counties, client):
    def submit(name: str, content: bytes):
        officer = lucheng_officer()
        client.force_login(officer)
        app = draft(officer, "望海路")
        response = client.post(f"/placenames/applications/{app.pk}/act/submit/",
                               {"version": app.version, "evidence": SimpleUploadedFile(name, content)})
        app.refresh_from_db()
        return app, response
    return submit


def test_a_pdf_is_downloaded_by_a_reader_of_the_application_with_nosniff(submitted_with, client):
    app, _ = submitted_with("意见.pdf", PDF)
    event = ApplicationEvent.objects.get(application=app)
    assert app.state == S.SUBMITTED and event.evidence.name.endswith(".pdf")
    page = client.get(f"/placenames/applications/{app.pk}/").content.decode()
    url = f"/placenames/applications/{app.pk}/events/{event.pk}/evidence/"
    assert url in page and "/media/" not in page

    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]

    api = client.get(f"/placenames/api/applications/{app.pk}/", HTTP_ACCEPT="application/json")
    assert url in api.content.decode() and "/media/" not in api.content.decode()


def test_no_one_else_gets_the_file_and_no_media_url_serves_it(submitted_with, client):
    app, _ = submitted_with("意见.pdf", PDF)
    event = ApplicationEvent.objects.get(application=app)
    url = f"/placenames/applications/{app.pk}/events/{event.pk}/evidence/"
    assert client.get(f"/media/{event.evidence.name}").status_code == 404
    client.force_login(ruian_officer())
    assert client.get(url).status_code == 404  # another county's application does not exist for him
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page
    assert client.get(f"/media/{event.evidence.name}").status_code == 404


@pytest.mark.parametrize("name", ["page.html", "scan.pdf", "photo.png", "report.docx"])
def test_html_is_refused_whatever_its_name_says(submitted_with, client, name):
    app, response = submitted_with(name, HTML)
    assert app.state == S.DRAFT and not ApplicationEvent.objects.filter(application=app).exists()
    assert response.status_code == 400  # the page itself, the form as it was sent
    assert "不是可接受的文件类型" in response.content.decode()


def test_a_word_document_is_accepted_by_its_content(submitted_with):
    from zipfile import ZipFile

    data = io.BytesIO()
    with ZipFile(data, "w") as docx:
        docx.writestr("[Content_Types].xml", "<Types/>")
        docx.writestr("word/document.xml", "<w:document/>")
    app, _ = submitted_with("专家意见", data.getvalue())
    assert ApplicationEvent.objects.get(application=app).evidence.name.endswith("专家意见.docx")
    assert Application.objects.get(pk=app.pk).state == S.SUBMITTED
