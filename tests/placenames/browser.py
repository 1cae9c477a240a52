"""Steps of the place-name pages in a browser, shared by the walks."""

from tests.base import follow, login


def act(page, action: str, *, refused: bool = False, **fields) -> None:
    """Takes the application's ``action`` with its form's ``fields`` filled in. Unless ``refused``, the page it leads to
    shows no error: a refusal fails here with the page's own words, not later as a state that did not change."""
    form = page.locator(f'form[data-action="{action}"]')
    for name, value in fields.items():
        form.locator(f'[name="{name}"]').fill(value)
    follow(page, form.locator("button[type=submit]"))
    if not refused:
        errors = page.locator(".messages .error").all_inner_texts()
        assert not errors, f"{action} was refused: {errors}"


def switch_user(page, username: str) -> None:
    # tests.base.login clicks the first submit button, which is the header's logout button when logged in.
    follow(page, page.locator(".account button[type=submit]"))
    login(page, username)
