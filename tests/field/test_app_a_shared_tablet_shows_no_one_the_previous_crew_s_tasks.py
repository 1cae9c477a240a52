"""Tablets are shared: when a crew signs out, the tasks it downloaded (grave owners' names and phones among them) leave
the device, and a crew of another county signing in after the last one's session lapsed is never shown them. What a
crew made and has not sent (the outbox, a half-filled form) stays on the tablet and goes when that crew signs in
again; the outbox names its maker only on records still waiting for them. Before, the tasks stayed in the browser's
store after a sign-out and were listed to whoever held the tablet next."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cemeteries import services
from field.models import Submission
from tests.base import login, lucheng_officer, ruian_officer
from tests.cemeteries.builders import LUCHENG, RUIAN, crew_member, grave_at, known_geography
from tests.field.builders import tablet_on_tasks
from tests.field.test_app_outbox_never_lies import photo, unsent, wait_until_accepted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OWNERS = {"王五": "13900000001", "赵六": "13900000002", "钱七": "13900000003"}
RUIAN_OWNER = ("孙八", "13900000004")


@pytest.fixture
def graves(db):
    known_geography()
    officer = lucheng_officer()
    crew = crew_member("crew_a", LUCHENG)
    crew.first_name = "张三"
    crew.save()
    made = {}
    for i, (name, phone) in enumerate(OWNERS.items()):
        made[name] = grave_at(200 * i, 50, officer, owner_name=name, owner_phone=phone)
        services.assign_crew(made[name], officer, [crew])
    officer = ruian_officer()
    ruian = grave_at(20_000, 50, officer, owner_name=RUIAN_OWNER[0], owner_phone=RUIAN_OWNER[1])
    services.assign_crew(ruian, officer, [crew_member("crew_r", RUIAN)])
    made["ruian"] = ruian
    return made


def task_of(grave) -> str:
    return f"grave_check:{grave.uuid}"


def check_grave(page, grave, seed: int):
    page.click("nav.tabs button[data-view=tasks]")
    page.click(f"[data-task='{task_of(grave)}']")
    page.click("[data-field=confirmed] button[data-value=true]")
    page.set_input_files(".photo-role[data-role=before] input[type=file]",
                         files=[{"name": f"{seed}.jpg", "mimeType": "image/jpeg", "buffer": photo(seed)}])
    page.wait_for_selector("#task-form[data-photos='1']")
    page.click("#task-form button.save")
    page.wait_for_selector("#view-tasks:not([hidden])")


def on_device(page) -> str:
    """What the app keeps of the packages (their tasks, the meta store) and what the page holds, as text."""
    kept = page.evaluate("Promise.all([Field.store.all('tasks'), Field.store.all('meta')]).then(r => JSON.stringify(r))")
    return kept + page.content()


def open_app(page):
    page.goto(page.base_url + "/field/")
    page.wait_for_selector("html[data-ready='1']")


def test_a_sign_out_removes_the_downloaded_tasks_and_the_next_crew_never_sees_them(browser, live_server, graves):
    context, page = tablet_on_tasks(browser, live_server, "crew_a", LUCHENG)
    page.click(f"[data-task='{task_of(graves['王五'])}']")
    expect(page.locator("#task-detail .personal")).to_contain_text("王五")
    check_grave(page, graves["王五"], 1)
    [sent] = page.evaluate("Field.store.all('outbox').then(items => items.map(i => i.client_id))")
    wait_until_accepted(page, [sent])
    context.route("**/field/api/v1/submissions", lambda route: route.abort())  # the signal goes
    check_grave(page, graves["赵六"], 2)
    assert unsent(page, 1)
    [waiting] = page.evaluate(f"Field.store.all('outbox').then(items => items.filter(i => i.client_id !== '{sent}')"
                              ".map(i => i.client_id))")
    page.click(f"[data-task='{task_of(graves['钱七'])}']")  # a form half filled in
    page.fill("#task-form textarea[name=remarks]", "坟前有新土")
    page.click("#task-form button:has-text('返回')")

    page.click("#sign-out")
    warning = page.locator("#signout-dialog[open]").inner_text()
    page.click("#signout-confirm")
    expect(page.locator("#toast")).to_contain_text("已退出登录")  # said once the sign-out is done
    text = on_device(page)
    assert not any(name in text or phone in text for name, phone in OWNERS.items())
    assert page.evaluate("Field.store.count('tasks')") == 0
    assert page.evaluate("Field.store.get('meta', 'packages')") is None
    assert "下载的任务也将从本设备删除" in warning
    expect(page.locator("#toast")).to_contain_text("下载的任务已从本设备删除；1 条未发送的记录仍保存在本设备上")
    open_app(page)  # whoever holds the tablet opens the app again
    page.click("nav.tabs button[data-view=tasks]")
    expect(page.locator("#task-list")).to_contain_text("本设备上还没有任务")
    assert page.locator("#task-list .card.task").count() == 0
    assert unsent(page, 1)  # what the crew made stays: the record waiting, and the half-filled form
    draft = page.evaluate(f"Field.store.get('drafts', '{task_of(graves['钱七'])}')")
    assert draft["remarks"] == "坟前有新土"

    # A crew of another county signs in on the same tablet: its own package, and the other crew's waiting record
    # named by its maker's name; the one the server has already is nobody's to send.
    login(page, "crew_r")
    open_app(page)
    page.wait_for_selector("#sign-out:visible")
    assert page.locator("#task-list .card.task").count() == 0
    page.click(f"article.package[data-pkg='{RUIAN}'] button.download")
    page.click(f"article.package[data-pkg='{RUIAN}'] button.open")
    expect(page.locator("#task-list .card.task")).to_have_count(1)
    page.click("nav.tabs button[data-view=outbox]")
    expect(page.locator(f".outbox-item[data-client='{waiting}'] .warning")).to_have_text(
        "由 张三 填写，待其在本设备登录后发送。")
    expect(page.locator(f".outbox-item[data-client='{sent}']")).to_have_attribute("data-state", "accepted")
    assert page.locator(f".outbox-item[data-client='{sent}'] .warning").count() == 0

    # Its session lapses without a sign-out, and the first crew signs in: the app shows it none of the other
    # county's tasks, not even while it asks the server who is signed in.
    context.unroute("**/field/api/v1/submissions")
    context.clear_cookies()
    login(page, "crew_a")
    open_app(page)
    assert page.locator("#task-list .card.task").count() == 0
    assert RUIAN_OWNER[0] not in on_device(page) and RUIAN_OWNER[1] not in on_device(page)
    wait_until_accepted(page, [waiting])  # its waiting record goes now, once
    assert Submission.objects.filter(client_id=waiting, state="accepted").count() == 1
    page.click("nav.tabs button[data-view=packages]")
    page.click(f"article.package[data-pkg='{LUCHENG}'] button.download")
    page.click(f"article.package[data-pkg='{LUCHENG}'] button.open")
    page.click(f"[data-task='{task_of(graves['钱七'])}']")
    expect(page.locator("#task-form textarea[name=remarks]")).to_have_value("坟前有新土")
    context.close()
