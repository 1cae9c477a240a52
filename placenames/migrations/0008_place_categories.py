from django.db import migrations

# GB/T 18521 category code, name, place kind, generic terms that fit (通名), whether a bare specific fits.
# The 大类/中类 structure is the standard's; the 小类 codes are the census practice as far as we could check (the
# bureau edits this table in the admin).
CATEGORIES = [
    ("1210", "河流", "natural", "江,河,溪,港,浦,涧,坑", False),
    ("1230", "湖泊、水库", "natural", "湖,潭,塘,水库,池", False),
    ("1140", "岛礁", "natural", "岛,屿,礁,列岛,山", False),
    ("1310", "山体", "natural", "山,岭,峰,岩,尖,岗,峡,洞,坳", False),
    ("2410", "城镇居民点（住宅区）", "residential",
     "小区,苑,园,花园,家园,新村,公寓,府,庭,居,城,湾,邸,公馆,里,坊,庄", False),
    ("2420", "农村居民点（行政村）", "village", "村,社区", False),
    ("2421", "自然村", "village", "村,岙,垟,坑,头,下,洋,山,湾,寮,厂,桥,坪,埠,岭,宅,屋,田,庄,垄", True),
    ("2531", "城镇道路", "road", "路,公路,线", False),
    ("2532", "城镇街", "street", "街,大街,老街,直街,横街", False),
    ("2533", "城镇巷弄", "lane", "巷,弄,里,坊,胡同,埭", False),
    ("2534", "城镇大道", "avenue", "大道", False),
    ("2560", "桥梁", "bridge", "桥,大桥,立交桥,立交", False),
    ("2810", "建筑物", "building", "大厦,楼,大楼,中心,广场,商厦,写字楼,大酒店", False),
]


def seed(apps, schema_editor):
    PlaceKind = apps.get_model("placenames", "PlaceKind")
    PlaceCategory = apps.get_model("placenames", "PlaceCategory")
    kinds = {k.code: k for k in PlaceKind.objects.all()}
    for code, name, kind, generics, bare in CATEGORIES:
        if kind in kinds:
            PlaceCategory.objects.update_or_create(code=code, defaults={
                "name": name, "kind": kinds[kind], "generic_terms": generics, "no_generic_allowed": bare})


class Migration(migrations.Migration):
    dependencies = [("placenames", "0007_census_signs_campaigns")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
