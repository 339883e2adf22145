"""The assessment of an attended course: one page of multiple-choice questions, scored on submission.

Only the trainee sees it (services.may_take_assessment; anyone else, 404). The questions come in the
reader's language, one group of radio buttons each; the page says how many attempts are used and allowed
and the pass mark. Submitting scores one attempt (services.assessment_submit) and goes to its result
(?attempt=<number>): the score, passed or not, then the certificate or the attempts left. A question left
unanswered is an error beside it, the other answers kept. The right answers are never shown, nor which
answers were wrong.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from foreign_affairs.errors import StateConflict
from foreign_affairs.forms import PortalForm, add_service_errors

from .. import services
from ..models import Certificate, Enrolment
from ..workflow import State


class AssessmentForm(PortalForm):
    """One required choice per question, named q<question id>; the choices in their order."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            field = forms.TypedChoiceField(
                label=question.text,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                choices=[(choice.pk, choice.text) for choice in question.choices.all()],
                error_messages={
                    "required": gettext_lazy("Choose an answer to this question."),
                    "invalid_choice": gettext_lazy("Choose one of the answers given."),
                },
            )
            field.number = number
            self.fields[f"q{question.pk}"] = field

    def answers(self) -> dict:
        """{question id: choice id}, as the service takes them."""
        return {str(q.pk): self.cleaned_data[f"q{q.pk}"] for q in self.questions}


def _enrolment(request, pk) -> Enrolment:
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("session__course", "person", "user"), pk=pk
    )
    if (
        not services.may_take_assessment(enrolment, request.user)
        or not enrolment.session.course.has_assessment
    ):
        raise Http404
    return enrolment


def _certificate(enrolment: Enrolment):
    if enrolment.state != State.COMPLETED:
        return None
    return Certificate.objects.filter(enrolment=enrolment).first()


def _result(enrolment, attempts: list, number: str):
    """The attempt asked for by ?attempt=, or after the course is over the last one; else None."""
    if number:
        try:
            wanted = int(number)
        except ValueError:
            wanted = None
        found = next((attempt for attempt in attempts if attempt.number == wanted), None)
        if found is not None:
            return found
    if enrolment.state in (State.COMPLETED, State.FAILED) and attempts:
        return attempts[-1]
    return None


@login_required
@require_http_methods(["GET", "POST"])
def assessment(request, pk):
    enrolment = _enrolment(request, pk)
    course = enrolment.session.course
    attempts = list(enrolment.attempts.order_by("number"))
    left = max(course.max_attempts - len(attempts), 0)
    is_open = enrolment.state == State.ATTENDED and left > 0
    questions = list(course.questions.prefetch_related("choices")) if is_open else []
    form, status = None, 200
    if request.method == "POST":
        if not is_open:
            # Submitted after the course was finished (another tab) or before attendance: the page says why.
            return _page(request, enrolment, attempts, left=left, status=409, problem=_closed(enrolment))
        form = AssessmentForm(request.POST, questions=questions)
        if form.is_valid():
            try:
                attempt = services.assessment_submit(
                    enrolment=enrolment, actor=request.user, answers=form.answers()
                )
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            except StateConflict as error:
                return _page(request, enrolment, attempts, left=left, status=409, problem=str(error.message))
            else:
                url = reverse("training:assessment", args=[enrolment.pk])
                return redirect(f"{url}?attempt={attempt.number}")
        else:
            status = 400
        return _page(request, enrolment, attempts, left=left, form=form, status=status)
    result = _result(enrolment, attempts, request.GET.get("attempt", ""))
    if result is None and is_open:
        form = AssessmentForm(questions=questions)
    return _page(request, enrolment, attempts, left=left, form=form, result=result)


def _closed(enrolment: Enrolment) -> str:
    if enrolment.state in (State.COMPLETED, State.FAILED):
        return _("The assessment of this course is over for you.")
    if enrolment.state == State.ATTENDED:
        return _("You have used every attempt.")
    return _("The assessment opens once your attendance is recorded.")


def _page(request, enrolment, attempts, *, left, form=None, result=None, problem="", status=200):
    return render(
        request,
        "training/assessment.html",
        {
            "enrolment": enrolment,
            "course": enrolment.session.course,
            "session": enrolment.session,
            "attempts": attempts,
            "used": len(attempts),
            "left": left,
            "result": result,
            "form": form,
            "problem": problem,
            "certificate": _certificate(enrolment),
        },
        status=status,
    )


urlpatterns = [path("enrolments/<int:pk>/assessment/", assessment, name="assessment")]
