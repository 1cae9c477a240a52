"""The grave pages' row of links, each shown only to the roles its page lets in (a crew was offered the campaigns,
the triage queue and the weekly reports, which refused it)."""

from django import template

from accounts.scoping import has_role
from cemeteries.campaigns import CAMPAIGN_ROLES
from cemeteries.reports import TRIAGE_ROLES

register = template.Library()


@register.inclusion_tag("cemeteries/_ops_nav.html", takes_context=True)
def ops_nav(context):
    user = context["request"].user
    return {"campaigns": has_role(user, *CAMPAIGN_ROLES), "triage": has_role(user, *TRIAGE_ROLES)}
