"""A file input on an office page is drawn in the page's words (选择文件, 未选择文件, then the file's name), not in the
language of the browser's own interface, and still does all an input does: a file set on it, or dropped on it, is
the one the form uploads, a required file is still asked for before the form is sent, and the keyboard still reaches it."""

import pytest
from playwright.sync_api import expect

from jobs.models import Job
from tests.base import login, lucheng_officer
from tests.doorplates.builders import make_road
from tests.doorplates.test_bulk_import import good_rows, write_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DROP = """([name, text]) => {
  const transfer = new DataTransfer();
  transfer.items.add(new File([text], name, {type: "text/csv"}));
  const picker = document.querySelector("#import-form .file-picker");
  picker.dispatchEvent(new DragEvent("dragover", {dataTransfer: transfer, bubbles: true, cancelable: true}));
  picker.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
}"""


def test_the_import_form_s_file_input_speaks_chinese_and_uploads_the_file_chosen(offline_page, wenzhou_counties,
                                                                                  tmp_path):
    page = offline_page
    lucheng_officer()
    path = write_csv(tmp_path / "门牌.csv", good_rows(make_road("解放街")))
    login(page, "lucheng_officer")
    page.goto(page.base_url + "/doorplates/import/")

    button, name = page.locator("#import-form .file-button"), page.locator("#import-form .file-name")
    expect(button).to_have_text("选择文件")
    expect(name).to_have_text("未选择文件")
    assert page.locator("input[name=file]").bounding_box()["width"] <= 1  # the browser's own control is not drawn
    page.focus("select[name=encoding]")
    page.keyboard.press("Shift+Tab")  # the input keeps its place in the keyboard's order, and shows its focus
    assert page.evaluate("document.activeElement.name") == "file"
    assert button.evaluate("(e) => getComputedStyle(e).outlineStyle") == "solid"

    page.click("#import-form button[type=submit]")  # no file: the browser asks for one, nothing is sent
    assert page.url.endswith("/doorplates/import/") and not Job.objects.exists()

    page.evaluate(DROP, ["拖入.csv", "道路,门牌号\n"])
    expect(name).to_have_text("拖入.csv")
    assert page.evaluate("document.querySelector('input[name=file]').files[0].name") == "拖入.csv"

    page.set_input_files("input[name=file]", str(path))
    expect(name).to_have_text("门牌.csv")
    page.click("#import-form button[type=submit]")
    page.wait_for_url("**/jobs/*/")
    assert Job.objects.get().params["file_name"] == "门牌.csv"
    assert page.blocked == [] and page.problems == []

