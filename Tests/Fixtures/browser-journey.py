#!/usr/bin/env python3
"""The signing page in a real browser: Debian's chromium, driven by selenium, headless, on a
phone-sized window (390x844 CSS pixels at 2x), against a running Signet server.

Driven by BrowserJourneyTests (Tests/SignetHTTPTests), which starts the server, creates the
contracts and writes a plan (JSON):

    {"screenshots": dir, "downloads": dir, "codes": file, "result": file,
     "scenarios": {"journey": {"url": ..., "contract_id": ...}, "locked": ..., "decline": ...,
                   "double_js": ..., "double_nojs": ..., "expired": ...}}

One-time codes come from the server's `log` notifier: the test copies them from its captured
log into `codes` ({"contract_id": ["123456", ...]}, replaced atomically), which this script
polls after asking for a code. Usage: browser-journey.py PLAN SCENARIO... The script checks
what a person would see and exits 1 with a message when something is wrong; it writes
`result` (JSON) for the test's own checks (signed PDF path, timings, console entries).
"""
import json
import os
import sys
import time
import traceback

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

WAIT = 20  # seconds for any one thing to appear (a slow shared machine)


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class Browser:
    """One chromium (JavaScript on or off) and the console entries it logged."""

    def __init__(self, plan, javascript=True):
        self.plan = plan
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--window-size=390,844", "--force-device-scale-factor=2", "--lang=zh-CN",
                         "--disable-extensions", "--no-first-run", "--disable-background-networking"):
            options.add_argument(argument)
        prefs = {"download.default_directory": plan["downloads"], "download.prompt_for_download": False,
                 "plugins.always_open_pdf_externally": True}
        if not javascript:
            prefs["profile.managed_default_content_settings.javascript"] = 2
        options.add_experimental_option("prefs", prefs)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.driver.set_window_size(390, 844)
        # The viewport of a phone: 390x844 CSS pixels at 2x, mobile (overlay scrollbars).
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
        self.driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": plan["downloads"]})
        self.console = []

    def quit(self):
        self.collect_console()
        self.driver.quit()

    def collect_console(self):
        self.console += self.driver.get_log("browser")

    def shot(self, name):
        os.makedirs(self.plan["screenshots"], exist_ok=True)
        self.driver.save_screenshot(os.path.join(self.plan["screenshots"], name + ".png"))

    def page(self):
        """The data-page of the shown card (landing, code, review, done, locked, gone, ...)."""
        # One script call, tried again while a document is being replaced (see `replaced`).
        return WebDriverWait(self.driver, WAIT, ignored_exceptions=(WebDriverException,)).until(
            lambda d: d.execute_script("var e = document.querySelector('[data-page]'); return e && e.dataset.page;"))

    def wait_page(self, expected):
        WebDriverWait(self.driver, WAIT, ignored_exceptions=(WebDriverException,)).until(
            lambda d: d.execute_script("var e = document.querySelector('[data-page]'); return e && e.dataset.page;") == expected,
            "page %s" % expected)

    def click(self, element_id):
        self.driver.find_element(By.ID, element_id).click()

    def submit(self, element_id):
        """Clicks a submit button and waits until its page is replaced by the answer."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        self.click(element_id)
        WebDriverWait(self.driver, WAIT).until(replaced(old), "%s: the answer" % element_id)


def replaced(element):
    """A wait condition: `element`'s document has been replaced. Chromium answers a node of a
    replaced document either with a stale element reference or, since version 156 at times, with
    an inspector error ("Node with given id does not belong to the document"): both mean gone."""
    def gone(_driver):
        try:
            element.is_enabled()
            return False
        except WebDriverException:  # StaleElementReferenceException is one
            return True
    return gone


def codes_of(plan, contract_id):
    try:
        with open(plan["codes"]) as handle:
            return json.load(handle).get(contract_id, [])
    except (OSError, ValueError):
        return []


def request_code(browser, scenario):
    """On the landing page: "send me a code"; returns the new code from the server log."""
    before = len(codes_of(browser.plan, scenario["contract_id"]))
    browser.submit("send-code")
    browser.wait_page("code")
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        codes = codes_of(browser.plan, scenario["contract_id"])
        if len(codes) > before:
            return codes[-1]
        time.sleep(0.05)
    raise Failure("no one-time code for %s in the server log" % scenario["contract_id"])


def enter_code(browser, code):
    field = browser.driver.find_element(By.ID, "code")
    field.clear()
    field.send_keys(code)
    browser.submit("verify")


def authenticate(browser, scenario, shots=False):
    browser.driver.get(scenario["url"])
    check(browser.page() == "landing", "the link opens the landing page")
    if shots:
        accessibility(browser, "landing")
        browser.shot("01-landing")
    code = request_code(browser, scenario)
    if shots:
        accessibility(browser, "code")
        browser.driver.find_element(By.ID, "code").send_keys(code)
        browser.shot("02-code")
        browser.submit("verify")
    else:
        enter_code(browser, code)
    browser.wait_page("review")


def check_images(browser):
    """Every page image loaded: scrolled into view (they load lazily), complete, naturalWidth > 0."""
    images = browser.driver.find_elements(By.CSS_SELECTOR, "ol.pages img")
    check(len(images) > 0, "the review page shows page images")
    for image in images:
        browser.driver.execute_script("arguments[0].scrollIntoView();", image)
        WebDriverWait(browser.driver, WAIT).until(lambda d: d.execute_script("return arguments[0].complete;", image))
        natural = browser.driver.execute_script("return [arguments[0].naturalWidth, arguments[0].naturalHeight];", image)
        check(natural[0] > 0 and natural[1] > 0, "page image %s did not load" % image.get_attribute("src"))
        width, height = int(image.get_dom_attribute("width")), int(image.get_dom_attribute("height"))
        check(natural[0] in (2 * width, 2 * width - 1) and natural[1] in (2 * height, 2 * height - 1),
              "page image %s is %dx%d px for width=%d height=%d" % (image.get_attribute("src"), natural[0], natural[1], width, height))
    return len(images)


def accessibility(browser, where):
    """lang set, an h1, every visible input/textarea with a <label for> (or aria-label)."""
    driver = browser.driver
    check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") in ("zh-CN", "en"), "%s: lang" % where)
    check(len(driver.find_elements(By.TAG_NAME, "h1")) == 1, "%s: one h1" % where)
    for field in driver.find_elements(By.CSS_SELECTOR, "input:not([type=hidden]), textarea, select"):
        field_id = field.get_attribute("id")
        labelled = field_id and driver.find_elements(By.CSS_SELECTOR, "label[for='%s']" % field_id)
        check(labelled or field.get_attribute("aria-label"), "%s: input %s has no label" % (where, field_id or field.get_attribute("name")))
    for button in driver.find_elements(By.TAG_NAME, "button"):
        check(button.text.strip() != "", "%s: a button without text" % where)


def journey(browser, scenario, result):
    """Open → code → review → consent → Sign → done → download the signed PDF; timed."""
    started = time.monotonic()
    authenticate(browser, scenario, shots=True)
    accessibility(browser, "review")
    result["page_images"] = check_images(browser)
    browser.driver.execute_script("window.scrollTo(0, 0);")
    browser.shot("03-review")
    consent = browser.driver.find_element(By.ID, "consent")
    browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", consent)
    consent.click()
    browser.shot("04-consent")
    browser.submit("sign")
    browser.wait_page("done")
    result["link_to_done_seconds"] = round(time.monotonic() - started, 3)
    browser.shot("05-done")
    shown = browser.driver.find_element(By.ID, "signed-sha256").text.strip()
    browser.click("signed-link")
    deadline = time.monotonic() + WAIT
    pdfs = []
    while time.monotonic() < deadline:
        pdfs = [name for name in os.listdir(browser.plan["downloads"]) if name.endswith(".pdf")]
        if pdfs:
            break
        time.sleep(0.1)
    check(len(pdfs) == 1, "the signed PDF was downloaded (%s)" % pdfs)
    result["signed_pdf"] = os.path.join(browser.plan["downloads"], pdfs[0])
    result["signed_sha256_shown"] = shown


def locked(browser, scenario, result):
    """Five wrong codes: the locked page (429)."""
    browser.driver.get(scenario["url"])
    code = request_code(browser, scenario)
    wrong = "000000" if code != "000000" else "111111"
    result["expected_errors"] += [("/verify", 422), ("/verify", 429)]
    for attempt in range(1, 5):
        enter_code(browser, wrong)
        browser.wait_page("code")
        error = browser.driver.find_element(By.ID, "code-error").text
        check(str(5 - attempt) in error, "attempt %d: tries left in %r" % (attempt, error))
        if attempt == 1:
            accessibility(browser, "code (wrong)")
            browser.shot("06-wrong-code")
    enter_code(browser, wrong)
    browser.wait_page("locked")
    check(browser.driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN", "the locked page is in the contract's language")
    browser.shot("07-locked")


def decline(browser, scenario, result):
    authenticate(browser, scenario)
    reason = browser.driver.find_element(By.ID, "reason")
    browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", reason)
    reason.send_keys("费率与沟通的不一致")
    browser.shot("08-decline")
    browser.submit("decline")
    browser.wait_page("declined")
    browser.shot("09-declined")


def double_click(browser, scenario, result, name):
    """Two clicks on Sign in quick succession (one action sequence): the done page."""
    authenticate(browser, scenario)
    consent = browser.driver.find_element(By.ID, "consent")
    browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", consent)
    consent.click()
    button = browser.driver.find_element(By.ID, "sign")
    # Two presses at the button's place through the DevTools input domain, as a person's
    # fingers: unlike element clicks they do not need the button's node to still be in the
    # document once the first press has started the form's navigation (without JavaScript
    # nothing stops the second submit; with it, signet.js disables the button).
    x, y = browser.driver.execute_script(
        "var b = arguments[0].getBoundingClientRect(); return [b.left + b.width / 2, b.top + b.height / 2];", button)
    for _ in range(2):
        for kind in ("mousePressed", "mouseReleased"):
            browser.driver.execute_cdp_cmd("Input.dispatchMouseEvent",
                                           {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})
    # While the two submits navigate, a script can meet a document being replaced (an inspector
    # error): the wait tries again until the answer's page is there.
    WebDriverWait(browser.driver, WAIT, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script("var e = document.querySelector('[data-page]'); return e && e.dataset.page;") in ("done", "signing"))
    if browser.page() == "signing":  # the second request answered first; the first one finishes the signature
        browser.driver.refresh()
        browser.wait_page("done")
    browser.shot(name)


def expired(browser, scenario, result):
    result["expected_errors"].append(("/s/", 410))
    browser.driver.get(scenario["url"])
    check(browser.page() == "gone", "an expired link shows the gone page, not %s" % browser.page())
    check(browser.driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN", "the gone page is in the contract's language")
    accessibility(browser, "expired")
    browser.shot("12-expired")


def full_page_shot(driver, path):
    """A screenshot of the whole page (the window made as tall as the page, at most 2400 px)."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(max(height + 140, 1000), 2400))
    driver.save_screenshot(path)
    driver.set_window_size(1280, 1000)


