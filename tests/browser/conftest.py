"""Headless Chromium driving the back office on a live server, for the front-desk
flows of tests/browser/. Debian's chromium and chromium-driver are used directly
(/usr/bin/chromium, /usr/bin/chromedriver), so Selenium Manager never downloads
anything; without them these tests are skipped.

`page.shot(name)` saves a PNG of the current screen when SCREENSHOTS_DIR is set
(docs/screens/ is refreshed that way), at desktop and phone widths."""
import base64
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tenants.models import TenantMembership
from tests.factories import MembershipFactory, UserFactory

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PASSWORD = "correct horse battery staple"  # UserFactory's
DESKTOP, PHONE = (1366, 900), (390, 844)
NO_CHROMIUM = "needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver)"


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    missing = not (CHROMIUM.exists() and CHROMEDRIVER.exists())
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(pytest.mark.browser)
            if missing:
                item.add_marker(pytest.mark.skip(reason=NO_CHROMIUM))


@pytest.fixture(scope="module")
def browser():
    profile = tempfile.mkdtemp(prefix="hotelagent-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--lang=en-US", f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(20)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


class Page:
    """The browser with the few helpers every flow needs."""

    def __init__(self, driver, base_url: str):
        self.driver, self.base_url = driver, base_url

    def open(self, path: str) -> None:
        self.driver.get(self.base_url + path)

    def wait_for(self, selector: str, timeout: float = 10):
        return WebDriverWait(self.driver, timeout).until(
            ec.visibility_of_element_located((By.CSS_SELECTOR, selector)))

    def wait_for_text(self, selector: str, text: str, timeout: float = 10) -> str:
        WebDriverWait(self.driver, timeout).until(
            ec.text_to_be_present_in_element((By.CSS_SELECTOR, selector), text))
        return self.driver.find_element(By.CSS_SELECTOR, selector).text

    def find(self, selector: str):
        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def find_all(self, selector: str):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def messages(self) -> list[str]:
        return [item.text for item in self.find_all("ul.messagelist li")]

    def shot(self, name: str) -> None:
        """Screenshots for docs/screens/ (only when SCREENSHOTS_DIR is set)."""
        folder = os.environ.get("SCREENSHOTS_DIR")
        if not folder:
            return
        Path(folder).mkdir(parents=True, exist_ok=True)
        for suffix, (width, height) in (("", DESKTOP), ("-phone", PHONE)):
            self.driver.set_window_size(width, height)
            self.driver.execute_script("window.scrollTo(0, 0)")  # sticky parts drawn where they start
            # The whole page, not the window: Chrome's own full-page capture.
            size = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
            clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 2400), "scale": 1}
            shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True, "clip": clip})
            (Path(folder) / f"{name}{suffix}.png").write_bytes(base64.b64decode(shot["data"]))
        self.driver.set_window_size(*DESKTOP)


@pytest.fixture
def page(browser, live_server):
    browser.delete_all_cookies()
    browser.set_window_size(*DESKTOP)
    return Page(browser, live_server.url)


@pytest.fixture
def front_desk(transactional_db, tenant, settings):
    """A staff member of Hotel Sol with a real password (username "lucia")."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = UserFactory(username="lucia", first_name="Lucía", last_name="Pérez")
    MembershipFactory(user=user, tenant=tenant, role=TenantMembership.Role.MANAGER)
    return user


def sign_in(page: Page, username: str) -> None:
    page.open(reverse("admin:login"))
    page.wait_for("#id_username").send_keys(username)
    page.find("#id_password").send_keys(PASSWORD)
    page.find("input[type=submit]").click()
    page.wait_for("#content")
