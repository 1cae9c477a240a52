from canteens import services
from tests.base import lucheng_officer, ruian_officer


def test_the_record_page_lists_each_change_with_its_actor(client, canteens):
    officer = lucheng_officer()
    c1 = canteens["C1"]
    services.update_canteen(c1, officer, {"seats": 48, "opening_hours": "每日 11:00-12:30"})
    services.change_status(c1, officer, "suspended", reason="厨房改造")
    client.force_login(officer)

    page = client.get(f"/canteens/{c1.uuid}/").content.decode()

    history = page[page.index('id="canteen-history"'):]
    history = history[:history.index("</table>")]  # the history table, not what the page holds after it
    assert "厨房改造" in history and "lucheng_officer" in history
    # Field labels and a before/after of each, never column names or a snapshot's JSON.
    assert "opening_hours" not in history and "seats" not in history and "{" not in history
    assert "供餐时间" in history and "每日 11:00-12:30" in history and "座位数" in history and "48" in history
    assert "suspended" not in history  # the status change reads as its label
    assert history.index("厨房改造") < history.index("供餐时间")  # newest first


def test_another_countys_canteen_is_not_found(client, canteens):
    client.force_login(ruian_officer())

    assert client.get(f"/canteens/{canteens['C1'].uuid}/").status_code == 404


def test_the_list_filters_by_status(client, canteens):
    client.force_login(ruian_officer())

    page = client.get("/canteens/list/?status=open").content.decode()

    assert "塘下镇南助餐点" in page and "北垟村老年食堂" not in page
