"""Named hooks other areas fill in (DESIGN.md: areas meet only through small named functions).

The training area registers `training_status_provider` when it exists; until then every traveller's
pre-departure training is "unknown", which the rules report as a warning.
"""

from collections.abc import Callable
from datetime import date

# (people, departure date) -> {person id: "valid" | "missing" | "unknown"}
training_status_provider: Callable[[list, date], dict[int, str]] | None = None


def register_training_status(provider: Callable[[list, date], dict[int, str]]) -> None:
    global training_status_provider
    training_status_provider = provider


def training_status(people: list, on: date) -> dict[int, str]:
    """Whether each person holds valid pre-departure training on `on`."""
    if training_status_provider is None:
        return {person.pk: "unknown" for person in people}
    return training_status_provider(people, on)
