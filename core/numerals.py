"""Chinese numerals, read and written: 五 5, 十二 12, 一百零八 108, 两千 2000; 一二三 read digit by digit (123).

One reader for the place-name romanizer (art. 7 ordinals: 经五路 Jing 5 Lu) and the address parser (八十八号).
"""

from __future__ import annotations

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS)
_WRITE_DIGITS = "零一二三四五六七八九"
LONGEST = 18  # digits: longer than any number an address or a name carries (Python refuses past 4300 of them)


def cardinal(text: str) -> int | None:
    """The value of a well-formed cardinal (五, 十二, 二十三, 一百零五, 两千零一十), or None: for a string of digits
    read one by one (三八, 五一: names after dates), for 一百五 (150 in speech, never on a sign), for zero and for
    anything that is not a numeral."""
    if not text or any(ch not in DIGITS and ch not in UNITS for ch in text):
        return None
    total, digit, last_unit, zero = 0, None, 10_000, False
    for ch in text:
        if ch in UNITS:
            unit = UNITS[ch]
            if unit >= last_unit or (digit is None and (total or zero)):
                return None  # 十百, 百百, 一百十, 一百零十
            total += (1 if digit is None else digit) * unit
            digit, last_unit, zero = None, unit, False
        elif DIGITS[ch] == 0:
            if digit is not None or zero or not total:
                return None  # 五零, 零零, a leading 零
            zero = True
        elif digit is not None:
            return None  # two digits in a row (三八)
        else:
            digit = DIGITS[ch]
    if zero and digit is None:
        return None  # 一百零
    if digit is not None and total and last_unit > 10 and not zero:
        return None  # 一百五
    return (total + (digit or 0)) or None


def numeral_value(text: str) -> int | None:
    """The value of an Arabic number, a cardinal or a string of Chinese digits read one by one (一二三 is 123);
    None when ``text`` is none of them, or longer than ``LONGEST`` digits."""
    if not text or len(text) > LONGEST:
        return None
    if text.isdecimal():
        return int(text)
    if text and all(ch in DIGITS for ch in text):
        return int("".join(str(DIGITS[ch]) for ch in text))
    return cardinal(text)


def int_to_cn(value: int) -> str:
    """一 … 九十九 and on: the form used in 之一, 之十二; above 999 digit by digit."""
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
