from django.utils import translation
from rest_framework.views import APIView

from security import audit

from .parsers import JSONParser


class TenantApiView(APIView):
    """An endpoint acting for the hotel whose API key signed the request. It
    answers in the hotel's language, so field errors read the way its guests and
    staff expect whatever the caller's Accept-Language says."""

    parser_classes = [JSONParser]

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
