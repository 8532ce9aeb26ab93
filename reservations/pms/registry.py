from .base import PMSAdapter
from .database import DatabasePMSAdapter
from .qloapps import QloAppsPMSAdapter

_database_adapter = DatabasePMSAdapter()
_qloapps_adapter = QloAppsPMSAdapter()


def get_adapter(tenant) -> PMSAdapter:
    """The adapter serving this tenant: its own tables unless the hotel runs QloApps
    (Tenant.pms_backend)."""
    if tenant.pms_backend == "qloapps":
        return _qloapps_adapter
    return _database_adapter
