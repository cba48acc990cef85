"""Opens a local HTML page in headless Chromium (Debian's chromium and chromium-driver) and
reports what a reader's browser would see: console messages, requests beyond the file itself,
the size of the tree diagram, the visible text, whether a script ran, and a screenshot.

The test drives the page with WebDriver's JavaScript; the page itself must need none.
"""
import json
import pathlib
from dataclasses import dataclass

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

# Debian's paths, given explicitly: with a driver path set, Selenium skips Selenium Manager,
# which would otherwise try to download a browser and driver (only Debian and PyPI are
# reachable where the tests run).
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WIDTH = 1280
# A very long page would make an enormous screenshot; the top 12000 px show the layout.
MAX_SCREENSHOT_HEIGHT = 12000
# Schemes whose "requests" read nothing from outside the page.
INLINE_SCHEMES = ("data:", "about:")


@dataclass
class PageView:
    console: list          # (level, message) of each console message at SEVERE or WARNING
    requests: list         # URLs the page asked for besides itself, in order
    figure_svgs: list | None  # (width, height) of each svg inside the #figure element; None without one
    svgs: list             # (width, height) of each svg on the page
    text: str              # document.body.innerText
    probe: object          # window[probe] after loading: None unless a script set it
    scripts: list          # script elements, on* attributes and javascript: URLs in the page


_INSPECT = """
const size = (svg) => { const r = svg.getBoundingClientRect(); return [r.width, r.height]; };
const figure = document.getElementById(arguments[1]);
const URL_ATTRIBUTES = new Set(['href', 'xlink:href', 'src', 'action', 'formaction']);
const scripts = [...document.querySelectorAll('script')].map(s => '<script>' + s.textContent.slice(0, 80));
for (const element of document.querySelectorAll('*')) {
  for (const attribute of element.attributes) {
    const name = attribute.name.toLowerCase();
    if (name.startsWith('on') || (URL_ATTRIBUTES.has(name) && /^\\s*javascript:/i.test(attribute.value))) {
      scripts.push(`<${element.localName} ${attribute.name}="${attribute.value.slice(0, 80)}">`);
    }
  }
}
return {
  figure_svgs: figure ? [...figure.querySelectorAll('svg')].map(size) : null,
  svgs: [...document.querySelectorAll('svg')].map(size),
  text: document.body ? document.body.innerText : '',
  probe: window[arguments[0]] === undefined ? null : String(window[arguments[0]]),
  scripts: scripts,
};
"""


def open_page(path, screenshot=None, probe="__pwned", figure="tree"):
    """Loads the HTML file at `path` in a window as tall as the page (up to 12000 px) and
    returns a PageView, with the sizes of the svgs inside the element whose id is
    `figure` (a report's main drawing); with `screenshot`, also writes a full-page PNG."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new",
                     "--no-sandbox",  # the tests run as root, where Chromium's sandbox refuses to start
                     f"--window-size={WIDTH},800",
                     # Chromium's own background traffic would only wait on a network that is not there.
                     "--disable-background-networking", "--disable-component-update", "--no-first-run"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.set_page_load_timeout(60)
        driver.get(pathlib.Path(path).resolve().as_uri())
        page_url = driver.current_url.split("#")[0]
        # A window as tall as the page is what a full-page screenshot needs, and it makes
        # lazily loaded content below the first screen ask for what it needs, so the
        # request list below covers the whole page.
        chrome, height = driver.execute_script(
            "return [window.outerHeight - window.innerHeight, document.documentElement.scrollHeight]")
        driver.set_window_size(WIDTH, min(height, MAX_SCREENSHOT_HEIGHT) + chrome)
        if screenshot is not None:
            driver.save_screenshot(str(screenshot))
        found = driver.execute_script(_INSPECT, probe, figure)
        console = [(entry["level"], entry["message"]) for entry in driver.get_log("browser")
                   if entry["level"] in ("SEVERE", "WARNING")]
        requests = []
        # The performance log is the DevTools network record: unlike the page's resource
        # timing it also lists requests that failed, which are the ones a missing file makes.
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] != "Network.requestWillBeSent":
                continue
            url = message["params"]["request"]["url"]
            if url.split("#")[0] != page_url and not url.startswith(INLINE_SCHEMES):
                requests.append(url)
    finally:
        driver.quit()
    return PageView(console=console, requests=requests,
                    figure_svgs=None if found["figure_svgs"] is None else [tuple(s) for s in found["figure_svgs"]],
                    svgs=[tuple(s) for s in found["svgs"]], text=found["text"], probe=found["probe"],
                    scripts=found["scripts"])
