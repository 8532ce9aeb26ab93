from django.utils import translation
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.views import APIView

from security import audit

from .parsers import JSONParser


class JSONOnly(DefaultContentNegotiation):
    """The API has one representation, JSON. An Accept header that does not list
    it, or cannot be read at all, is disregarded (as RFC 9110 allows) instead of
    answered 406, and so is `?format=`: the answer is JSON either way. Bodies are
    still negotiated: anything but JSON is a 415."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class TenantApiView(APIView):
    """An endpoint acting for the hotel whose API key signed the request. It
    answers in the hotel's language, so field errors read the way its guests and
    staff expect whatever the caller's Accept-Language says."""

    parser_classes = [JSONParser]
    content_negotiation_class = JSONOnly

    @property
    def tenant(self):
        return self.request.auth.tenant

    @property
    def actor(self) -> str:
        return f"api_key:{self.request.auth.prefix}"

    @property
    def ip_address(self) -> str | None:
        return audit.client_ip(self.request)

    def dispatch(self, request, *args, **kwargs):
        # The tenant is known only once `initial` has authenticated the request;
        # this override puts back the caller's language when the response is done.
        with translation.override(translation.get_language()):
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        translation.activate(self.tenant.language)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        return response
