"""What every map page shares, whichever app draws it: the fonts of its labels.

Labels need no internet: styles have no ``glyphs`` URL, so MapLibre GL JS draws them with the client's own fonts;
``LOCAL_FONT_FAMILY`` is the page's ``localIdeographFontFamily``.
"""

FONT = ["Noto Sans CJK SC Regular"]
LOCAL_FONT_FAMILY = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif"
