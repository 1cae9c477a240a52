"""Builders for the census register, signs and campaigns: files to load, categories seeded."""

from __future__ import annotations

import csv
import importlib
import io

from tests.base import LUCHENG_POINT, RUIAN_POINT
from tests.placenames.builders import ensure_seed_data

HEADER = ["名称", "类别代码", "区县", "经度", "纬度", "汉语拼音", "含义", "来历", "别名/曾用名", "历史沿革", "地理实体描述", "资料来源",
          "登记人", "几何"]


def ensure_categories() -> None:
    from django.apps import apps

    from placenames.models import PlaceCategory

    ensure_seed_data()
    if not PlaceCategory.objects.exists():
        importlib.import_module("placenames.migrations.0008_place_categories").seed(apps, None)
        importlib.import_module("placenames.migrations.0009_gbt18521_category_codes").recode(apps, None)


LINE_CATEGORIES = ("2351",)


def row(name, category="2351", county="鹿城区", *, at=LUCHENG_POINT, dx=0.0, dy=0.0, **extra):
    lon, lat = at
    values = {"名称": name, "类别代码": category, "区县": county, "经度": f"{lon + dx:.6f}", "纬度": f"{lat + dy:.6f}",
              "汉语拼音": "", "含义": "以姓氏得名", "别名/曾用名": "", "历史沿革": "1984年地名普查时定名", "地理实体描述": "",
              "资料来源": "第二次全国地名普查", "登记人": "张三"}
    if category in LINE_CATEGORIES:
        values["几何"] = f"LINESTRING({lon + dx:.6f} {lat + dy:.6f}, {lon + dx + 0.004:.6f} {lat + dy + 0.001:.6f})"
    values.update(extra)
    return values


def write_csv(path, rows, encoding="utf-8", header=HEADER):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


__all__ = ["HEADER", "LUCHENG_POINT", "RUIAN_POINT", "ensure_categories", "row", "write_csv"]
