"""Django merges every catalogue into one: for a msgid that two apps translate differently, the app listed first in
INSTALLED_APPS wins on every page, silently (理由 or 原因 for "Reason", depending on the order of the apps), and
Django's and the libraries' own catalogues win over the apps' (the admin's 历史 and 动作 for "History" and "Action").
So: one (context, msgid) has one Chinese in all the apps' catalogues (a word that means two things takes a context:
pgettext, `{% translate "x" context "y" %}`), each entry is what a zh-hans page shows for it, and every msgid that
an app's code and templates give gettext has its Chinese in that app's catalogue."""

import ast
import re
from collections import defaultdict
from pathlib import Path

from django.utils import translation
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = re.compile(r"(^|/)(\.venv|node_modules|var|migrations|tests|bench|locale|\.git)(/|$)")
CATALOGUES = sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))
# gettext's functions: which of their first arguments are (context, msgid)
CALLS = {"_": "s", "gettext": "s", "gettext_lazy": "s", "gettext_noop": "s", "ngettext": "s", "ngettext_lazy": "s",
         "pgettext": "p", "pgettext_lazy": "p", "npgettext": "p", "npgettext_lazy": "p"}
TEMPLATE_CALL = re.compile(r"\b(n?p?gettext)\(((?:u'(?:[^'\\]|\\.)*'(?:, )?)+)")


def read_catalogue(path: Path) -> list[tuple[str | None, str, tuple[str, ...]]]:
    """(context, msgid, msgstrs) of each translated entry; the header, fuzzy entries and empty msgstrs are left out,
    as msgfmt leaves them out of the .mo Django reads. An entry ends at a blank line or where the next one begins."""
    entries = []
    fields: dict[str, str] = {}
    field, fuzzy = None, False

    def end_entry():
        msgstrs = tuple(value for name, value in sorted(fields.items()) if name.startswith("msgstr"))
        if fields.get("msgid") and all(msgstrs) and not fuzzy:
            entries.append((fields.get("msgctxt"), fields["msgid"], msgstrs))

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        starts = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line)
        if not line.strip() or line.startswith("#") or (starts and starts.group(1) in ("msgctxt", "msgid")):
            if field and field.startswith("msgstr"):  # what follows a msgstr begins the next entry
                end_entry()
                fields, field, fuzzy = {}, None, False
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif starts:
            field = starts.group(1)
            fields[field] = ast.literal_eval(starts.group(2))
        elif line.startswith('"') and field:
            fields[field] += ast.literal_eval(line)
    return entries


def _key(kind: str, args: list[str]) -> tuple[str | None, str] | None:
    if kind == "p":
        return (args[0], args[1]) if len(args) > 1 else None
    return (None, args[0]) if args else None


def _python_msgids(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            args = []
            for arg in node.args:
                if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                    break
                args.append(arg.value)
            if name in CALLS and (key := _key(CALLS[name], args)):
                yield key, node.lineno


def _template_msgids(path: Path):
    # Django's own reading of {% translate %} and {% blocktranslate %} (makemessages uses it), context included.
    text = templatize(path.read_text(encoding="utf-8"), str(path))
    for match in TEMPLATE_CALL.finditer(text):
        args = list(ast.literal_eval(f"({match.group(2).rstrip(', ')},)"))
        if key := _key("p" if "p" in match.group(1) else "s", args):
            yield key, text.count("\n", 0, match.start()) + 1


def _sources(pattern: str) -> list[Path]:
    return sorted(path for top in ROOT.iterdir() if top.is_dir() and not top.is_symlink()
                  and not SKIPPED.search(top.name) for path in top.rglob(pattern)
                  if not SKIPPED.search(str(path.relative_to(ROOT))))


def test_no_msgid_has_two_different_chinese_in_the_apps_catalogues():
    chinese: dict[tuple, dict[tuple, list[str]]] = defaultdict(lambda: defaultdict(list))
    for po in CATALOGUES:
        for context, msgid, msgstrs in read_catalogue(po):
            chinese[(context, msgid)][msgstrs].append(po.relative_to(ROOT).parts[0])
    differing = {key: dict(found) for key, found in chinese.items() if len(found) > 1}
    assert differing == {}, "one Chinese per (context, msgid): choose one, or give each meaning its context"


def test_each_catalogue_entry_is_what_a_chinese_page_shows():
    shown_otherwise = []
    with translation.override("zh-hans"):
        for po in CATALOGUES:
            for context, msgid, msgstrs in read_catalogue(po):
                shown = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
                if len(msgstrs) == 1 and shown != msgstrs[0]:
                    shown_otherwise.append((str(po.relative_to(ROOT)), context, msgid, msgstrs[0], shown))
    assert shown_otherwise == [], "another catalogue (Django's, a library's) wins: give the app's word a context"


def test_every_msgid_of_an_apps_code_and_templates_has_its_chinese_in_the_apps_catalogue():
    """An app's words are in its own catalogue (another app's catalogue may leave, or say it otherwise); the
    libraries without a catalogue of their own (core, gis) have theirs in any."""
    catalogue = {po.relative_to(ROOT).parts[0]: {(context, msgid) for context, msgid, _msgstrs in read_catalogue(po)}
                 for po in CATALOGUES}
    anywhere = set().union(*catalogue.values())
    used = [(path, line, key) for path in _sources("*.py") for key, line in _python_msgids(path)]
    used += [(path, line, key) for path in _sources("*.html") if "templates" in path.parts
             for key, line in _template_msgids(path)]
    assert len(used) > 2000  # the reading finds them
    missing = [f"{path.relative_to(ROOT)}:{line}: {key}" for path, line, key in used
               if key not in catalogue.get(path.relative_to(ROOT).parts[0], anywhere)]
    assert missing == [], "add the msgid and its Chinese to the app's zh_Hans catalogue"
