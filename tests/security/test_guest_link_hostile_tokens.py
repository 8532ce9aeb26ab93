"""Whatever a guest link carries, a crafted token is the same 404 as an unknown
one: the signature is checked before any claim is trusted, and claims are read
strictly (no `1e400`, `Infinity`, floats, booleans or strings where ids belong)."""
import base64
import json

import jwt
import pytest

from reservations.guest.links import guest_link_token, reservation_for_token
from security.secret_store import JWT_SECRET, current_secret
from tests.security.test_guest_link_tokens import book

pytestmark = pytest.mark.django_db

HOSTILE_NUMBERS = ["1e400", "-1e400", "Infinity", "-Infinity", "NaN", "1.5", "true", "null",
                   "99999999999999999999999999", "-1", "0", '"1e400"', "[]", "{}", '"\\u0000"']


def segment(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def token_with_raw_payload(payload: str, header: str = '{"alg":"HS256","typ":"JWT","kid":"1"}',
                           key: str = "wrong") -> str:
    """A token whose payload is `payload` verbatim: json.dumps cannot write 1e400."""
    signing_input = f"{segment(header.encode())}.{segment(payload.encode())}"
    mac = jwt.algorithms.HMACAlgorithm(jwt.algorithms.HMACAlgorithm.SHA256)
    sig = mac.sign(signing_input.encode(), mac.prepare_key(key))
    return f"{signing_input}.{segment(sig)}"


@pytest.fixture
def reservation(tenant, standard):
    return book(tenant)


@pytest.mark.parametrize("number", HOSTILE_NUMBERS)
@pytest.mark.parametrize("claim", ["tenant", "exp"])
def test_a_hostile_number_in_an_unsigned_token_opens_nothing(client, reservation, tenant, claim, number):
    claims = {"code": reservation.code, "tenant": tenant.pk, "aud": "guest-link", "exp": 4102444800}
    payload = json.dumps(claims).replace(json.dumps(claims[claim]), number, 1)
    token = token_with_raw_payload(payload)

    assert reservation_for_token(token) is None
    assert client.get(f"/r/{token}/").status_code == 404


@pytest.mark.parametrize("number", HOSTILE_NUMBERS)
@pytest.mark.parametrize("claim", ["tenant", "exp", "code"])
def test_a_hostile_claim_signed_with_the_real_key_opens_nothing(client, reservation, tenant, claim, number):
    """Even a token signed with the hotel's key (a leaked key, or our own bug)
    cannot turn a strange claim into a 500."""
    secret = current_secret(JWT_SECRET, tenant)
    claims = {"code": reservation.code, "tenant": tenant.pk, "aud": "guest-link", "exp": 4102444800}
    payload = json.dumps(claims).replace(json.dumps(claims[claim]), number, 1)
    header = json.dumps({"alg": "HS256", "typ": "JWT", "kid": str(secret.version)})
    token = token_with_raw_payload(payload, header=header, key=secret.value)

    assert reservation_for_token(token) is None
    assert client.get(f"/r/{token}/").status_code == 404


@pytest.mark.parametrize("kid", ["1e400", "Infinity", "-1", "0", "1.0", "", "\u0000", "99999999999999999999"])
def test_a_hostile_key_version_opens_nothing(client, reservation, tenant, kid):
    claims = {"code": reservation.code, "tenant": tenant.pk, "aud": "guest-link", "exp": 4102444800}
    token = token_with_raw_payload(json.dumps(claims), header=json.dumps({"alg": "HS256", "kid": kid}))

    assert client.get(f"/r/{token}/").status_code == 404


@pytest.mark.parametrize("header", ['{"alg":"HS256","kid":Infinity}', '{"alg":"HS256","kid":1e400}', "[]",
                                    '"x"', "{"])
def test_a_header_that_is_not_an_object_of_strings_opens_nothing(client, reservation, tenant, header):
    claims = {"code": reservation.code, "tenant": tenant.pk, "aud": "guest-link", "exp": 4102444800}
    token = token_with_raw_payload(json.dumps(claims), header=header)

    assert client.get(f"/r/{token}/").status_code == 404


@pytest.mark.parametrize("garbage", ["a.b.c", "....", "x" * 3000, "%00", "eyJhbGciOiJIUzI1NiJ9.e30.x"])
def test_garbage_opens_nothing(client, garbage):
    assert client.get(f"/r/{garbage}/").status_code == 404


def test_the_real_link_still_opens(client, reservation):
    assert client.get(f"/r/{guest_link_token(reservation)}/").status_code == 200
