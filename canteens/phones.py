"""A phone number as people write them on a form: 0577-88881234, 138 0000 0000, +86 577 8888 1234,
(0577)88881234 转 801, full-width digits and brackets included, several numbers separated by a comma or 、."""

import re

PHONE = re.compile(r"[0-9０-９+＋\-－–— ()（）转,，、/;；]+")
LEAST_DIGITS = 5


def is_phone(text: str) -> bool:
    return bool(PHONE.fullmatch(text)) and sum(c.isdigit() for c in text) >= LEAST_DIGITS
