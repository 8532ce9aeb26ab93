"""Spotting text that looks like an attack: SQL, script, template injection and
path traversal.

Nothing here rejects input. The booking rules and `validation.sanitize_text`
already make such text harmless (parameterized queries, no markup, templates
never rendered from guest text); this module only tells the operators that
someone is probing, with one SUSPICIOUS_ACTIVITY audit event per hostile field.

The patterns are deliberately narrow, because guests write apostrophes, dashes,
slashes and "<3" all the time: "O'Brien", "I'll arrive at 3 -- maybe later",
"Select a room please", "Union Street 5" and "Llegamos 12/03 <3" must never be
reported. A pattern needs the *shape* of an attack (a quote followed by a
tautology, UNION followed by SELECT, "../" not preceded by a word), not a
keyword. Text is also checked once decoded (HTML entities, percent-encoding
twice over, Unicode compatibility forms), so `%2e%2e%2f` and `&lt;script` count.
"""
import html
import re
import unicodedata
from urllib.parse import unquote

from . import audit

_I = re.IGNORECASE
# Whitespace, or the /**/ that hides it from naive filters. Character classes rather than runs of
# `\s*\)*\s*`, which backtrack quadratically over a long run of spaces.
_COMMENT = r"(?:\s|/\*[^*]{0,40}\*/)"

PATTERNS: dict[str, re.Pattern] = {
    # ' OR 1=1, " or ""=", ') or ('a')=('a, ' or true-- : a quote closing a string, then a condition
    # that is always true.
    "sql_tautology": re.compile(
        r"""['"`][\s)]*(?:or|and|\|\||&&)\s[\s(]*(?:(\d+)[\s)]*=[\s(]*\1(?!\d)"""
        r"""|(['"`])([^'"`]{0,20})\2[\s)]*=[\s(]*(['"`])\3"""
        r"""|true\s*(?:--|#|/\*|;|$))""",
        _I,
    ),
    # admin'-- and x' # : a quote that closes the string, then a comment cutting off the rest of the query.
    "sql_comment": re.compile(r"""\w['"`][\s)]*(?:--|#|/\*)\s*$""", _I),
    # UNION SELECT after a closed string or number, or followed by what it selects (1,2 / null / a FROM).
    "sql_union_select": re.compile(
        rf"""['"`)\d]{_COMMENT}*union{_COMMENT}+(?:all{_COMMENT}+)?select\b"""
        rf"""|\bunion{_COMMENT}+(?:all{_COMMENT}+)?select{_COMMENT}+"""
        r"""(?:\*|null\b|distinct\b|\d|@@|['"`]|[\w.()]+\s*(?:,|from\b))""",
        _I,
    ),
    # ; DROP TABLE x, '; DELETE FROM x WHERE — a second statement after the one meant to run. Each
    # needs its SQL shape, so "; please delete from my booking the extra bed" is not one.
    "sql_stacked_query": re.compile(
        r""";\s*(?:drop\s+(?:table|database|schema|view|user)\s+(?:if\s+exists\s+)?[\w".`\[]"""
        r"""|delete\s+from\s+[\w".`\[\]]+\s*(?:;|--|#|$|where\b)"""
        r"""|insert\s+into\s+[\w".`\[\]]+\s*(?:\(|values\b|select\b)"""
        r"""|truncate\s+(?:table\s+)?[\w".`\[\]]+\s*(?:;|--|#|$)"""
        r"""|alter\s+(?:table|user|database)\s+[\w".`\[]"""
        r"""|update\s+[\w".`\[\]]+\s+set\s+[\w".`\[\]]+\s*="""
        r"""|exec(?:ute)?\s+(?:xp_|sp_)\w+|shutdown\s*(?:--|#|;|$))""",
        _I,
    ),
    "sql_function": re.compile(
        r"\bpg_sleep\s*\(|\b(?:and|or|select)\s+sleep\s*\(\s*\d+\s*\)|\bbenchmark\s*\(\s*\d+\s*,"
        r"|\bwaitfor\s+delay\s+'|\binformation_schema\.|\bsqlite_master\b|\bload_file\s*\("
        r"|\binto\s+(?:out|dump)file\b",
        _I,
    ),
    # Tags only count as a browser would parse them: "<" right before the name, so "price < base" passes.
    "script_tag": re.compile(r"</?script\b", _I),
    # Browsers ignore tabs and newlines inside a URL scheme: "jav&#x09;ascript:" still runs.
    "script_url": re.compile(
        r"\b(?:j\s*a\s*v\s*a|v\s*b)\s*s\s*c\s*r\s*i\s*p\s*t\s*:|\bdata\s*:\s*text/html\b", _I
    ),
    "script_event_handler": re.compile(
        r"\bon(?:error|load|unload|click|dblclick|mouse(?:over|out|down|up|move|enter|leave)|"
        r"key(?:down|up|press)|focus(?:in|out)?|blur|change|input|submit|toggle|begin|end|"
        r"animation(?:start|end)|pointer(?:over|down|up|enter)|wheel|scroll|resize|message|"
        r"hashchange|pageshow|beforeunload)\s*=",
        _I,
    ),
    "script_element": re.compile(
        r"<(?:iframe|frame|object|embed|applet|svg|math|base|meta|link|style|img|body|form)\b", _I
    ),
    "template_expression": re.compile(r"\{\{[^{}]{0,200}\}\}"),
    "template_statement": re.compile(r"\{%[^{}]{0,200}%\}|<%=?[^%]{1,200}%>"),
    "template_interpolation": re.compile(r"[$#]\{[^{}\s][^{}]{0,200}\}"),
    # ../ or ..\ not preceded by a word or another dot, so "wait.../ok" and "v1..2/3" pass.
    "path_traversal": re.compile(r"(?<![\w.])\.\.[/\\]"),
    "path_sensitive_file": re.compile(
        r"/etc/(?:passwd|shadow|group|hosts)\b|/proc/self/|\b[a-z]:\\windows\\|\\windows\\system32\b|"
        r"\b(?:boot|win)\.ini\b|/\.env\b|\bwp-config\.php\b|/\.ssh/|/\.git/",
        _I,
    ),
}

