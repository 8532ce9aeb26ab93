"""`manage.py warm_cache [--tenant SLUG] [--days N]`."""
import io
import re

import pytest
from django.core.management import CommandError, call_command

from reservations.management.commands.warm_cache import Command
from reservations.selectors import availability_for
from tenants.models import Tenant
from tests.factories import RoomTypeFactory, stay

from .helpers import CacheReads, search

pytestmark = pytest.mark.django_db

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
SUMMARY = re.compile(r"^Warmed (\d+) of (\d+) hotels?: (\d+) keys written in \d+\.\d\d s\.$")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def warm_cache(*args, stdout=None) -> tuple[str, str]:
    out, err = stdout or io.StringIO(), io.StringIO()
    call_command("warm_cache", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def only_our_hotels(db):
    Tenant.objects.filter(slug="default").update(is_active=False)


def test_every_active_hotel_is_warmed_and_summed_up_in_one_line(api, tenant, standard, other_tenant):
    RoomTypeFactory(tenant=other_tenant)

    output, _ = warm_cache()

    [line] = output.splitlines()
    hotels, of, keys = SUMMARY.match(line).groups()
    assert (hotels, of) == ("2", "2")
    assert int(keys) > 2 * 30 * 2
    reads = CacheReads()
    search(api, tenant)
    assert reads("availability", "hit") == 1


def test_one_hotel_only(api, tenant, standard, other_tenant):
    output, _ = warm_cache("--tenant", other_tenant.slug)
    reads = CacheReads()

    search(api, tenant)

    assert SUMMARY.match(output.strip()).groups()[:2] == ("1", "1")
    assert reads("availability", "miss") == 1


def test_days_sets_the_window(api, tenant, standard):
    warm_cache("--days", "5")
    reads = CacheReads()

    search(api, tenant, days_ahead=4)
    search(api, tenant, days_ahead=5)

    assert (reads("availability", "hit"), reads("availability", "miss")) == (1, 1)


def test_inactive_hotels_are_left_cold(api, tenant, standard):
    Tenant.objects.filter(pk=tenant.pk).update(is_active=False)

    output, _ = warm_cache()

    assert output.startswith("Warmed 0 of 0 hotels:")
    with pytest.raises(CommandError, match="hotel-sol is not active"):
        warm_cache("--tenant", "hotel-sol")


def test_an_unknown_hotel_or_a_silly_window_is_refused(tenant):
    with pytest.raises(CommandError, match="No hotel with slug 'nowhere'"):
        warm_cache("--tenant", "nowhere")
    with pytest.raises(CommandError, match="--days must be between 1 and 730"):
        warm_cache("--days", "0")


def test_a_hotel_whose_qloapps_is_down_fails_alone_and_is_named(qlo_hotel, qlo, other_tenant):
    RoomTypeFactory(tenant=other_tenant, code="standard")
    qlo.stop()
    out = io.StringIO()

    with pytest.raises(CommandError, match=r"^1 hotel not warmed: hotel-sol$") as failed:
        warm_cache(stdout=out)

    assert failed.value.returncode == 1
    assert out.getvalue().startswith("Warmed 1 of 2 hotels:")
    reads = CacheReads()
    check_in, check_out = stay(tenant=other_tenant)
    availability_for(tenant=other_tenant, check_in=check_in, check_out=check_out, guests=1)
    assert reads("availability", "hit") == 1


def test_the_failed_hotel_and_why_go_to_stderr(qlo_hotel, qlo):
    qlo.stop()
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("warm_cache", stdout=io.StringIO(), stderr=err)

    assert re.search(r"^hotel-sol: PMSCallFailed: QloApps POST hotel_ari", err.getvalue(), re.MULTILINE)


def test_a_terminal_gets_a_progress_bar(tenant, standard):
    output, _ = warm_cache(stdout=Terminal())

    assert "━" in output
    assert SUMMARY.match(ANSI.sub("", output).strip().splitlines()[-1])


def test_a_pipe_gets_no_progress_bar(tenant, standard):
    output, _ = warm_cache()

    assert "━" not in output
    assert len(output.splitlines()) == 1


def test_help_says_what_is_warmed_and_what_the_exit_status_means():
    help_text = " ".join(Command().create_parser("manage.py", "warm_cache").format_help().split())

    assert "[--tenant SLUG] [--days N]" in help_text
    assert "each room type's rates" in help_text
    assert "last known copy" in help_text
    assert "the exit status is 1 when any hotel failed" in help_text
