"""What security.hostile calls an attack, and the guest writing it calls plain text."""
import pytest
from django_scopes import scopes_disabled

from security.hostile import excerpt, hostile_patterns, report_if_hostile
from security.models import AuditEvent

# (text, a pattern it must match)
HOSTILE = [
    ("' OR 1=1 --", "sql_tautology"),
    ("1' or '1'='1", "sql_tautology"),
    ('" or ""="', "sql_tautology"),
    ("x') OR ('a')=('a", "sql_tautology"),
    ("admin'--", "sql_comment"),
    ("x' UNION SELECT password FROM users--", "sql_union_select"),
    ("1 UNION/**/ALL/**/SELECT null, null", "sql_union_select"),
    ("Robert'); DROP TABLE reservations;--", "sql_stacked_query"),
    ("x; DELETE FROM users WHERE 1=1", "sql_stacked_query"),
    ("'; exec xp_cmdshell 'dir'", "sql_stacked_query"),
    ("1; select pg_sleep(10)", "sql_function"),
    ("<script>alert(1)</script>", "script_tag"),
    ("&lt;script&gt;alert(1)&lt;/script&gt;", "script_tag"),
    ("javascript:alert(document.cookie)", "script_url"),
    ("jav&#x09;ascript:alert(1)", "script_url"),
    ("ＪＡＶＡＳＣＲＩＰＴ:alert(1)", "script_url"),
    ("<img src=x onerror=alert(1)>", "script_event_handler"),
    ("<svg/onload=alert(1)>", "script_event_handler"),
    ("<iframe src=//evil.example>", "script_element"),
    ("{{ 7*7 }}", "template_expression"),
    ("{{config.__class__.__init__.__globals__}}", "template_expression"),
    ("{% for x in range(9) %}", "template_statement"),
    ("<%= 7*7 %>", "template_statement"),
    ("${7*7}", "template_interpolation"),
    ("#{7*7}", "template_interpolation"),
    ("../../etc/passwd", "path_traversal"),
    ("..\\..\\windows\\win.ini", "path_traversal"),
    ("%2e%2e%2f%2e%2e%2fetc%2fpasswd", "path_traversal"),
    ("..%252f..%252fsecret", "path_traversal"),
    ("/etc/passwd", "path_sensitive_file"),
]

HONEST = [
    "O'Brien",
    "¿Tienen habitación?",
    "Llegamos 12/03 <3",
    "Select a room please",
    "I'll arrive at 3 -- maybe later",
    "Union Street 5",
    "🏖️ Vacaciones en familia 😊",
    "José Ñúñez Müller",
    "D'Angelo--Smith",
    "Rock 'n' roll",
    "We'll arrive late; please delete from my booking the extra bed",
    "Price < base rate? 2 > 1",
    "50% off? 100%!",
    "Room #3 or #4, and 'quiet' and true calm",
    "We need to sleep (8 hours) please",
    "Can we update our set menu?",
    "wait.../ok",
    "A/C please; 2/3 nights",
    "I <3 your hotel & spa",
    "ana+hotel@example.com",
    '"Quiet" room -- if possible',
    "He's the 'one' = best",
    "C'est l'été — à bientôt!",
    "Dinner {if possible}",
    "Costs $5 {approx}",
    "1..2 nights",
    "Llegada ~ 22:00h; salida 11:00",
    "We'll drop by the table at 9; update: we are 3",
    "Cuna para el bebé, por favor\nGracias",
]


@pytest.mark.parametrize(("text", "pattern"), HOSTILE)
def test_hostile_text_is_named(text, pattern):
    assert pattern in hostile_patterns(text)


@pytest.mark.parametrize("text", HONEST)
def test_honest_text_matches_nothing(text):
    assert hostile_patterns(text) == []


def test_a_long_run_of_spaces_after_a_quote_is_read_quickly():
    import time

    start = time.perf_counter()
    hostile_patterns("a'" + " " * 50_000 + "or")

    assert time.perf_counter() - start < 0.5


def test_the_excerpt_is_short_printable_and_hides_what_looks_like_a_secret():
    text = "x" * 500 + " ha_1a2b3c4d_SECRETSECRET' OR 1=1 -- \x00" + "y" * 500

    piece = excerpt(text)

    assert "' OR 1=1" in piece
    assert "SECRETSECRET" not in piece and "[redacted]" in piece
    assert "\x00" not in piece
    assert len(piece) <= 120


@pytest.mark.django_db
def test_hostile_text_is_reported_once_and_honest_text_not_at_all(tenant):
    found = report_if_hostile("' OR 1=1 --", tenant=tenant, source="api", actor="api_key:ha_x",
                              ip_address="203.0.113.9", field="guest_name")
    nothing = report_if_hostile("O'Brien", tenant=tenant, source="api", actor="api_key:ha_x",
                                field="guest_name")

    assert (found, nothing) == (["sql_tautology"], [])
    with scopes_disabled():
        [event] = AuditEvent.objects.filter(event_type=AuditEvent.Type.SUSPICIOUS_ACTIVITY)
    assert (event.tenant, event.action, event.actor, event.ip_address, event.resource) == (
        tenant, "hostile_input", "api_key:ha_x", "203.0.113.9", "api:guest_name"
    )
    assert event.details == {"patterns": ["sql_tautology"], "source": "api", "field": "guest_name",
                             "excerpt": "' OR 1=1 --"}


@pytest.mark.django_db
def test_what_is_not_text_is_not_reported(tenant):
    assert report_if_hostile(None, tenant=tenant, source="api", actor="x") == []
    assert report_if_hostile(["<script>"], tenant=tenant, source="api", actor="x") == []
