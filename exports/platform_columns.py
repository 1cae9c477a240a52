"""The Chinese column names of the files a platform reads, which it must find as written: the civil-affairs 上图
list of standard names (标准地名上图清单)."""

SHANGTU_HEADER = ["标准名称", "罗马字母拼写", "类别", "行政区划代码", "行政区划名称", "地理位置描述", "经度", "纬度",
                  "批准机关", "批准日期"]
