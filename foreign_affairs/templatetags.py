"""Site-wide template tags ({% load portal %}), registered in settings.TEMPLATES["OPTIONS"]["libraries"]."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

from . import typography

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced, so filters survive paging."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


# The typography tags escape each part they are given (a part made by {% blocktranslate asvar %} is
# already escaped) and mark the result safe, so that nothing is escaped twice; a plain-text template
# ({% autoescape off %}) gets the parts as they are.


def _escape(autoescape: bool):
    def escape(value):
        if value is None:
            return ""
        return conditional_escape(value) if autoescape else value

    return escape


def _escaped(text: str) -> str:
    return mark_safe(text)  # noqa: S308 - every part was escaped by _escape; the patterns are the catalogue's


@register.filter(needs_autoescape=True)
def label(text, autoescape=True) -> str:
    """{{ _("State")|label }} → "状态：" in Chinese, "State: " in English (foreign_affairs.typography);
    _() marks the word for translation where makemessages finds it."""
    return _escaped(typography.label(_escape(autoescape)(text)))


@register.filter(name="enumerate", needs_autoescape=True)
def enumerate_filter(items, autoescape=True) -> str:
    """{{ names|enumerate }} → "张三、李四" / "Zhang San, Li Si"."""
    escape = _escape(autoescape)
    return _escaped(typography.enumerate_items(escape(item) for item in items or ()))


@register.filter(needs_autoescape=True)
def bracketed(note, autoescape=True) -> str:
    """{{ note|bracketed }} → "（必填）" / "(required)"."""
    return _escaped(typography.bracketed(_escape(autoescape)(note)))


@register.simple_tag(takes_context=True)
def clause(context, *parts) -> str:
    """{% clause name date %} → "张伟，2026年12月2日" / "Zhang Wei, 2 December 2026"."""
    escape = _escape(context.autoescape)
    return _escaped(typography.clause(*(escape(part) for part in parts)))


@register.filter(needs_autoescape=True)
def annotated(text, note, autoescape=True) -> str:
    """{% filter annotated:days %}{{ start }} – {{ end }}{% endfilter %} → "2月8日 – 2月13日（在外6天）": the
    filter form of {% annotate %}, for a text made of several parts."""
    escape = _escape(autoescape)
    return _escaped(typography.annotate(escape(text), escape(note)))


@register.simple_tag(takes_context=True)
def annotate(context, text, note) -> str:
    """{% annotate name role %} → "付建华（团长）" / "Fu Jianhua (Leader)"."""
    escape = _escape(context.autoescape)
    return _escaped(typography.annotate(escape(text), escape(note)))


@register.filter
def admin_objects(items):
    """Django's admin lists the objects a deletion takes along as "Organisation: <a …>name</a>"
    (admin.utils.get_deleted_objects), its colon written into the code; this gives each the reader's suffix
    ("单位：…") before |unordered_list."""
    if isinstance(items, list | tuple):
        return [admin_objects(item) for item in items]
    if not isinstance(items, str):
        return items
    text = str(items)
    kind, colon, rest = text.partition(": ")
    if not colon:
        return items
    labelled = f"{typography.label(kind)}{rest}"
    # Django marked the line safe when it built the link; the kind is a verbose name, the suffix plain text.
    return _escaped(labelled) if isinstance(items, SafeData) else labelled
