"""A set of codes (FTZ areas, focus tags) kept in one text column as ",zhengzhou,kaifeng,": filtering on one
code is a `contains` lookup on every database (SQLite too), and a count per code is one conditional
aggregate. Services write lists through `join`; models read them back through `split`."""

from django.db.models import Q


def join(codes) -> str:
    codes = [c for c in dict.fromkeys(codes or []) if c]
    return f",{','.join(codes)}," if codes else ""


def split(value: str) -> list[str]:
    return [c for c in (value or "").split(",") if c]


def has(field: str, code: str) -> Q:
    """Rows whose code set in `field` holds `code`."""
    return Q(**{f"{field}__contains": f",{code},"})
