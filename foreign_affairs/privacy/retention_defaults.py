"""The retention periods the portal starts with (months after the case closed); the office changes them in
the back office (Personal information › Retention rules)."""

DEFAULT_MONTHS = {
    "travel_scans": 24,  # passport scans and photos of a closed travel application: 2 years
    "travel_applications": 120,  # the travellers' personal data on the archived application: 10 years
    "apec_scans": 24,  # the passport page and photo of a decided APEC card application
    "access_records": 36,  # who looked at whose data: 3 years
    "outbox": 12,  # e-mails kept for people without an account
    "interview_requests": 36,  # interview requests of a closed visit (exchanges' privacy notice)
}
