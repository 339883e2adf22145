"""The back office of training: courses (questions, materials), sessions (register, waiting list, venue QR
code, online record), enrolments and certificates, one module per kind of record."""

from . import certificates, courses, enrolments, sessions

__all__ = ["certificates", "courses", "enrolments", "sessions"]
