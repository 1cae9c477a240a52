from django.db import migrations

# The seeded categories (0008) carried codes of our own making (2410, 2531, 2810 ...): in GB/T 18521-2001 the second
# digit is the 大类 (21 行政区域, 22 居民点, 23 交通运输设施, 24 水利电力通信设施, 25 纪念地旅游景点, 26 建筑物, 27 单位), so
# 24xx/25xx/28xx named the wrong classes. Each category keeps its row (the records filed under it stay there) and takes
# the code and name the public sources give (placenames/SOURCES.md says which source gives which code and how sure it
# is). The street, lane and avenue categories were splits of our own: the census files all streets and roads under
# 2351 道路街巷, so their records join that category (a bulk load still gives a 街/巷/大道 name its street, lane or
# avenue kind by its generic term, placenames.checking.kind_for).
RECODE = [
    # old code, new code, name, generic terms (None: unchanged)
    ("1140", "115", "海洋岛屿", None),
    ("1210", "121", "河流", None),
    ("1230", "122", "湖泊", "湖,潭,塘,池"),
    ("1310", "134", "山地", None),
    ("2420", "2161", "行政村", "村"),
    ("2410", "221", "城镇居民点", None),
    ("2421", "222", "农村居民点", None),
    ("2531", "2351", "道路街巷", "路,公路,线,街,大街,老街,直街,横街,巷,弄,里,坊,胡同,埭,大道"),
    ("2560", "2361", "桥梁", None),
    ("2810", "26", "建筑物", None),
]
MERGED = ("2532", "2533", "2534")  # -> 2351
ADDED = [
    # code, name, kind, generic terms, a bare specific fits
    ("2162", "社区", "village", "社区", False),
    ("2423", "水库", "natural", "水库", False),
]
OLD_NAMES = {"1140": "岛礁", "1210": "河流", "1230": "湖泊、水库", "1310": "山体", "2410": "城镇居民点（住宅区）",
             "2420": "农村居民点（行政村）", "2421": "自然村", "2531": "城镇道路", "2560": "桥梁", "2810": "建筑物"}
OLD_GENERICS = {"1230": "湖,潭,塘,水库,池", "2420": "村,社区", "2531": "路,公路,线"}


def recode(apps, schema_editor):
    PlaceCategory = apps.get_model("placenames", "PlaceCategory")
    PlaceKind = apps.get_model("placenames", "PlaceKind")
    CensusRecord = apps.get_model("placenames", "CensusRecord")
    for old, new, name, generics in RECODE:
        row = PlaceCategory.objects.filter(code=old).first()
        if row is None or PlaceCategory.objects.filter(code=new).exists():
            continue  # the bureau removed or already recoded it
        row.code, row.name = new, name
        if generics is not None:
            row.generic_terms = generics
        row.save()
    roads = PlaceCategory.objects.filter(code="2351").first()
    if roads is not None:
        for code in MERGED:
            row = PlaceCategory.objects.filter(code=code).first()
            if row is not None:
                CensusRecord.objects.filter(category=row).update(category=roads)
                row.delete()
    kinds = {k.code: k for k in PlaceKind.objects.all()}
    for code, name, kind, generics, bare in ADDED:
        if kind in kinds and not PlaceCategory.objects.filter(code=code).exists():
            PlaceCategory.objects.create(code=code, name=name, kind=kinds[kind], generic_terms=generics,
                                         no_generic_allowed=bare)


def restore(apps, schema_editor):
    PlaceCategory = apps.get_model("placenames", "PlaceCategory")
    PlaceKind = apps.get_model("placenames", "PlaceKind")
    CensusRecord = apps.get_model("placenames", "CensusRecord")
    kinds = {k.code: k for k in PlaceKind.objects.all()}
    for code, _name, _kind, _generics, _bare in ADDED:
        row = PlaceCategory.objects.filter(code=code).first()
        if row is not None:
            fallback = PlaceCategory.objects.filter(code={"2162": "2161", "2423": "122"}[code]).first()
            CensusRecord.objects.filter(category=row).update(category=fallback)
            row.delete()
    for old, new, _name, _generics in RECODE:
        row = PlaceCategory.objects.filter(code=new).first()
        if row is not None and not PlaceCategory.objects.filter(code=old).exists():
            row.code, row.name = old, OLD_NAMES[old]
            row.generic_terms = OLD_GENERICS.get(old, row.generic_terms)
            row.save()
    for code, name, kind, generics in (("2532", "城镇街", "street", "街,大街,老街,直街,横街"),
                                       ("2533", "城镇巷弄", "lane", "巷,弄,里,坊,胡同,埭"),
                                       ("2534", "城镇大道", "avenue", "大道")):
        if kind in kinds and not PlaceCategory.objects.filter(code=code).exists():
            PlaceCategory.objects.create(code=code, name=name, kind=kinds[kind], generic_terms=generics)


class Migration(migrations.Migration):
    dependencies = [("placenames", "0008_place_categories")]
    operations = [migrations.RunPython(recode, restore)]
