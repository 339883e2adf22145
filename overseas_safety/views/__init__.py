from django.http import Http404


def incident_detail(request, pk):  # replaced by the enterprise pages
    raise Http404


def site_detail(request, pk):
    raise Http404
