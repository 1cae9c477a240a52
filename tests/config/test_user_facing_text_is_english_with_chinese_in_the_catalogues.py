"""UI text goes through gettext with an English msgid; its Chinese lives in the app's zh_Hans catalogue. A raw
Chinese string in Python or a template can never show in English, and a Chinese msgid has no English to show.

What may hold Chinese: the catalogues, and the modules listed in DATA below (names of places and of Chinese
grammar, demo data, formats that other systems define in Chinese). RAW_DEBT counts the raw Chinese strings each
module still holds from before the rule: a module may only lose them (lower its number as you convert it), never
gain one; a module not listed may hold none. The goal is an empty RAW_DEBT."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]")
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy", "gettext_noop"}
SKIPPED = re.compile(r"(^|/)(\.venv|node_modules|var|migrations|tests|bench|locale|\.git)(/|$)")

DATA = {  # module: why its Chinese is data, not words for people
    "core/numerals.py": "Chinese numerals",
    "placenames/pinyin.py": "romanization rules (GB/T 16159 and the place-name rules): characters and their readings",
    "doorplates/addresses.py": "the grammar of a Chinese address (路 街 号 之 幢 单元 室 ...)",
    "boundaries/provinces.py": "the names of provinces",
    "boundaries/demo.py": "demo names of areas",
    "borders/demo.py": "demo neighbours, lines, markers, inspection plans and findings",
    "placenames/demo.py": "demo names of places",
    "placenames/demo_bases.py": "demo names of villages, natural villages and residential areas",
    "placenames/bases.py": "the generic term that makes a village a natural village (自然村)",
    "doorplates/demo.py": "demo plates",
    "canteens/demo.py": "demo canteens",
    "canteens/phones.py": "the characters people write phone numbers with (full-width digits, 转 for an extension)",
    "accounts/demo.py": "demo people",
    "exports/demo.py": "demo platform",
    "cemeteries/demo.py": "demo graves, corridors, zones and cemeteries",
    "gis/crs.py": "the Chinese names a user may give a coordinate system (高德, 百度, 国家2000)",
    "placenames/bulk_files.py": "the Chinese column names of census files (名称, 类别代码, 历史沿革 ...)",
    "placenames/campaigns.py": "the platforms' feedback words (通过, 驳回) and the columns of the files they read",
    "placenames/registry_demo.py": "demo signs, rural names and a census file",
    "field/demo.py": "demo rural names a crew collected and the office's review comment",
    "cemeteries/zones.py": "the words survey files use for a zone's name and kind (名称, 类型, 基本农田, 林地 ...)",
    "boundaries/code_list_words.py": "the headers and level names of the official code lists (统计用区划代码, 上级代码, "
                                     "乡镇 ...), matched as written",
    "exports/platform_columns.py": "the Chinese column names of the civil-affairs 上图 list that the platform reads",
    "doorplates/file_words.py": "the words of the bureau's doorplate files (headers 门牌号, 经度 ..., types 楼牌 ..., statuses "
                                "已安装 ..., dates 2024年5月1日) and the house numbers they write",
    "placenames/authorities.py": "the name of an area's people's government (…人民政府), an authority's proper name",
}
RAW_DEBT: dict[str, int] = {
}


def _python_findings(path: Path) -> tuple[int, list[str]]:
    """(raw Chinese literals outside gettext and docstrings, Chinese msgids inside gettext)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    translated = {id(sub) for node in ast.walk(tree)
                  if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in GETTEXT
                  for arg in node.args[:1] for sub in ast.walk(arg)}
    raw, msgids = 0, []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value) \
                and id(node) not in docstrings:
            if id(node) in translated:
                msgids.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value}")
            else:
                raw += 1
    return raw, msgids


def _template_lines(path: Path) -> int:
    text = re.sub(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", "", path.read_text(encoding="utf-8"), flags=re.S)
    return sum(1 for line in text.splitlines() if CJK.search(line))


def _files(pattern: str) -> list[Path]:
    return sorted(path for top in ROOT.iterdir() if top.is_dir() and not top.is_symlink()
                  and not SKIPPED.search(top.name) for path in top.rglob(pattern))


def _scan() -> tuple[dict[str, int], list[str]]:
    raw: dict[str, int] = {}
    msgids: list[str] = []
    for path in _files("*.py"):
        name = str(path.relative_to(ROOT))
        if SKIPPED.search(name) or name in DATA:
            continue
        count, found = _python_findings(path)
        msgids += found
        if count:
            raw[name] = count
    for path in _files("*.html"):
        name = str(path.relative_to(ROOT))
        if "templates/" in name and not SKIPPED.search(name) and (count := _template_lines(path)):
            raw[name] = count
    return raw, msgids


def test_no_msgid_in_the_code_is_chinese():
    _raw, msgids = _scan()
    assert msgids == [], "an English msgid goes in _(), its Chinese in the app's catalogue"


def test_no_catalogue_has_a_chinese_msgid():
    chinese = []
    for po in sorted(ROOT.glob("*/locale/*/LC_MESSAGES/django.po")):
        # A long msgid continues on the lines after ``msgid ""``: all of them are read.
        for msgid in re.findall(r'^msgid ((?:".*"\n)+)', po.read_text(encoding="utf-8"), re.M):
            if CJK.search(msgid):
                chinese.append(f"{po.relative_to(ROOT)}: {msgid}")
    assert chinese == []


def test_no_module_or_template_holds_more_raw_chinese_than_before_the_rule():
    raw, _msgids = _scan()
    grown = {name: (count, RAW_DEBT.get(name, 0)) for name, count in raw.items() if count > RAW_DEBT.get(name, 0)}
    assert grown == {}, "raw Chinese strings (count, allowed): put English in _() and the Chinese in the catalogue"


def test_the_data_modules_exist():
    assert [name for name in DATA if not (ROOT / name).is_file()] == []