EXCERPT_CONTEXT = 30
_SECRETS = re.compile(r"ha_[0-9a-f]{4,}_[\w-]+|\b\d(?:[ -]?\d){12,18}\b")  # API keys, card numbers


def _decoded(text: str) -> str:
    decoded = html.unescape(unquote(unquote(html.unescape(text))))
    return unicodedata.normalize("NFKC", decoded)


def _variants(text: str) -> list[str]:
    decoded = _decoded(text)
    return [text] if decoded == text else [text, decoded]


def hostile_patterns(text: str) -> list[str]:
    """The names of the PATTERNS the text matches, in PATTERNS' order; empty for honest text."""
    if not text:
        return []
    variants = _variants(text)
    return [name for name, pattern in PATTERNS.items() if any(pattern.search(v) for v in variants)]


def excerpt(text: str, *, context: int = EXCERPT_CONTEXT) -> str:
    """A short piece of the text around the first hostile match, printable, with
    anything shaped like a secret (our API keys, card numbers) blanked out."""
    start = end = 0
    for variant in _variants(text):
        matches = [m for m in (p.search(variant) for p in PATTERNS.values()) if m]
        if matches:
            first = min(matches, key=lambda m: m.start())
            text, start, end = variant, first.start(), first.end()
            break
    piece = text[max(0, start - context): end + context]
    piece = _SECRETS.sub("[redacted]", piece)
    return "".join(ch if ch.isprintable() else " " for ch in piece)[: 2 * context + 60]


def report_if_hostile(
    text: str, *, tenant, source: str, actor: str, ip_address: str | None = None, field: str = ""
) -> list[str]:
    """Audit one SUSPICIOUS_ACTIVITY event when `text` looks like an attack, and
    return what matched. The text itself goes on unchanged: callers never reject on it."""
    if not isinstance(text, str):
        return []
    patterns = hostile_patterns(text)
    if patterns:
        audit.record(
            audit.Type.SUSPICIOUS_ACTIVITY, tenant=tenant, action="hostile_input", actor=actor,
            ip_address=ip_address, resource=f"{source}:{field}" if field else source,
            details={"patterns": patterns, "source": source, "field": field, "excerpt": excerpt(text)},
        )
    return patterns
