"""A form's own checks (a required field left empty, a number out of range) speak the page's language, not the
browser's: this Chromium's interface is English ("Please select a file."), as a citizen's phone or a crew's tablet
set to English is. The message goes as soon as the field is changed, a radio group's by a choice on any of its
buttons, so no form is left refusing what was put right; a message another script set stays its own."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def said(page, selector) -> str:
    return page.evaluate(f"document.querySelector({selector!r}).validationMessage")


def submit(page, form) -> bool:
    """The form sent as its button would (the browser's own checks first): whether it passed them."""
    return page.evaluate(f"document.querySelector({form!r}).reportValidity()")


def test_the_checks_speak_chinese_and_let_go_once_the_field_is_put_right(offline_page, wenzhou_counties, tmp_path):
    page = offline_page
    page.goto(page.base_url + "/cemeteries/report/")
    form = "main form"
    photo = f"{form} input[type=file]"
    assert not submit(page, form)
    assert said(page, photo) == "请选择要上传的文件。"
    image = tmp_path / "grave.jpg"
    image.write_bytes(b"\xff\xd8\xff\xe0" + b"0" * 64)
    page.set_input_files(photo, str(image))
    assert said(page, photo) == ""  # chosen: the message is gone

    # Every kind of check, on fields added to the page (the script listens on the whole document).
    page.evaluate("""document.querySelector("main").insertAdjacentHTML("beforeend", `
      <form id="probe"><input name="title" required><input name="seats" type="number" min="1" max="500" value="0">
        <input name="mail" type="email" value="x"><input name="code" pattern="[0-9]{6}" title="六位数字" value="12">
        <select name="kind" required><option value="">—</option><option value="a">A</option></select>
        <input type="radio" name="side" value="a" required><input type="radio" name="side" value="b">
        <input type="checkbox" name="agree" required><input name="other"></form>`)""")
    assert not submit(page, "#probe")
    for name, words in (("title", "请填写此项。"), ("seats", "不能小于 1。"), ("mail", "请输入电子邮箱地址，如 name@example.com。"),
                        ("code", "请按要求的格式填写。 六位数字"), ("kind", "请选择其中一项。"), ("agree", "请勾选此项后继续。")):
        assert said(page, f"#probe [name={name}]") == words, name
    assert said(page, "#probe [name=side][value=a]") == "请选择其中一项。"

    page.fill("#probe [name=title]", "望江东路")
    page.fill("#probe [name=seats]", "501")
    page.fill("#probe [name=mail]", "canteen@example.com")
    page.fill("#probe [name=code]", "325000")
    page.select_option("#probe [name=kind]", "a")
    page.check("#probe [name=side][value=b]")  # the other button of the group answers the refused one
    page.check("#probe [name=agree]")
    assert not submit(page, "#probe") and said(page, "#probe [name=seats]") == "不能大于 500。"
    page.fill("#probe [name=seats]", "20")
    assert submit(page, "#probe")

    # Another script's own message is left to it.
    page.evaluate("document.querySelector('#probe [name=other]').setCustomValidity('该编号已被占用。')")
    assert not submit(page, "#probe") and said(page, "#probe [name=other]") == "该编号已被占用。"
    assert page.problems == [] and page.blocked == []


def test_a_field_a_script_fills_after_a_refused_send_lets_the_next_tap_send(offline_page, wenzhou_counties):
    """A citizen tapped 提交举报 before choosing the place; the place then came from a script (the phone's location,
    a tap on the map), which fills the longitude without an input event. Before, the message the first tap gave
    stayed on the field and the second tap sent nothing: only a third did."""
    page = offline_page
    page.goto(page.base_url + "/cemeteries/report/")
    page.evaluate("""document.querySelector("main").insertAdjacentHTML("beforeend", `
      <form id="probe" onsubmit="event.preventDefault(); this.dataset.sent = '1'">
        <input name="lon" required><button type="submit" id="send">送出</button></form>`)""")
    page.click("#send")
    assert said(page, "#probe [name=lon]") == "请填写此项。" and page.evaluate("!document.querySelector('#probe').dataset.sent")
    page.evaluate("document.querySelector('#probe [name=lon]').value = '120.700000'")  # no input event
    page.click("#send")
    assert page.evaluate("document.querySelector('#probe').dataset.sent") == "1"
    assert page.problems == [] and page.blocked == []
