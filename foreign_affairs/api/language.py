"""The reader's language in the API, the same way in every area: `?lang=zh-hans|en` over Accept-Language,
and its OpenAPI parameter."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions

LANGUAGES = [code for code, _name in settings.LANGUAGES]
LANG = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=LANGUAGES,
    description="The language of `title`, `description` and names (default: Accept-Language, else Chinese).",
)


class ReaderLanguageMixin:
    """`?lang=zh-hans|en` chooses the language of the answer over Accept-Language (PortalLocaleMiddleware
    reads that one); an unknown language answers 400."""

    def dispatch(self, request, *args, **kwargs):
        given = request.GET.get("lang", "")
        self.reader_language = None
        self.reader_language_invalid = False
        if given:
            try:
                self.reader_language = translation.get_supported_language_variant(given.strip().lower())
            except LookupError:
                self.reader_language_invalid = True
        if self.reader_language is None:
            return super().dispatch(request, *args, **kwargs)
        with translation.override(self.reader_language):
            request.LANGUAGE_CODE = self.reader_language
            response = super().dispatch(request, *args, **kwargs)
            if callable(getattr(response, "render", None)):
                response.render()  # in the chosen language, not the one the middleware activated
        response["Content-Language"] = self.reader_language
        return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.reader_language_invalid:
            raise exceptions.ValidationError(
                {"lang": [_("Choose one of: %(languages)s.") % {"languages": ", ".join(LANGUAGES)}]}
            )
