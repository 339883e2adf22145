"""Area 5: training of foreign-affairs personnel — courses, sessions, enrolment with a waiting list,
attendance (register, rotating QR code, an online session's record), assessments, certificates verified
at /verify/, each person's learning record, and the pre-departure training that travel approval checks."""
