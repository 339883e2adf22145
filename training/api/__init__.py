"""The API of training, under /api/v1/training/ (foreign_affairs.urls registers ROUTES as
`training/<prefix>`): the catalogue of courses, the sessions with their places (enrolling and checking in),
the enrolments with the assessment, and the certificates with their verification code, one module each;
their serializers and filters beside them."""

from .certificates import CertificateViewSet
from .courses import CourseViewSet
from .enrolments import EnrolmentViewSet
from .sessions import SessionViewSet

ROUTES = [
    ("courses", CourseViewSet, "training-course"),
    ("sessions", SessionViewSet, "training-session"),
    ("enrolments", EnrolmentViewSet, "training-enrolment"),
    ("certificates", CertificateViewSet, "training-certificate"),
]
