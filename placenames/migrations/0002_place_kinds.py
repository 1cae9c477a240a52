from django.db import migrations

# code, name, geometry kinds, generic terms (通名), unique within the county, order
KINDS = [
    ("road", "道路", "line", "路,公路,线", True, 10),
    ("street", "街", "line", "街,大街,老街,直街,横街", True, 20),
    ("lane", "巷弄", "line", "巷,弄,里,坊,胡同,埭", True, 30),
    ("avenue", "大道", "line", "大道", True, 40),
    ("bridge", "桥梁", "line,point", "桥,大桥,立交桥,立交", True, 50),
    ("residential", "居民区", "polygon,point", "小区,苑,园,花园,家园,新村,公寓,府,庭,居,城,湾,邸,公馆", True, 60),
    ("building", "建筑物", "polygon,point", "大厦,楼,大楼,中心,广场,商厦,写字楼,大酒店", True, 70),
    ("village", "村", "polygon,point", "村,社区,自然村", True, 80),
    ("natural", "自然地理实体", "line,polygon,point", "山,岭,峰,岩,江,河,溪,湖,岛,屿,湾,港,潭,洞,礁,滩", False, 90),
]


def create_kinds(apps, schema_editor):
    PlaceKind = apps.get_model("placenames", "PlaceKind")
    for code, name, geometry_kinds, generics, unique, order in KINDS:
        PlaceKind.objects.update_or_create(code=code, defaults={
            "name": name, "geometry_kinds": geometry_kinds, "generic_terms": generics,
            "unique_in_county": unique, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("placenames", "0001_initial")]
    operations = [migrations.RunPython(create_kinds, migrations.RunPython.noop)]
