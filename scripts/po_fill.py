"""Fills empty msgstr entries of a .po file from a JSON {msgid: translation} map: scripts/po_fill.py FILE.po MAP.json"""
import json
import re
import sys


def fill(path, tr):
    text = open(path, encoding="utf-8").read()
    blocks = text.split("\n\n")
    out = []
    missing = []
    for b in blocks:
        m = re.search(r'^msgid ((?:".*"\n?)+)msgstr ""\s*$', b, re.M)
        if m:
            msgid = "".join(re.findall(r'"(.*)"', m.group(1))).encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
            if msgid and msgid in tr:
                val = tr[msgid].replace("\\", "\\\\").replace('"', '\\"')
                b = b[:m.start()] + 'msgid ' + m.group(1) + f'msgstr "{val}"'
                b = b.replace("#, fuzzy\n", "")
            elif msgid:
                missing.append(msgid)
        out.append(b)
    res = "\n\n".join(out)
    res = res.replace('"Content-Type: text/plain; charset=CHARSET\\n"', '"Content-Type: text/plain; charset=UTF-8\\n"')
    res = res.replace("#, fuzzy\nmsgid \"\"\nmsgstr \"\"", "msgid \"\"\nmsgstr \"\"", 1)
    open(path, "w", encoding="utf-8").write(res)
    return missing
if __name__ == "__main__":
    tr = json.load(open(sys.argv[2], encoding="utf-8"))
    for p in sys.argv[1:2]:
        print(p, "missing:", fill(p, tr))
