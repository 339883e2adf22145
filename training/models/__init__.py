from .certificates import Certificate, CertificateStatus
from .common import Counter
from .courses import Audience, Choice, Course, CourseMaterial, MaterialKind, Question, Topic
from .sessions import Attempt, Enrolment, Session, TrainingMessage

__all__ = [
    "Attempt",
    "Audience",
    "Certificate",
    "CertificateStatus",
    "Choice",
    "Counter",
    "Course",
    "CourseMaterial",
    "Enrolment",
    "MaterialKind",
    "Question",
    "Session",
    "Topic",
    "TrainingMessage",
]