def console(plan, result):
    """The operator console on a desktop-sized window: sign in with the API key, the overview
    (state counts, link-opened-to-signed chart), the journey contract's timeline with its chain
    verified. Screenshots 13-console-overview and 14-console-timeline."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,1000", "--lang=en", "--disable-extensions", "--no-first-run",
                     "--disable-background-networking"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.set_window_size(1280, 1000)
        console_plan = plan["console"]
        driver.get(console_plan["base"] + "/console")
        WebDriverWait(driver, WAIT).until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-page='console-login']")))
        driver.find_element(By.ID, "api_key").send_keys(console_plan["api_key"])
        driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(driver, WAIT).until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-page='console-overview']")))
        check(driver.find_elements(By.CSS_SELECTOR, "svg"), "the overview shows its chart")
        os.makedirs(plan["screenshots"], exist_ok=True)
        full_page_shot(driver, os.path.join(plan["screenshots"], "13-console-overview.png"))
        driver.get(console_plan["base"] + "/console/contracts/" + console_plan["contract_id"])
        WebDriverWait(driver, WAIT).until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-page='console-contract']")))
        check(driver.find_elements(By.CSS_SELECTOR, "[data-chain='verified']"), "the timeline shows its chain verified")
        full_page_shot(driver, os.path.join(plan["screenshots"], "14-console-timeline.png"))
    finally:
        result["console"] += driver.get_log("browser")
        driver.quit()


def severe(entries, expected):
    """SEVERE console entries, less the network errors of pages expected to answer 4xx."""
    def allowed(entry):
        message = entry.get("message", "")
        return entry.get("source") == "network" and any(
            path in message and ("status of %d" % status) in message for path, status in expected)
    return [entry for entry in entries if entry.get("level") == "SEVERE" and not allowed(entry)]


def main():
    plan_path, names = sys.argv[1], sys.argv[2:]
    with open(plan_path) as handle:
        plan = json.load(handle)
    os.makedirs(plan["downloads"], exist_ok=True)
    result = {"expected_errors": [], "console": [], "scenarios": []}
    steps = {
        "journey": lambda b, s: journey(b, s, result),
        "locked": lambda b, s: locked(b, s, result),
        "decline": lambda b, s: decline(b, s, result),
        "double_js": lambda b, s: double_click(b, s, result, "10-double-click"),
        "double_nojs": lambda b, s: double_click(b, s, result, "11-double-click-nojs"),
        "expired": lambda b, s: expired(b, s, result),
    }
    started = time.monotonic()
    browsers = {}
    status = 0
    try:
        for name in names:
            if name == "console":
                console(plan, result)
                result["scenarios"].append(name)
                print("browser-journey: console ok", flush=True)
                continue
            javascript = name != "double_nojs"
            if javascript not in browsers:
                browsers[javascript] = Browser(plan, javascript=javascript)
            steps[name](browsers[javascript], plan["scenarios"][name])
            result["scenarios"].append(name)
            print("browser-journey: %s ok" % name, flush=True)
    except Failure as failure:
        print("browser-journey: FAILED: %s" % failure, flush=True)
        status = 1
    except Exception as error:  # selenium's (a timeout, an element not there): a failure too
        print("browser-journey: FAILED: %s: %s" % (type(error).__name__, str(error).splitlines()[:3]), flush=True)
        frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename == __file__]
        print("".join(traceback.format_list(frames)), flush=True)
        status = 1
    finally:
        for browser in browsers.values():
            try:
                browser.quit()
            except Exception as error:  # the browser is gone already: its console is lost
                print("browser-journey: quit: %s" % error, flush=True)
            result["console"] += browser.console
    errors = severe(result["console"], result["expected_errors"])
    if errors and status == 0:
        print("browser-journey: FAILED: console errors: %s" % errors, flush=True)
        status = 1
    result["severe"] = errors
    result["seconds"] = round(time.monotonic() - started, 3)
    if "link_to_done_seconds" in result:
        print("browser-journey: link opened -> done page in %.2f s" % result["link_to_done_seconds"], flush=True)
    with open(plan["result"], "w") as handle:
        json.dump(result, handle, ensure_ascii=False, indent=1)
    sys.exit(status)


if __name__ == "__main__":
    main()
