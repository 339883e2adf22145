"""How a short piece of text is punctuated in the reader's language (DOMAIN.md, UI.md): Chinese takes
full-width punctuation after Chinese words ("申请：HNFA-…", "德国、法国", "张伟，2026年12月2日"), English its
own. Templates use the same through {% load portal %}: {{ _("Card")|label }}, {{ names|enumerate }},
{% clause name date %}, {% annotate name role %}, {{ note|bracketed }}."""

from django.utils import translation
from django.utils.translation import gettext, pgettext


def label_suffix() -> str:
    """What follows a label before its value: "：" in Chinese, ": " in English (Django's forms and the
    admin use the same msgid ":")."""
    suffix = gettext(":")
    return suffix if suffix != ":" else ": "


def label(text) -> str:
    """A label with its suffix: "状态：" / "State: ". A label that ends in its own punctuation (a question)
    keeps it, as Django's label_tag does: "是否已领取新护照？" / "New passport? "."""
    text = str(text)
    if text.endswith(("：", "？", "。", "！")):
        return text
    if text.endswith((":", "?", ".", "!")):
        return f"{text} "
    return f"{text}{label_suffix()}"


def enumerate_items(items) -> str:
    """A list in one line as the reader's language writes one: "张三、李四" or "Zhang San, Li Si"."""
    language = translation.get_language() or ""
    return ("、" if language.startswith("zh") else ", ").join(_present(items))


def clause(*parts) -> str:
    """Parts of one sentence joined by a comma: "张伟，2026年12月2日" / "Zhang Wei, 2 December 2026"."""
    return pgettext("between the parts of one sentence", ", ").join(_present(parts))


def annotate(text, note) -> str:
    """A word with a note in brackets: "付建华（团长）", "何静（HE JING）" / "Fu Jianhua (Leader)". Without a
    note, the word alone."""
    if not _present([note]):
        return str(text)
    return pgettext("a word with a note in brackets", "%(text)s (%(note)s)") % {"text": text, "note": note}


def bracketed(note) -> str:
    """A note in brackets on its own, after a word set apart by markup: "（审核中 → 已批准）" / "(Review →
    Approved)"."""
    return pgettext("a note in brackets", "(%(note)s)") % {"note": note}


def _present(parts) -> list[str]:
    """The parts that say something: neither None nor empty."""
    return [str(part) for part in parts if part is not None and str(part)]
