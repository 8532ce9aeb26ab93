"""A hotel's knowledge base: its FAQ entries plus answers made from its own fields,
read from the cache, never another hotel's, and edited in the admin by its managers."""
import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.cache import cache
from django_scopes import ScopeError, scopes_disabled

from tenants.demo_knowledge import install_demo_knowledge
from tenants.knowledge import KnowledgeEntry, knowledge_for
from tenants.models import FAQEntry, Tenant, TenantMembership
from tests.admin.pages import admin_url, change_form_data, rows
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

TOPICS = {choice for choice, _label in FAQEntry.Topic.choices} - {"other"}


def faq(tenant, topic="wifi", language="es", answer="Wifi gratis.", **fields):
    return FAQEntry.objects.create(tenant=tenant, topic=topic, language=language, answer=answer, **fields)


def answers(tenant, topic, language="es"):
    return [entry.answer for entry in knowledge_for(tenant)
            if (entry.topic, entry.language) == (topic, language)]


def test_questions_are_one_per_line_without_blank_lines(tenant):
    entry = faq(tenant, questions="¿Hay wifi?\n\n  ¿Contraseña del wifi?  \n")

    assert entry.question_list == ("¿Hay wifi?", "¿Contraseña del wifi?")
    assert str(entry) == "Wi-Fi (es)"


def test_faq_entries_are_read_within_a_hotels_scope_only():
    with pytest.raises(ScopeError):
        list(FAQEntry.objects.all())


def test_new_hotel_fields_default_to_nothing_said(tenant):
    assert (tenant.directions, tenant.cancellation_policy, tenant.late_checkout_until,
            tenant.late_checkout_fee, tenant.infants_count_as_guests) == ("", "", None, None, False)


def test_active_entries_come_as_knowledge_entries_in_position_order(tenant):
    faq(tenant, answer="Second.", position=2, questions="¿Hay wifi?")
    faq(tenant, answer="First.", position=1)
    faq(tenant, answer="Retired.", is_active=False)

    assert answers(tenant, "wifi") == ["First.", "Second."]
    assert KnowledgeEntry("wifi", "es", ("¿Hay wifi?",), "Second.") in knowledge_for(tenant)


def test_the_hotels_fields_answer_topics_without_entries_in_both_languages(tenant):
    Tenant.objects.filter(pk=tenant.pk).update(
        address="Calle del Sol 12, Madrid", cancellation_policy="Gratis hasta 48 h antes.",
        late_checkout_until=datetime.time(14, 0), late_checkout_fee=Decimal("20.00"),
    )
    tenant.refresh_from_db()

    entries = {(entry.topic, entry.language): entry for entry in knowledge_for(tenant)}

    assert {topic for topic, _language in entries} == {
        "address", "directions", "phone", "check_in_out", "cancellation", "late_checkout"}
    assert {language for _topic, language in entries} == {"es", "en"}
    assert "Calle del Sol 12" in entries["address", "en"].answer
    assert "+34910000000" in entries["phone", "es"].answer
    assert "15:00" in entries["check_in_out", "es"].answer and "12:00" in entries["check_in_out", "en"].answer
    assert "14:00" in entries["late_checkout", "es"].answer and "20" in entries["late_checkout", "es"].answer
    assert entries["cancellation", "en"].answer == "Gratis hasta 48 h antes."
    assert all(entry.questions for entry in entries.values())


def test_empty_fields_say_nothing_rather_than_something_invented(tenant):
    Tenant.objects.filter(pk=tenant.pk).update(support_phone="", support_email="")
    tenant.refresh_from_db()

    assert {entry.topic for entry in knowledge_for(tenant)} == {"check_in_out"}


def test_an_entry_the_hotel_wrote_replaces_the_answer_made_from_its_fields(tenant):
    faq(tenant, topic="check_in_out", language="en", answer="Check-in from 2 pm.")

    assert answers(tenant, "check_in_out", "en") == ["Check-in from 2 pm."]
    assert answers(tenant, "check_in_out", "es") == []  # the topic is covered: the matcher falls back to en


def test_a_warm_read_runs_no_query(tenant, django_assert_num_queries):
    faq(tenant)
    cold = knowledge_for(tenant)

    with django_assert_num_queries(0):
        assert knowledge_for(tenant) == cold


