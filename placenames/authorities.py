"""The names of the authorities a place name goes to: an area's people's government (人民政府) is named after it."""


def people_government(area_name: str) -> str:
    return f"{area_name}人民政府"
