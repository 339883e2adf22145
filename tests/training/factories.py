"""Building training records through the services, as the doors do."""

from datetime import timedelta

from django.utils import timezone

from tests.factories import office_user
from training.models import Choice, Course, Question
from training.services import session_create


def course(*, code=None, topic="predeparture", pass_mark=None, questions=0, audience="enterprise", **fields):
    """A course; with `questions`, that many questions of three answers each, the first answer right."""
    found = Course.objects.create(
        code=code or f"PD-{Course.objects.count() + 1:02d}",
        title_zh=fields.pop("title_zh", "出国（境）前教育"),
        title_en=fields.pop("title_en", "Pre-departure briefing"),
        topic=topic,
        audience=audience,
        pass_mark=pass_mark,
        **fields,
    )
    for number in range(1, questions + 1):
        question = Question.objects.create(
            course=found, position=number, text_zh=f"问题{number}", text_en=f"Q{number}"
        )
        for position in range(1, 4):
            Choice.objects.create(
                question=question,
                position=position,
                text_zh=f"答案{position}",
                text_en=f"Answer {position}",
                is_correct=position == 1,
            )
    return found


def session(
    *,
    course_obj=None,
    capacity=10,
    starts_in=timedelta(days=7),
    hours=3,
    deadline_before=timedelta(days=1),
    officer=None,
    **fields,
):
    """A session of `course_obj` (a new pre-departure course when not given) starting `starts_in` from now."""
    starts = timezone.now() + starts_in
    return session_create(
        actor=officer or office_user("Officer"),
        course=course_obj or course(),
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        venue=fields.pop("venue", "河南省外办三楼会议室"),
        capacity=capacity,
        enrolment_deadline=starts - deadline_before,
        **fields,
    )


def answers_for(course_obj, right: int) -> dict:
    """Answers to every question of the course, the first `right` of them correct."""
    found = {}
    for index, question in enumerate(course_obj.questions.prefetch_related("choices")):
        choices = list(question.choices.all())
        chosen = (
            next(c for c in choices if c.is_correct)
            if index < right
            else next(c for c in choices if not c.is_correct)
        )
        found[str(question.pk)] = chosen.pk
    return found