def test_a_warm_read_is_one_cache_round_trip(tenant):
    faq(tenant)
    cold = knowledge_for(tenant)
    calls, inside = [], []
    real_get, real_get_many = cache.get, cache.get_many

    def get(*args, **kwargs):
        if not inside:  # the local-memory cache's get_many calls get for each key
            calls.append("get")
        return real_get(*args, **kwargs)

    def get_many(*args, **kwargs):
        calls.append("get_many")
        inside.append(True)
        try:
            return real_get_many(*args, **kwargs)
        finally:
            inside.pop()

    with mock.patch.object(cache, "get", get), mock.patch.object(cache, "get_many", get_many):
        warm = knowledge_for(tenant)

    assert warm == cold
    assert calls == ["get_many"]


@pytest.mark.parametrize("change", ["edit", "deactivate", "delete", "add"])
def test_an_entry_changed_is_seen_by_the_next_read(tenant, change):
    entry = faq(tenant, answer="Wifi gratis.")
    knowledge_for(tenant)

    if change == "edit":
        entry.answer = "Wifi gratis, red HotelSol."
        entry.save()
    elif change == "deactivate":
        entry.is_active = False
        entry.save()
    elif change == "delete":
        entry.delete()
    else:
        faq(tenant, answer="También en la terraza.", position=5)

    expected = {"edit": ["Wifi gratis, red HotelSol."], "deactivate": [], "delete": [],
                "add": ["Wifi gratis.", "También en la terraza."]}[change]
    assert answers(tenant, "wifi") == expected


def test_a_hotel_saved_is_seen_by_the_next_read(tenant):
    knowledge_for(tenant)

    tenant.address = "Gran Vía 1, Madrid"
    tenant.save()

    assert answers(tenant, "address") == ["Estamos en Gran Vía 1, Madrid."]


def test_one_hotel_never_sees_another_hotels_entries(tenant, other_tenant):
    faq(tenant, answer="Sol wifi.")
    faq(other_tenant, answer="Harbor wifi.")
    install_demo_knowledge(other_tenant)

    assert answers(tenant, "wifi") == ["Sol wifi."]
    assert not any("Harbor" in entry.answer or "Boston" in entry.answer for entry in knowledge_for(tenant))
    assert "Harbor wifi." in answers(other_tenant, "wifi")


def test_a_change_at_one_hotel_leaves_the_others_cache_warm(tenant, other_tenant, django_assert_num_queries):
    knowledge_for(other_tenant)
    faq(tenant)

    with django_assert_num_queries(0):
        knowledge_for(other_tenant)


# The demo installer


@pytest.mark.parametrize(("slug", "currency", "words"), [
    ("hotel-sol", "EUR", ("Madrid", "€")), ("harbor-inn", "USD", ("Boston", "$")),
])
def test_the_demo_hotels_get_every_topic_in_both_languages(db, slug, currency, words):
    hotel = Tenant.objects.create(slug=slug, name=slug, currency=currency)

    created = install_demo_knowledge(hotel)

    entries = knowledge_for(hotel)
    assert created == len(TOPICS) * 2
    expected = {(topic, language) for topic in TOPICS for language in ("es", "en")}
    assert {(entry.topic, entry.language) for entry in entries} == expected
    assert all(entry.questions and entry.answer for entry in entries)
    text = " ".join(entry.answer for entry in entries)
    assert all(word in text for word in words)
    hotel.refresh_from_db()
    assert words[0] in hotel.address and hotel.directions and hotel.cancellation_policy
    assert hotel.late_checkout_until is not None and hotel.late_checkout_fee is not None


def test_installing_the_demo_again_creates_nothing_and_keeps_staff_edits(tenant):
    install_demo_knowledge(tenant)
    with scopes_disabled():
        FAQEntry.objects.filter(tenant=tenant, topic="wifi", language="es").update(answer="Red nueva.")
    Tenant.objects.filter(pk=tenant.pk).update(address="Gran Vía 1")
    tenant.refresh_from_db()

    assert install_demo_knowledge(tenant) == 0
    tenant.refresh_from_db()
    assert tenant.address == "Gran Vía 1"
    with scopes_disabled():
        assert FAQEntry.objects.filter(tenant=tenant).count() == len(TOPICS) * 2
        assert FAQEntry.objects.get(tenant=tenant, topic="wifi", language="es").answer == "Red nueva."


