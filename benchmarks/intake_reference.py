"""The raw intake reference: what a signed WhatsApp delivery costs at the least.

A plain WSGI app, no framework: read the body, verify Meta's HMAC-SHA256
signature, parse the JSON, one autocommit `INSERT … ON CONFLICT DO NOTHING`
(psycopg 3 on PostgreSQL, sqlite3 otherwise) into a table of its own
(`bench_intake`), one Redis `LPUSH` of the new row's id, and a small JSON 200.
The product's webhook (`POST /webhooks/whatsapp/`) does the same work plus
Django, DRF, the envelope, tenant resolution, throttling and Celery's message.

    gunicorn --pythonpath benchmarks intake_reference:application   # what `make bench-http` runs

Reads DATABASE_URL, REDIS_URL (both unset: a temporary SQLite file and an
in-process list stand in, for `make bench` on SQLite) and WHATSAPP_APP_SECRET.
"""
import hashlib
import hmac
import json
import os
import sqlite3
import tempfile
import threading
from collections import deque

QUEUE_KEY = "bench:intake"
TABLE = "bench_intake"
_POSTGRES_DDL = (f"CREATE TABLE IF NOT EXISTS {TABLE} (id bigserial PRIMARY KEY, wamid text NOT NULL UNIQUE, "
                 "sender text NOT NULL, body text NOT NULL, payload jsonb NOT NULL, "
                 "received_at timestamptz NOT NULL DEFAULT now())")
_SQLITE_DDL = (f"CREATE TABLE IF NOT EXISTS {TABLE} (id integer PRIMARY KEY AUTOINCREMENT, "
               "wamid text NOT NULL UNIQUE, sender text NOT NULL, body text NOT NULL, payload text NOT NULL, "
               "received_at text NOT NULL DEFAULT CURRENT_TIMESTAMP)")
_INSERT = (f"INSERT INTO {TABLE} (wamid, sender, body, payload) VALUES (%s, %s, %s, %s) "  # noqa: S608
           "ON CONFLICT (wamid) DO NOTHING RETURNING id")

_local = threading.local()
_memory_queue: deque = deque(maxlen=100_000)  # no REDIS_URL: a stand-in, nobody consumes it


def _sqlite_path() -> str:
    return os.environ.get("BENCH_INTAKE_SQLITE", os.path.join(tempfile.gettempdir(), "bench_intake.sqlite3"))


def database():
    """This thread's autocommit connection (opened on first use: after gunicorn's fork)."""
    if getattr(_local, "db", None) is None:
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith(("postgres://", "postgresql://")):
            import psycopg

            _local.db = psycopg.connect(url, autocommit=True)
            _local.db.execute(_POSTGRES_DDL)
            _local.insert = _INSERT
        else:
            _local.db = sqlite3.connect(_sqlite_path(), isolation_level=None, check_same_thread=False)
            _local.db.execute(_SQLITE_DDL)
            _local.insert = _INSERT.replace("%s", "?")
    return _local.db


def queue():
    """LPUSH target: Redis at REDIS_URL, else an in-process deque with the same method."""
    if getattr(_local, "queue", None) is None:
        url = os.environ.get("REDIS_URL", "")
        if url:
            import redis

            _local.queue = redis.Redis.from_url(url)
        else:
            class MemoryQueue:
                def lpush(self, _key, value):
                    _memory_queue.appendleft(value)
            _local.queue = MemoryQueue()
    return _local.queue


def _answer(start_response, status: str, body: bytes):
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def application(environ, start_response):
    if environ.get("REQUEST_METHOD") != "POST":
        return _answer(start_response, "405 Method Not Allowed", b'{"error":"method"}')
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    secret = os.environ.get("WHATSAPP_APP_SECRET", "")
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if not secret or not hmac.compare_digest(expected, environ.get("HTTP_X_HUB_SIGNATURE_256", "")):
        return _answer(start_response, "403 Forbidden", b'{"error":"signature_invalid"}')
    try:
        message = json.loads(body)["entry"][0]["changes"][0]["value"]["messages"][0]
        fields = (message["id"], message["from"], message.get("text", {}).get("body", ""), body.decode())
    except (ValueError, KeyError, IndexError, TypeError):
        return _answer(start_response, "400 Bad Request", b'{"error":"invalid_payload"}')
    db = database()
    row = db.execute(_local.insert, fields).fetchone()
    if row is not None:
        queue().lpush(QUEUE_KEY, str(row[0]))
    return _answer(start_response, "200 OK", b'{"stored":%d}' % (row is not None))


def drop() -> None:
    """Remove the reference's table (the suites call it at the end)."""
    db = database()
    db.execute(f"DROP TABLE IF EXISTS {TABLE}")
    db.close()
    _local.db = None
