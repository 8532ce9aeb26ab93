"""Which language the back office speaks to a staff member.

Their own choice first (StaffProfile.language, set from the header's language
menu); else their browser's, when it asks for a language we have; else the
language of their (first) hotel, so a receptionist whose browser says nothing
useful still sees the hotel's language rather than the product's default.

The two stored answers are read once, at sign-in (and when the choice changes),
into the session: every later request decides from the session already loaded
for authentication, with no query of its own.
"""
from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from .models import StaffProfile, TenantMembership

SESSION_KEY = "staff_language"
SUPPORTED = frozenset(code for code, _name in settings.LANGUAGES)


def _stored_preferences(user) -> dict[str, str]:
    chosen = StaffProfile.objects.filter(user=user).values_list("language", flat=True).first() or ""
    with scopes_disabled():  # a user's own memberships, whichever hotel is being worked on
        hotel = (
            TenantMembership.objects.filter(user=user).order_by("pk")
            .values_list("tenant__language", flat=True).first() or ""
        )
    return {"chosen": chosen, "hotel": hotel}


@receiver(user_logged_in, dispatch_uid="tenants.remember_staff_language")
def remember_staff_language(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = _stored_preferences(user)


def browser_language(request) -> str | None:
    """The first language of the browser's Accept-Language that the product speaks."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def staff_language(request) -> str | None:
    """The language for this staff member's request, or None to keep Django's choice."""
    preferences = request.session.get(SESSION_KEY)
    if not isinstance(preferences, dict):  # a session older than this feature
        preferences = request.session[SESSION_KEY] = _stored_preferences(request.user)
    if preferences.get("chosen") in SUPPORTED:
        return preferences["chosen"]
    if browser_language(request):
        return None
    return preferences.get("hotel") if preferences.get("hotel") in SUPPORTED else None


class StaffLanguageMiddleware:
    """After authentication: speaks the staff member's language (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            language = staff_language(request)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


@require_POST
@staff_member_required
def choose_staff_language(request):
    """The header's language menu: "" goes back to browser-then-hotel."""
    language = request.POST.get("language", "")
    if language not in SUPPORTED:
        language = ""
    StaffProfile.objects.update_or_create(user=request.user, defaults={"language": language})
    preferences = request.session.get(SESSION_KEY)
    preferences = preferences if isinstance(preferences, dict) else _stored_preferences(request.user)
    request.session[SESSION_KEY] = {**preferences, "chosen": language}
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("admin:index")
    return HttpResponseRedirect(target)
