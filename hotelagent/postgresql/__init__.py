"""Django's PostgreSQL backend, with a health check that trusts recent success (base.py)."""
