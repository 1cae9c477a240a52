"""The Chinese words of the bureau's doorplate files, which the importer must match as they are written: column
headers, plate types, statuses, a date format; and the house numbers the files write, as examples."""

from doorplates.models import PlateStatus, PlateType

HEADERS = {
    "道路": "road", "路名": "road", "道路名称": "road", "街路巷": "road", "街路巷名称": "road",
    "道路编码": "road_uuid", "道路标识": "road_uuid",
    "区县": "county", "县区": "county", "区县代码": "county", "区县名称": "county",
    "组": "villager_group", "村民小组": "villager_group", "小组": "villager_group", "组别": "villager_group",
    "门牌号": "number", "门牌号码": "number", "号": "number", "号码": "number",
    "幢": "building", "幢号": "building", "楼": "building", "楼栋": "building", "楼号": "building",
    "单元": "unit", "单元号": "unit", "室": "room", "室号": "room", "户室": "room", "户室号": "room",
    "类型": "plate_type", "门牌类型": "plate_type", "牌类": "plate_type",
    "状态": "status", "安装日期": "installed_on", "安装时间": "installed_on",
    "经度": "lon", "纬度": "lat",
    "地址": "address", "标准地址": "address",
}
PLATE_TYPES = {"门牌": PlateType.DOOR, "楼牌": PlateType.BUILDING, "单元牌": PlateType.UNIT, "户室牌": PlateType.ROOM,
               "室牌": PlateType.ROOM}
DEFAULT_PLATE_TYPE = "门牌"
PLATE_TYPE_CHOICES = "门牌/楼牌/单元牌/户室牌"  # the words a report asks for
STATUSES = {"规划": PlateStatus.PLANNED, "待安装": PlateStatus.PLANNED, "已安装": PlateStatus.INSTALLED,
            "安装": PlateStatus.INSTALLED, "在用": PlateStatus.INSTALLED, "损坏": PlateStatus.DAMAGED,
            "破损": PlateStatus.DAMAGED, "注销": PlateStatus.RETIRED, "撤销": PlateStatus.RETIRED}
DEFAULT_STATUS = "已安装"
STATUS_CHOICES = "规划/已安装/损坏/注销"
DATE_FORMAT = "%Y年%m月%d日"
NUMBER_EXAMPLES = "88、88-1号、88号之一、附88号"
