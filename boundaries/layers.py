from gis.layers import Layer, register

register(Layer(
    name="counties", title="区县", model="boundaries.AdminArea", geometry_type="MultiPolygon",
    id_field="code", properties=("code", "name", "level"), region_path=None, minzoom=0, maxzoom=22,
    published=lambda qs: qs.filter(level="county").exclude(geom=None), label_field="name",
    description="县级行政区划（演示数据为合成边界）",
))
register(Layer(
    name="townships", title="乡镇街道", model="boundaries.AdminArea", geometry_type="MultiPolygon",
    id_field="code", properties=("code", "name", "level"), region_path=None, minzoom=8, maxzoom=22,
    published=lambda qs: qs.filter(level="township").exclude(geom=None), label_field="name",
))
register(Layer(
    name="villages", title="村（社区）", model="boundaries.AdminArea", geometry_type="MultiPolygon",
    id_field="code", properties=("code", "name", "level", "urban_rural_code", "elderly_population"),
    region_path=None, minzoom=11, maxzoom=22,
    published=lambda qs: qs.filter(level="village").exclude(geom=None), label_field="name",
))
