"""The bilingual programme (日程安排 / Programme) of an activity as a PDF. PLACEHOLDER: being written."""


def render_programme(activity) -> bytes:
    """The programme of `activity` as PDF bytes, Chinese and English side by side."""
    raise NotImplementedError
