from .base import PMSAdapter
from .database import DatabasePMSAdapter

_database_adapter = DatabasePMSAdapter()


def get_adapter(tenant) -> PMSAdapter:
    """The adapter serving this tenant. Every hotel uses the database until an
    external PMS is configured for it."""
    return _database_adapter
