from django import template

from canteens.tables import percent as percent_text

register = template.Library()


@register.filter
def percent(rate):
    """0.72241 -> "72.24%"; empty for no rate (an area without villages or without elderly people)."""
    return percent_text(rate)
