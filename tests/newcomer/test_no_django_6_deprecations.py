"""Nothing the project does is deprecated in Django 6.0: run with the warnings as errors."""
import warnings

import pytest
from django.utils.deprecation import RemovedInDjango60Warning

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_hotel_form_assumes_https_for_a_pms_address_without_a_scheme(client, tenant):
    client.force_login(UserFactory(is_superuser=True))

    with warnings.catch_warnings():
        warnings.simplefilter("error", RemovedInDjango60Warning)
        response = client.get(f"/admin/tenants/tenant/{tenant.pk}/change/")

    assert response.status_code == 200
    assert response.context["adminform"].form.fields["pms_base_url"].assume_scheme == "https"
