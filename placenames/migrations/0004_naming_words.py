"""Seeds the editable word lists of the naming rules. The bureau extends them in the admin.

The grandiose list (大、洋、怪、重) comes from national clean-up campaigns, not from the 条例 text: its words are
warnings that need a written justification, not errors.
"""

from django.db import migrations

WORDS = {
    ("foreign", "error"): "纽约 伦敦 巴黎 威尼斯 曼哈顿 维也纳 罗马 加州 比华利 莱茵 香榭丽舍 地中海 塞纳 爱丁堡 "
                          "温哥华 悉尼 夏威夷 普罗旺斯 托斯卡纳 拿破仑 莎士比亚 华盛顿 哥伦布 凯旋门 好莱坞 "
                          "曼哈顿 百老汇 维多利亚 波尔多 马德里",
    ("enterprise", "error"): "万达 碧桂园 恒大 万科 绿地 保利 阿里巴巴 腾讯 华为 奔驰 宝马 可口可乐 麦当劳 "
                             "肯德基 星巴克 正泰 德力西 报喜鸟 红蜻蜓 奥康 康奈 森马 美特斯邦威",
    ("leader", "error"): "毛泽东 周恩来 刘少奇 朱德 邓小平 江泽民 胡锦涛 习近平",
    ("grandiose", "warning"): "国际 世界 环球 皇家 帝景 帝豪 皇宫 御景 王府 宇宙 至尊 天下第一 中央 首府 "
                              "巅峰 霸王 帝王 皇城 万国 全球 亚洲第一 东方之珠",
    ("local_character", "warning"): "垟 垵 墺 漈 峃 嶴",
}


def seed(apps, schema_editor):
    NamingWord = apps.get_model("placenames", "NamingWord")
    for (category, severity), words in WORDS.items():
        for word in dict.fromkeys(words.split()):
            NamingWord.objects.get_or_create(category=category, word=word,
                                             defaults={"severity": severity, "note": "初始词表"})


class Migration(migrations.Migration):
    dependencies = [("placenames", "0003_applications")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
