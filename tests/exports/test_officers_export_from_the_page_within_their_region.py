import io
import zipfile

import pytest

from exports import sql
from exports.models import ExportLog
from tests.base import lucheng_officer, make_user
from tests.exports.builders import consumer, place, read_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def names(wenzhou_counties):
    return place("解放路"), place("安阳路", county="330381")


def test_an_officer_downloads_amap_for_their_county_only_and_sees_it_logged(client, names, tmp_path):
    client.force_login(lucheng_officer())
    page = client.get("/exports/")
    assert page.status_code == 200
    assert "高德地图" in page.content.decode()

    response = client.post("/exports/download", {"profile": "amap", "layer": "roads", "encoding": "utf-8-sig"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    path = tmp_path / "roads.csv"
    path.write_bytes(b"".join(response.streaming_content))
    assert [row["_name"] for row in read_csv(path, "utf-8-sig")] == ["解放路"]

    entry = ExportLog.objects.get()
    assert (entry.user.username, entry.profile, entry.layer, entry.records) == ("lucheng_officer", "amap", "roads", 1)
    log_table = client.get("/exports/").content.decode().split('id="export-log"')[1]
    assert "lucheng_officer" in log_table and "道路" in log_table and "roads" not in log_table


def test_an_officer_cannot_export_another_county(client, names):
    client.force_login(lucheng_officer())
    response = client.post("/exports/download", {"profile": "amap", "layer": "roads", "encoding": "utf-8",
                                                 "area": "330381"})
    assert response.status_code == 400  # 330381 is not among the officer's choices


def test_warnings_come_in_a_zip_beside_the_file(client, names):
    place("温州市鹿城区五马街道" * 5 + "路", shift=3)
    client.force_login(lucheng_officer())
    response = client.post("/exports/download", {"profile": "baidu", "layer": "roads", "encoding": "gbk"})
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names_in = sorted(archive.namelist())
    assert len(names_in) == 2 and names_in[1].endswith(".warnings.csv")


def test_people_without_an_export_role_are_turned_away(client, wenzhou_counties):
    client.force_login(make_user("clerk"))
    assert client.get("/exports/").status_code == 403


def test_a_platform_s_page_offers_only_the_layers_of_its_grant(client, names):
    """Before, every layer its role might see, and a refusal naming the layer's code after the choice."""
    user = make_user("amap", "platform_consumer", "330300")
    consumer(user, layers=("roads",))
    client.force_login(user)
    page = client.get("/exports/").content.decode()
    offered = page.split('name="layer"')[1].split("</select>")[0]
    assert 'value="roads"' in offered and 'value="places"' not in offered and 'value="canteens"' not in offered
    assert client.post("/exports/download", {"profile": "amap", "layer": "places", "encoding": "utf-8"}
                       ).status_code == 400


def test_a_refused_export_is_said_on_the_form_with_what_was_chosen(client, names):
    """Before, an error page: a "since" after the newest transaction, or a list of standard names asked of a layer
    that holds none, lost the form."""
    client.force_login(lucheng_officer())
    since = sql.latest_txid() + 100
    response = client.post("/exports/download", {"profile": "amap", "layer": "roads", "encoding": "utf-8",
                                                  "since": since})
    page = response.content.decode()
    assert response.status_code == 400 and f"事务号 {since} 尚未发生" in page and f'value="{since}"' in page
    assert "since=" not in page
    response = client.post("/exports/download", {"profile": "shangtu", "layer": "doorplates", "encoding": "utf-8"})
    assert response.status_code == 400 and "门牌" in response.content.decode() and "doorplates 不是" not in \
        response.content.decode()


def test_a_csv_says_its_encoding(client, names):
    client.force_login(lucheng_officer())
    for encoding, charset in (("utf-8", "utf-8"), ("utf-8-sig", "utf-8"), ("gbk", "gbk")):
        response = client.post("/exports/download", {"profile": "amap", "layer": "roads", "encoding": encoding})
        assert response["Content-Type"] == f"text/csv; charset={charset}"
