"""The Chinese words of the official code lists (统计用区划代码 / GB/T 2260) that the importer must match as written:
column headers and the names of the levels."""

from boundaries.models import Level

HEADERS = {
    "代码": "code", "区划代码": "code", "统计用区划代码": "code", "名称": "name", "级别": "level", "层级": "level",
    "上级代码": "parent_code", "城乡分类代码": "urban_rural_code",
}
LEVELS = {
    "省": Level.PROVINCE, "市": Level.CITY, "地级市": Level.CITY, "县": Level.COUNTY, "区县": Level.COUNTY,
    "县级": Level.COUNTY, "乡镇": Level.TOWNSHIP, "街道": Level.TOWNSHIP, "乡镇街道": Level.TOWNSHIP,
    "村": Level.VILLAGE, "社区": Level.VILLAGE, "村级": Level.VILLAGE,
}
LEVEL_CHOICES = "省/市/县/乡镇/村"  # the words a report asks for
