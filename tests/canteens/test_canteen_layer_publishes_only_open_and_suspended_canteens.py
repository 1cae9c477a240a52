from gis import layers


def test_the_layer_publishes_open_and_suspended_canteens_only(canteens):
    layer = layers.get("canteens")

    names = set(layer.queryset().values_list("name", flat=True))

    assert names == {"东山社区老年食堂", "西岙社区助餐点", "上岙村老年食堂", "藤桥镇中央厨房", "塘下镇配送中心",
                     "塘下镇南助餐点"}  # not the planned C6 nor the closed C8


def test_the_public_properties_carry_no_personal_data(canteens):
    layer = layers.get("canteens")

    public = layer.properties_for(personal=False)

    assert "operator_phone" not in public
    assert "operator_phone" in layer.properties_for(personal=True)
    assert {"name", "kind", "address", "status", "seats", "opening_hours", "delivers", "delivery_radius_m"} \
        <= set(public)
    row = layer.queryset().values(*public).first()
    assert set(row) == set(public)
    assert layer.get_model()._meta.get_field(layer.tile_geometry_field).output_field.srid == 3857
