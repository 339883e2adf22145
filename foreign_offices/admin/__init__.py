from django.contrib import admin

from ..models import AnnualReport, ChangeRequest, ForeignOrganisation, SetupCase

for _model in (SetupCase, ForeignOrganisation, AnnualReport, ChangeRequest):
    admin.site.register(_model)  # STUB: replaced by the back office's modules
