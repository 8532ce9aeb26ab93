import pytest

from reservations.pms import qloapps
from reservations.pms.breaker import forget_pending_audits
from reservations.pms.bulkhead import forget_bulkheads
from tests.clock import FakeClock

from .fake_qloapps import KEY, FakeQloApps


@pytest.fixture(autouse=True)
def eager_celery(settings):
    """Tasks run in-process here; the chaos tests run a real worker."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture(autouse=True)
def fast_pms(settings, monkeypatch):
    """Two attempts per read and no real waiting between them; fresh bulkheads."""
    settings.PMS_READ_ATTEMPTS = 2
    settings.PMS_RETRY_BASE_DELAY = 0
    monkeypatch.setattr(qloapps.QloAppsClient, "sleep", staticmethod(lambda seconds: None))
    forget_bulkheads()
    forget_pending_audits()
    yield
    forget_bulkheads()
    forget_pending_audits()


@pytest.fixture
def qlo():
    """A running QloApps with one hotel (id 1) and standard rooms (id_product 11, 120 € a night)."""
    with FakeQloApps() as fake:
        fake.add_room_type(11, "Standard room", rooms=3, rate="120.00")
        yield fake


@pytest.fixture
def qlo_hotel(tenant, standard, qlo, settings):
    """Hotel Sol on QloApps: short timeouts, its key in the PMS_WEBSERVICE_KEYS fallback."""
    tenant.pms_backend = "qloapps"
    tenant.pms_base_url = qlo.base_url
    tenant.pms_hotel_id = "1"
    tenant.pms_connect_timeout = 0.5
    tenant.pms_read_timeout = 0.5
    tenant.save()
    settings.PMS_WEBSERVICE_KEYS = {tenant.slug: KEY}
    standard.pms_room_type_id = "11"
    standard.save()
    return tenant


@pytest.fixture
def clock():
    return FakeClock()
