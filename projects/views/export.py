"""The export the office sends to the national and provincial platforms: every published project and
achievement with its public fields in both languages and its public address, as CSV (UTF-8 with a
byte-order mark, which Excel needs to open Chinese) or XLSX. Filters `channel` and `kind` as the feeds.

Office staff only: anyone signed out is sent to sign in, anyone else signed in is refused (403), as the
reports' pages do. Each export is audited (projects.publishing.published_export).
"""

import tempfile

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from foreign_affairs.page_actions import problem, refusal_message

from .. import publishing
from ..publishing import BadSelection, Selection

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Files up to this size stay in memory while they are written; larger ones go to a temporary file.
IN_MEMORY = 8 * 1024 * 1024


def _export(request, format: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not publishing.may_export(request.user):
        return problem(
            request,
            _("You are not allowed to do this"),
            _("Only the office's staff export the published projects."),
            status=403,
            home=reverse("projects:catalogue"),
            home_label=_("Cooperation projects"),
        )
    try:
        selection = Selection.from_query(request.GET)
    except BadSelection as error:
        raise Http404(f"No such {error}.") from error
    out = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115 (FileResponse closes it)
    try:
        publishing.published_export(actor=request.user, format=format, selection=selection, out=out)
    except PermissionDenied as error:
        out.close()
        return problem(request, _("You are not allowed to do this"), refusal_message(error), status=403)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=publishing.export_file_name(format),
        content_type=CONTENT_TYPES[format],
    )


@never_cache
@require_GET
def export_csv(request):
    return _export(request, "csv")


@never_cache
@require_GET
def export_xlsx(request):
    return _export(request, "xlsx")


urlpatterns = [
    path("export/published.csv", export_csv, name="export_csv"),
    path("export/published.xlsx", export_xlsx, name="export_xlsx"),
]
