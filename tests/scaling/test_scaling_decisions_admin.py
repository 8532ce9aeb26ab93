"""The decisions in the back office: superusers only, read-only, a day drawn as a chart."""
import datetime

import pytest
from django.utils import timezone

from hotelagent.models import ScalingDecision
from tenants.models import TenantMembership
from tests.admin.pages import admin_url
from tests.factories import MembershipFactory, UserFactory

from .factories import ScalingDecisionFactory

pytestmark = pytest.mark.django_db

CHANGELIST = admin_url(ScalingDecision, "changelist")


@pytest.fixture
def as_superuser(client):
    client.force_login(UserFactory(is_superuser=True))
    return client


@pytest.fixture(params=[TenantMembership.Role.MANAGER, TenantMembership.Role.STAFF])
def as_hotel_member(request, client, tenant):
    client.force_login(MembershipFactory(tenant=tenant, role=request.param).user)
    return client


@pytest.fixture
def a_day_of_decisions():
    now = timezone.now()
    return [
        ScalingDecisionFactory(evaluated_at=now - datetime.timedelta(hours=20), action="scale_up",
                               current_instances=1),
        ScalingDecisionFactory(evaluated_at=now - datetime.timedelta(hours=12), current_instances=2),
        ScalingDecisionFactory(evaluated_at=now - datetime.timedelta(hours=2), action="scale_down",
                               current_instances=2),
    ]


def test_superusers_see_the_decisions_and_the_chart(as_superuser, a_day_of_decisions):
    response = as_superuser.get(CHANGELIST)

    page = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == a_day_of_decisions[::-1]
    assert 'id="scaling-chart"' in page and "<svg" in page and "<polyline" in page
    assert "3 decisions" in page
    assert page.count("<title>scale up</title>") == 1
    assert page.count("<title>scale down</title>") == 1


def test_the_chart_says_when_the_day_had_no_decision(as_superuser):
    ScalingDecisionFactory(evaluated_at=timezone.now() - datetime.timedelta(days=3))

    page = as_superuser.get(CHANGELIST).content.decode()

    assert "No decision in the last 24 hours." in page


def test_filters_by_action(as_superuser, a_day_of_decisions):
    response = as_superuser.get(CHANGELIST, {"action__exact": "scale_up"})

    assert list(response.context["cl"].result_list) == [a_day_of_decisions[0]]


def test_a_decision_opens_read_only(as_superuser, a_day_of_decisions):
    decision = a_day_of_decisions[0]

    response = as_superuser.get(admin_url(ScalingDecision, "change", decision.pk))

    assert response.status_code == 200
    assert "cpu 85% &gt; 75%" in response.content.decode()
    assert b'name="_save"' not in response.content
    assert as_superuser.get(admin_url(ScalingDecision, "add")).status_code == 403
    delete = admin_url(ScalingDecision, "delete", decision.pk)
    assert as_superuser.post(delete, {"post": "yes"}).status_code == 403


def test_hotel_managers_and_staff_are_refused(as_hotel_member, a_day_of_decisions):
    client = as_hotel_member

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(admin_url(ScalingDecision, "change", a_day_of_decisions[0].pk)).status_code == 403
    assert "scalingdecision" not in client.get("/admin/").content.decode()


def test_superusers_find_it_on_the_index(as_superuser):
    assert CHANGELIST in as_superuser.get("/admin/").content.decode()
