"""API keys, the audit trail, the blacklist and secrets in the back office.

One module per screen so each can grow on its own.
"""
from . import api_keys, audit, blacklist, secrets  # noqa: F401 - registers the ModelAdmins
