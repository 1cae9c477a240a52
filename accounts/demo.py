"""Demo accounts, one per role, so the role and region rules can be tried in a browser."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.models import AreaAssignment
from accounts.roles import Role
from boundaries.demo import DemoContext, register
from boundaries.models import AdminArea

DEMO_PASSWORD = "diming-demo-2026"

DEMO_USERS = [
    ("lucheng_officer", "鹿城区地名办", Role.OFFICER, "330302"),
    ("lucheng_reviewer", "鹿城区民政局", Role.REVIEWER, "330302"),
    ("ruian_officer", "瑞安市地名办", Role.OFFICER, "330381"),
    ("taishun_field", "泰顺县外业组", Role.FIELD_CREW, "330329"),
    ("wencheng_officer", "文成县地名办", Role.OFFICER, "330328"),  # reviews the rural names the crew collects (field.demo)
    ("wencheng_field", "文成县外业组", Role.FIELD_CREW, "330328"),
    ("city_officer", "温州市地名办", Role.OFFICER, "330300"),  # every county: the checking queue's county filter
    ("city_reviewer", "温州市民政局", Role.REVIEWER, "330300"),
    ("amap_platform", "高德地图", Role.PLATFORM_CONSUMER, "330300"),
]


@register(15, "accounts.users")
def build_users(ctx: DemoContext):
    User = get_user_model()
    for username, label, role, code in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username, defaults={"last_name": label})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        AreaAssignment.objects.get_or_create(user=user, area=AdminArea.objects.get(code=code))
    ctx.log(f"演示账号 {len(DEMO_USERS)} 个，密码 {DEMO_PASSWORD}：" + "、".join(u[0] for u in DEMO_USERS))
