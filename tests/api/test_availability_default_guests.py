"""`guests` may be left out of an availability search: it means one guest, as in
the seed guide's AvailabilityRequest."""
import pytest
from rest_framework.test import APIClient

from tests.factories import RoomTypeFactory, stay

pytestmark = pytest.mark.django_db

URL = "/api/v1/availability/"


def search(api, tenant, **params):
    check_in, check_out = stay(tenant=tenant)
    return api.get(URL, {"check_in": check_in, "check_out": check_out, **params})


def test_a_search_without_guests_is_for_one_guest(api, tenant, standard):
    response = search(api, tenant)

    assert response.status_code == 200
    assert response.json()["guests"] == 1
    assert [offer["code"] for offer in response.json()["room_types"]] == ["standard"]


def test_leaving_guests_out_answers_as_asking_for_one(api, tenant, standard):
    RoomTypeFactory(tenant=tenant, code="single", name="Single", max_guests=1)

    assert search(api, tenant).json() == search(api, tenant, guests=1).json()


def test_a_given_guests_still_counts(api, tenant, standard):
    RoomTypeFactory(tenant=tenant, code="single", name="Single", max_guests=1)

    [offer] = search(api, tenant, guests=2).json()["room_types"]

    assert offer["code"] == "standard"


def test_guests_out_of_range_is_still_a_field_error(api, tenant, standard):
    response = search(api, tenant, guests=0)

    assert response.status_code == 400
    assert list(response.json()) == ["guests"]


def test_the_schema_documents_guests_as_optional_with_default_one(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()

    [guests] = [parameter for parameter in schema["paths"][URL]["get"]["parameters"]
                if parameter["name"] == "guests"]
    assert guests["in"] == "query"
    assert not guests.get("required", False)
    assert guests["schema"]["default"] == 1
