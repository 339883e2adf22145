"""Named hooks other areas fill in (DESIGN.md: areas meet only through small named functions).

The training area registers `training_status_provider` (whether each traveller holds valid pre-departure
training on the departure date) and `training_enrolment_url_provider` (where the applicant enrols the
travellers who lack it). Without the training area every traveller's pre-departure training is
"unknown", which the rules report as a warning, and the form offers no link.
"""

from collections.abc import Callable
from datetime import date

# (people, departure date) -> {person id: "valid" | "missing" | "unknown"}
training_status_provider: Callable[[list, date], dict[int, str]] | None = None
# (travel application) -> the page enrolling its travellers who lack the training, or ""
training_enrolment_url_provider: Callable[[object], str] | None = None


def register_training_status(provider: Callable[[list, date], dict[int, str]]) -> None:
    global training_status_provider
    training_status_provider = provider


def register_training_enrolment_url(provider: Callable[[object], str]) -> None:
    global training_enrolment_url_provider
    training_enrolment_url_provider = provider


def training_status(people: list, on: date) -> dict[int, str]:
    """Whether each person holds valid pre-departure training on `on`."""
    if training_status_provider is None:
        return {person.pk: "unknown" for person in people}
    return training_status_provider(people, on)


def training_enrolment_url(application) -> str:
    """The page where the travellers of a saved `application` lacking the training are enrolled ("" if none)."""
    if training_enrolment_url_provider is None or application is None or application.pk is None:
        return ""
    return training_enrolment_url_provider(application)
