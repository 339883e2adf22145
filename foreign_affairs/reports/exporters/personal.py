"""Exports that carry personal data (ReportDefinition.personal_data: the list names travellers, trainees or
contacts) say so and are logged, as PIPL asks of every copy of personal information that leaves the portal:

- the cover says it in both languages: the first rows of the CSV and the XLSX, the PDF's cover and its
  running header (NOTICE, MARK);
- the file name says it: "…-personal-data.xlsx", "…-含个人信息.xlsx" for a file written in Chinese;
- writing the file (the job, door "export", its requester) and each download (page or API) are access
  records (foreign_affairs.privacy), the case being the report's name.
"""

from foreign_affairs.privacy import access
from foreign_affairs.privacy.models import Door, Seen

# Bilingual by design (the cover of a file read by anyone it is passed on to), not translated.
NOTICE_ZH = "本文件含个人信息，须依照《个人信息保护法》处理。"
NOTICE_EN = "Contains personal information — handle under PIPL."
NOTICE = (NOTICE_ZH, NOTICE_EN)
MARK = "含个人信息 · Personal information"  # the PDF's running header
FILE_SUFFIX = {"zh": "含个人信息", "en": "personal-data"}


def is_personal(definition) -> bool:
    return bool(getattr(definition, "personal_data", False))


def file_name(job, definition) -> str:
    """The download name of `job`'s file: the usual one, marked when the report carries personal data (in
    the language the file was written in, that of its requester)."""
    name = job.download_name
    if definition is None or not is_personal(definition):
        return name
    language = getattr(job.created_by, "preferred_language", "") or ""
    suffix = FILE_SUFFIX["zh" if language.startswith("zh") else "en"]
    stem, dot, extension = name.rpartition(".")
    return f"{stem}-{suffix}.{extension}" if dot else f"{name}-{suffix}"


def record_written(job, definition) -> None:
    """The export of a report with personal data was written for its requester (an access record)."""
    if definition is not None and is_personal(definition):
        access.record(seen=Seen.PERSONAL_EXPORT, user=job.created_by, door=Door.EXPORT, case=job.report)


def record_downloaded(request, job, definition) -> None:
    """The file of such an export was handed out through a page or the API (an access record)."""
    if definition is not None and is_personal(definition):
        access.record(request, seen=Seen.PERSONAL_EXPORT, case=job.report)
