from django import template

from ..charts import chart_svg

register = template.Library()


@register.simple_tag
def chart(chart, width=640):
    """The chart as inline SVG: {% chart section_chart %}."""
    return chart_svg(chart, width=int(width))
