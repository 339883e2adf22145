"""How training (area 5) plugs into the portal (foreign_affairs.areas): navigation, start page, reports, demo
data, certificate verification, the roles' permissions, the audit labels, the periodic jobs and the API's enums."""

from celery.schedules import crontab
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from foreign_affairs import areas
from foreign_affairs.accounts.roles import Role

from . import dashboard, demo
from .documents import certificate_verification
from .models import Audience, CertificateStatus, MaterialKind, Topic
from .personal_data import SOURCE as PERSONAL_DATA_SOURCE
from .reporting import REPORTS, training_panels
from .workflow import ACTION_LABELS, CheckInMethod, Mode, SessionLanguage, SessionState, State

_OFFICE_READ = {
    "training.view_course",
    "training.view_question",
    "training.view_coursematerial",
    "training.view_session",
    "training.view_enrolment",
    "training.view_certificate",
    "training.view_trainingmessage",
}
# Enterprise members read the courses and sessions, and their organisation's enrolments and certificates
# (the services and selectors check the organisation).
_ENTERPRISE = {
    "training.view_course",
    "training.view_session",
    "training.view_enrolment",
    "training.add_enrolment",
    "training.view_certificate",
}

areas.register(
    areas.Area(
        name="training",
        title=_("Training"),
        policy_area=5,
        nav=[
            areas.NavItem(
                pgettext_lazy("menu", "Training"),
                "training:calendar",
                "anonymous",
                "/training/",
                order=areas.NAV_PUBLIC + 5,
            ),
        ],
        links=[
            areas.ServiceLink(_("Calendar of training sessions"), "training:calendar"),
            areas.ServiceLink(_("My training and certificates"), "training:my"),
            areas.ServiceLink(_("Verify a certificate"), "verify_form"),
        ],
        start_page=[dashboard.training],
        reports=REPORTS,
        panels=[training_panels],
        demo=areas.DemoData(demo.seed, "training sessions", order=8),
        verification=[areas.VerificationKind("training_certificate", certificate_verification)],
        permissions={
            Role.APPLICANT: _ENTERPRISE,
            Role.LIAISON: _ENTERPRISE,
            Role.OFFICER: {
                *_OFFICE_READ,
                "training.add_course",
                "training.change_course",
                "training.add_question",
                "training.change_question",
                "training.delete_question",
                "training.add_coursematerial",
                "training.delete_coursematerial",
                "training.add_session",
                "training.change_session",
                "training.add_enrolment",
                "training.change_enrolment",
                "training.change_certificate",
            },
            Role.LEADER: _OFFICE_READ,
            Role.MANAGER: _OFFICE_READ,
        },
        audit_labels=ACTION_LABELS,
        periodic=[
            areas.PeriodicJob(
                "training-reminders",
                "training.send_reminders",
                crontab(minute=0, hour=settings.TRAINING_REMINDER_HOUR),
                "Daily at TRAINING_REMINDER_HOUR: everyone with a place in tomorrow's sessions is reminded once.",
            ),
            areas.PeriodicJob(
                "training-trainee-mail",
                "training.retry_messages",
                crontab(minute="*/5"),
                "Every 5 minutes: e-mails to trainees without an account still unsent are sent again.",
            ),
        ],
        api_enums={
            "TrainingTopicEnum": Topic,
            "TrainingAudienceEnum": Audience,
            "TrainingModeEnum": Mode,
            "TrainingSessionStateEnum": SessionState,
            "TrainingSessionLanguageEnum": SessionLanguage,
            "EnrolmentStateEnum": State,
            "CheckInMethodEnum": CheckInMethod,
            "CertificateStatusEnum": CertificateStatus,
            "CourseMaterialKindEnum": MaterialKind,
            # A session's `language` is a choice set of its own: the portal's languages, which other
            # areas' `language` fields take, keep their name beside it.
            "LanguageEnum": settings.LANGUAGES,
        },
        personal_data=(PERSONAL_DATA_SOURCE,),
    )
)
