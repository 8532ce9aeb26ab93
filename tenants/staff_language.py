"""Which language the back office speaks to a staff member.

Their own choice first (StaffProfile.language, set from the header's language
menu); else their browser's, when it asks for a language we have; else the
language of their (first) hotel, so a receptionist whose browser says nothing
useful still sees the hotel's language rather than the product's default.

Times are shown in the hotel's time zone (the first hotel's, for someone who
works at several), as on the front desk's clock.

The stored answers are read once, at sign-in (and when the choice changes),
into the session: every later request decides from the session already loaded
for authentication, with no query of its own.
"""
import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from .models import StaffProfile, TenantMembership

SESSION_KEY = "staff_language"


@cache
def available_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())
SUPPORTED = frozenset(code for code, _name in settings.LANGUAGES)


def _stored_preferences(user) -> dict[str, str]:
    chosen = StaffProfile.objects.filter(user=user).values_list("language", flat=True).first() or ""
    with scopes_disabled():  # a user's own memberships, whichever hotel is being worked on
        hotel, zone = (
            TenantMembership.objects.filter(user=user).order_by("pk")
            .values_list("tenant__language", "tenant__timezone").first() or ("", "")
        )
    return {"chosen": chosen, "hotel": hotel, "timezone": zone}


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


def staff_timezone(request) -> str | None:
    """The (first) hotel's time zone: staff read times as the clock on their wall."""
    preferences = request.session.get(SESSION_KEY)
    zone = preferences.get("timezone") if isinstance(preferences, dict) else None
    return zone if isinstance(zone, str) and zone in available_timezones() else None


class StaffLanguageMiddleware:
    """After authentication: speaks the staff member's language (see the module docstring)
    and shows times in their hotel's time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            language = staff_language(request)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
            zone = staff_timezone(request)
            if zone:
                timezone.activate(zoneinfo.ZoneInfo(zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


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
