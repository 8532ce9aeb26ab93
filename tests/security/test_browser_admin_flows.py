"""The blacklist and the audit trail as a hotel manager uses them: headless
Chromium (Debian's `chromium` and `chromium-driver`) driving the admin on a live
server. The manager signs in, blacklists a guest, sees the API's refusal of that
guest in the audit trail and verifies the hotel's chain, then sees a tampered
event named.

Selenium is pointed at /usr/bin/chromedriver and /usr/bin/chromium explicitly, so
Selenium Manager never downloads a driver or a browser."""
import shutil
import tempfile
from pathlib import Path

import httpx
import pytest
from django.urls import reverse
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from security.api_keys import api_key_create
from security.models import AuditEvent, BlacklistEntry
from tenants.models import TenantMembership
from tests.factories import MembershipFactory, RoomTypeFactory, UserFactory, stay

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PASSWORD = "correct horse battery staple"  # UserFactory's
GUEST = "mallory@example.com"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
        reason="needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver)",
    ),
]


@pytest.fixture(scope="module")
def browser():
    profile = tempfile.mkdtemp(prefix="hotelagent-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--lang=en-US", "--window-size=1280,1024", f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(20)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser, live_server):
    """The browser, signed out, with helpers to open a path and wait for things."""
    browser.delete_all_cookies()

    class Page:
        driver = browser

        def open(self, path: str):
            browser.get(live_server.url + path)

        def wait_for(self, selector: str, timeout: float = 10):
            return WebDriverWait(browser, timeout).until(
                ec.visibility_of_element_located((By.CSS_SELECTOR, selector))
            )

        def wait_for_text(self, selector: str, text: str, timeout: float = 10):
            WebDriverWait(browser, timeout).until(
                ec.text_to_be_present_in_element((By.CSS_SELECTOR, selector), text)
            )
            return browser.find_element(By.CSS_SELECTOR, selector).text

        def messages(self) -> list[str]:
            return [item.text for item in browser.find_elements(By.CSS_SELECTOR, "ul.messagelist li")]

    return Page()


@pytest.fixture
def hotel(transactional_db, tenant, settings):
    """Hotel Sol with a room type, its manager (a real password) and an API key."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    RoomTypeFactory(tenant=tenant, code="standard", name="Standard", max_guests=2)
    manager = UserFactory(username="marta")
    MembershipFactory(user=manager, tenant=tenant, role=TenantMembership.Role.MANAGER)
    return manager, api_key_create(tenant=tenant, name="website")[1]


def sign_in(page, username: str):
    page.open(reverse("admin:login"))
    page.wait_for("#id_username").send_keys(username)
    page.driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
    page.driver.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    page.wait_for_text("#content h1", "Back office")


def add_blacklist_entry(page, hotel_name: str, email: str, reason: str):
    page.open(reverse("admin:security_blacklistentry_add"))
    # The hotel is an autocomplete (select2) field: open it, search, pick the hotel.
    page.wait_for(".field-tenant .select2-selection").click()
    page.wait_for(".select2-search__field").send_keys(hotel_name[:5])
    WebDriverWait(page.driver, 10).until(ec.element_to_be_clickable(
        (By.XPATH, f"//li[contains(@class, 'select2-results__option') and text()='{hotel_name}']")
    )).click()
    page.driver.find_element(By.ID, "id_email").send_keys(email)
    page.driver.find_element(By.ID, "id_reason").send_keys(reason)
    page.driver.find_element(By.CSS_SELECTOR, "input[name=_save]").click()
    return page.wait_for_text("ul.messagelist", "was added successfully")


def book(live_server, tenant, api_key: str, email: str) -> httpx.Response:
    check_in, check_out = stay(tenant=tenant)
    return httpx.post(f"{live_server.url}/api/v1/reservations/", headers={
        "Authorization": f"Api-Key {api_key}",
    }, json={
        "check_in": check_in.isoformat(), "check_out": check_out.isoformat(), "room_type": "standard",
        "guest_name": "Mallory Smith", "guest_email": email, "guest_phone": "612 345 678", "guests": 2,
    }, timeout=10)


def verify_every_listed_chain(page) -> list[str]:
    page.wait_for("#action-toggle").click()  # select every event on the page
    Select(page.driver.find_element(By.NAME, "action")).select_by_value("verify_chains")
    page.driver.find_element(By.CSS_SELECTOR, "button[name=index]").click()
    page.wait_for("ul.messagelist")
    return page.messages()


def test_a_manager_blacklists_a_guest_sees_the_refusal_and_verifies_the_chain(page, live_server, hotel,
                                                                                  tenant):
    manager, api_key = hotel
    sign_in(page, manager.username)

    added = add_blacklist_entry(page, "Hotel Sol", "Mallory@Example.com", "Chargeback fraud")

    assert GUEST in added
    entry = BlacklistEntry.objects.with_scope(tenant=tenant).get()
    assert (entry.email, entry.created_by) == (GUEST, manager)

    refused = book(live_server, tenant, api_key, GUEST)

    assert refused.status_code == 403
    assert refused.json() == {"error": "guest_not_allowed"}

    page.open(reverse("admin:security_auditevent_changelist") + "?event_type__exact=ACCESS_DENIED")
    row = page.wait_for_text("#result_list tbody", "reservation_refused")
    assert "api_key:" in row and "room_type:standard" in row

    page.open(reverse("admin:security_auditevent_changelist"))
    messages = verify_every_listed_chain(page)

    events = AuditEvent.objects.with_scope(tenant=tenant).count()
    assert messages == [
        f"1 audit chain verified ({events} events): nothing was changed, removed or reordered."
    ]


def test_verifying_names_an_event_changed_behind_the_admins_back(page, hotel, tenant, tamper):
    manager, _api_key = hotel
    sign_in(page, manager.username)
    with tamper() as events:
        created = events.get(tenant=tenant, action="api_key_created")
        events.filter(pk=created.pk).update(actor="user:999")

    page.open(reverse("admin:security_auditevent_changelist"))
    [message] = verify_every_listed_chain(page)

    assert message.startswith(f"The audit chain {created.chain} is broken at event {created.pk}")
    assert page.driver.find_element(By.CSS_SELECTOR, "ul.messagelist li.error")
