"""The webservice key comes from the encrypted secret store; PMS_WEBSERVICE_KEYS
is only the fallback for hotels whose key is not stored yet."""
import pytest

from reservations.pms.credentials import SECRET_NAME, webservice_key

from .fake_qloapps import KEY

pytestmark = pytest.mark.django_db
secret_create = pytest.importorskip("security.secret_store").secret_create


def test_the_stored_key_is_used(qlo_hotel, settings):
    settings.PMS_WEBSERVICE_KEYS = {}
    secret_create(SECRET_NAME, qlo_hotel, value=KEY)

    assert webservice_key(qlo_hotel) == KEY


def test_the_stored_key_wins_over_the_environment(qlo_hotel):
    secret_create(SECRET_NAME, qlo_hotel, value="ROTATED-KEY")

    assert webservice_key(qlo_hotel) == "ROTATED-KEY"


def test_without_a_stored_key_the_environment_gives_it(qlo_hotel):
    assert webservice_key(qlo_hotel) == KEY


def test_another_hotels_key_is_not_used(qlo_hotel, other_tenant, settings):
    settings.PMS_WEBSERVICE_KEYS = {}
    secret_create(SECRET_NAME, other_tenant, value=KEY)

    assert webservice_key(qlo_hotel) == ""
