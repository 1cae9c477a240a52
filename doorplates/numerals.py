"""Chinese numerals in house numbers: 八十八号, 一百零八号, 一二三号 (read digit by digit), 88号之十二."""

from __future__ import annotations

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS)
_WRITE_DIGITS = "零一二三四五六七八九"


def cn_to_int(text: str) -> int | None:
    """The value of a Chinese or Arabic numeral, or None when ``text`` is not one."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if any(ch not in DIGITS and ch not in UNITS for ch in text):
        return None
    if not any(ch in UNITS for ch in text):
        return int("".join(str(DIGITS[ch]) for ch in text))  # 一二三 is 123
    total, digit, last_unit = 0, None, 10_000
    for ch in text:
        if ch in DIGITS:
            if digit is not None and DIGITS[ch] != 0:
                return None  # two digits in a row (八八十)
            digit = DIGITS[ch] if DIGITS[ch] != 0 else None
        else:
            unit = UNITS[ch]
            if unit >= last_unit:
                return None  # 十百, 百百
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
    return total + (digit or 0)


def int_to_cn(value: int) -> str:
    """一 … 九十九 and on: the form used in 之一, 之十二."""
    if value < 0:
        raise ValueError(value)
    if value < 10:
        return _WRITE_DIGITS[value]
    if value < 20:
        return "十" + (_WRITE_DIGITS[value % 10] if value % 10 else "")
    if value < 100:
        return _WRITE_DIGITS[value // 10] + "十" + (_WRITE_DIGITS[value % 10] if value % 10 else "")
    if value < 1000:
        rest = value % 100
        head = _WRITE_DIGITS[value // 100] + "百"
        if rest == 0:
            return head
        if rest < 10:
            return head + "零" + _WRITE_DIGITS[rest]
        return head + (_WRITE_DIGITS[1] + int_to_cn(rest) if rest < 20 else int_to_cn(rest))
    return "".join(_WRITE_DIGITS[int(d)] for d in str(value))
