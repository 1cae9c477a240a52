"""The demo platform: amap_platform (accounts.demo) registered as 高德地图, so its token reads the feed at once."""

from django.contrib.auth import get_user_model

from boundaries.demo import DemoContext, register
from boundaries.models import AdminArea
from exports.models import Consumer

DEMO_PLATFORM = "高德地图（演示）"


@register(90, "exports.platforms")
def build_platforms(ctx: DemoContext):
    user = get_user_model().objects.filter(username="amap_platform").first()
    if user is None:
        ctx.log("平台：未找到演示账号，跳过")
        return
    consumer, _created = Consumer.objects.update_or_create(
        user=user, defaults={"name": DEMO_PLATFORM, "profile": "amap", "layers": ["roads", "places", "doorplates"]})
    consumer.areas.set(AdminArea.objects.filter(code="330300"))
    ctx.log(f"平台 {DEMO_PLATFORM}：道路、其他地名、门牌，温州市（令牌在“数据导出 → 平台接入”签发）")
