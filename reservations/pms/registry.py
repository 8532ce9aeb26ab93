import logging

from .base import PMSAdapter
from .credentials import webservice_key
from .database import DatabasePMSAdapter
from .qloapps import QloAppsPMSAdapter

logger = logging.getLogger(__name__)

_database_adapter = DatabasePMSAdapter()
_qloapps_adapter = QloAppsPMSAdapter()


def get_adapter(tenant) -> PMSAdapter:
    """The adapter serving this tenant: its own tables unless the hotel runs QloApps
    (Tenant.pms_backend). A QloApps hotel without its webservice key gets the adapter
    all the same, whose calls then fail as not configured; the log says why first."""
    if tenant.pms_backend == "qloapps":
        if not webservice_key(tenant):
            logger.warning("%s: QloApps selected but no webservice key is stored", tenant.slug)
        return _qloapps_adapter
    return _database_adapter
