"""What the models of training share: the number counter and bilingual text."""

from django.db import models
from django.utils.translation import get_language


class Counter(models.Model):
    """The last number used in a year, per prefix (HNTS sessions, HNTC certificates)."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="training_counter_unique")]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last}"


def in_language(zh: str, en: str) -> str:
    """`zh` or `en` in the reader's language, falling back to the other."""
    if (get_language() or "").startswith("en"):
        return en or zh
    return zh or en
