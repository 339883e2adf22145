"""The back office of training: courses (questions, materials), sessions (register, waiting list, venue QR
code, online record), enrolments and certificates."""