# The admin, signed in as tests/admin does


@pytest.fixture
def as_manager(client, tenant):
    client.force_login(MembershipFactory(tenant=tenant, role=TenantMembership.Role.MANAGER).user)
    return client


@pytest.fixture
def as_staff(client, tenant):
    client.force_login(MembershipFactory(tenant=tenant, role=TenantMembership.Role.STAFF).user)
    return client


INLINE = "faq_entries"


def with_new_inline_row(data, tenant, **row):
    total = int(data[f"{INLINE}-TOTAL_FORMS"])
    data[f"{INLINE}-TOTAL_FORMS"] = str(total + 1)
    data.update({f"{INLINE}-{total}-{name}": value for name, value in row.items()})
    data[f"{INLINE}-{total}-tenant"] = tenant.pk
    return data


def test_a_manager_adds_an_entry_on_the_hotel_page_and_the_agent_knows_it(as_manager, tenant):
    knowledge_for(tenant)
    page = as_manager.get(admin_url(Tenant, "change", tenant.pk))
    data = with_new_inline_row(change_form_data(page), tenant, topic="pets", language="es",
                               questions="¿Admitís perros?", answer="Sí, perros pequeños.", is_active="on",
                               position="0")

    response = as_manager.post(admin_url(Tenant, "change", tenant.pk), data)

    assert response.status_code == 302, response.context["inline_admin_formsets"][-1].formset.errors
    assert answers(tenant, "pets") == ["Sí, perros pequeños."]


def test_the_hotel_page_groups_the_guest_information(as_manager, tenant):
    page = as_manager.get(admin_url(Tenant, "change", tenant.pk))

    fieldsets = {name: fields for name, options in page.context["adminform"].fieldsets
                 for fields in [options["fields"]]}
    assert {"directions", "late_checkout_until", "late_checkout_fee", "cancellation_policy",
            "infants_count_as_guests", "address", "support_phone"} <= set(fieldsets["Guest information"])
    assert "pms_status" in fieldsets[None]  # reservations' own read-only fields keep their place
    assert "name" in fieldsets[None]


def test_staff_read_the_entries_but_cannot_add_them(as_staff, tenant):
    faq(tenant)
    page = as_staff.get(admin_url(Tenant, "change", tenant.pk))

    inline = next(i for i in page.context["inline_admin_formsets"] if i.formset.model is FAQEntry)
    assert not inline.has_add_permission
    assert as_staff.get(admin_url(FAQEntry, "add")).status_code == 403


def test_the_changelist_shows_only_the_members_hotel(as_manager, tenant, other_tenant):
    mine = faq(tenant, answer="Sol wifi.")
    theirs = faq(other_tenant, answer="Harbor wifi.")

    listed = rows(as_manager.get(admin_url(FAQEntry, "changelist")))
    searched = rows(as_manager.get(admin_url(FAQEntry, "changelist"), {"q": "wifi", "topic": "wifi"}))

    assert listed == [mine] and searched == [mine]
    assert as_manager.get(admin_url(FAQEntry, "change", theirs.pk)).status_code == 302  # "does not exist"


def test_a_manager_cannot_file_an_entry_under_another_hotel(as_manager, tenant, other_tenant):
    response = as_manager.post(admin_url(FAQEntry, "add"), {
        "tenant": other_tenant.pk, "topic": "wifi", "language": "en", "questions": "", "answer": "Hijacked.",
        "is_active": "on", "position": "0",
    })

    assert response.status_code == 200  # the form refuses the hotel
    with scopes_disabled():
        assert not FAQEntry.objects.filter(answer="Hijacked.").exists()


def test_a_manager_edits_an_entry_on_its_own_screen(as_manager, tenant):
    entry = faq(tenant)
    knowledge_for(tenant)
    data = change_form_data(as_manager.get(admin_url(FAQEntry, "change", entry.pk)))
    data.update(answer="Wifi gratis, red SolGuest.", tenant=tenant.pk)

    assert as_manager.post(admin_url(FAQEntry, "change", entry.pk), data).status_code == 302
    assert answers(tenant, "wifi") == ["Wifi gratis, red SolGuest."]
