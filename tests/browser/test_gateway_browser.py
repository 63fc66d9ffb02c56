"""A real browser (Debian's chromium through chromium-driver and selenium) against real
`churn serve registry`, `churn serve predictor --registry` (following churn@production) and
`churn serve gateway` processes.

It fills the predict form, submits it and checks that the probability shown equals the
predictor's own RPC answer (`churn predict --predictor ADDR --row JSON --json`) to 4 decimals;
checks that an empty field is reported next to it; opens the models page and a version page and
checks that the SVG charts render; uploads a CSV on the batch page; promotes a second version with
the token from its page and sees the predictor follow; starts a training job from the training page
and watches its loss curve grow epoch by epoch (Server-Sent Events from a real `churn serve trainer`);
stops the gateway with SIGTERM. Screenshots go to
$CHURN_BROWSER_OUTPUT (default: .build/browser-test-output/ in the package).

Run by scripts/test.sh with CHURN_BIN set. Without CHURN_BIN, chromium or selenium the test is
skipped locally and fails under CI (CI=true), where scripts/test.sh installs them.
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHURN_BIN = os.environ.get("CHURN_BIN")
DATASET = os.path.join(os.path.dirname(ROOT), "shared", "datasets", "Churn_Modelling.csv")
OUTPUT = os.environ.get("CHURN_BROWSER_OUTPUT", os.path.join(ROOT, ".build", "browser-test-output"))
TOKEN = "browser-test-token"

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    HAVE_SELENIUM = True
except ImportError:  # pragma: no cover - reported by the skip below
    HAVE_SELENIUM = False


def find_chromium():
    """The chromium binary and its driver, or (None, None)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or (os.path.exists("/usr/bin/chromedriver") and "/usr/bin/chromedriver") or None
    return browser, driver


class ChurnServer:
    """A `churn serve ROLE` child process on a free loopback port."""

    def __init__(self, role, *args, env=None):
        self.process = subprocess.Popen(
            [CHURN_BIN, "serve", role, "--listen", "127.0.0.1:0", "--log-level", "error", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        line = self.process.stdout.readline()
        match = re.search(r"listening on (\S+):(\d+)", line)
        if not match:
            self.process.kill()
            raise RuntimeError(f"churn serve {role} did not start: {line!r} {self.process.stderr.read()}")
        self.address = f"127.0.0.1:{match.group(2)}"

    def stop(self):
        """SIGTERM; returns the exit status and the seconds it took to exit."""
        start = time.monotonic()
        self.process.terminate()
        try:
            status = self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            status = self.process.wait()
        return status, time.monotonic() - start


@unittest.skipUnless(CHURN_BIN or os.environ.get("CI"), "CHURN_BIN is not set (run through scripts/test.sh)")
class GatewayBrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        browser, driver = find_chromium()
        missing = [name for name, ok in [("CHURN_BIN", CHURN_BIN), ("selenium", HAVE_SELENIUM),
                                         ("chromium", browser), ("chromium-driver", driver)] if not ok]
        if missing:
            if os.environ.get("CI"):
                raise RuntimeError(f"browser test needs {', '.join(missing)} (scripts/test.sh installs them)")
            raise unittest.SkipTest(f"missing {', '.join(missing)}")
        os.makedirs(OUTPUT, exist_ok=True)
        cls.tmp = tempfile.TemporaryDirectory()
        env = dict(os.environ, CHURN_TOKEN=TOKEN)
        data = DATASET
        if not os.path.exists(data):
            data = os.path.join(cls.tmp.name, "synthetic.csv")
            subprocess.run([CHURN_BIN, "synth", "--rows", "3000", "--out", data], check=True, capture_output=True)
        cls.data = data
        cls.model = os.path.join(cls.tmp.name, "churn.safetensors")
        subprocess.run([CHURN_BIN, "train", data, "--out", cls.model, "--epochs", "20", "--json"],
                       check=True, capture_output=True)
        cls.servers = []
        cls.registry = ChurnServer("registry", "--data-dir", os.path.join(cls.tmp.name, "registry"), env=env)
        cls.servers.append(cls.registry)
        subprocess.run([CHURN_BIN, "models", "publish", cls.model, "--name", "churn", "--alias", "production",
                        "--registry", cls.registry.address], check=True, capture_output=True, env=env)
        # The token lets the predictor report its deployment (a registry write).
        cls.predictor = ChurnServer("predictor", "--registry", cls.registry.address, "--model", "churn",
                                    "--instance", "browser-test-predictor", env=env)
        cls.servers.append(cls.predictor)
        subprocess.run([CHURN_BIN, "health", "--addr", cls.predictor.address, "--wait", "30"], check=True, capture_output=True)
        cls.trainer = ChurnServer("trainer", "--registry", cls.registry.address, "--data-dir", os.path.join(cls.tmp.name, "trainer"),
                                  "--promote", "never", env=env)
        cls.servers.append(cls.trainer)
        subprocess.run([CHURN_BIN, "datasets", "push", data, "--name", "bank", "--registry", cls.registry.address],
                       check=True, capture_output=True, env=env)
        cls.gateway = ChurnServer("gateway", "--predictor", cls.predictor.address, "--registry", cls.registry.address,
                                  "--trainer", cls.trainer.address, env=env)
        cls.servers.append(cls.gateway)
        cls.url = f"http://{cls.gateway.address}"
        options = Options()
        options.binary_location = browser
        for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1600"]:
            options.add_argument(argument)
        cls.driver = webdriver.Chrome(service=Service(executable_path=driver), options=options)
        cls.driver.set_page_load_timeout(60)
        cls.driver.implicitly_wait(10)  # elements of the page a form post leads to may take a moment

    @classmethod
    def tearDownClass(cls):
        driver = getattr(cls, "driver", None)
        if driver:
            driver.quit()
        for server in reversed(getattr(cls, "servers", [])):
            server.stop()
        if hasattr(cls, "tmp"):
            cls.tmp.cleanup()

    def screenshot(self, name):
        path = os.path.join(OUTPUT, name)
        self.driver.save_screenshot(path)
        self.assertTrue(os.path.getsize(path) > 1000, path)

    def customer(self, index=0):
        """Row `index` of the training file, as a dict of text values."""
        with open(self.data, newline="") as file:
            lines = file.read().splitlines()
        header = lines[0].split(",")
        return dict(zip(header, lines[1 + index].split(",")))

    def fill(self, customer):
        """Types the customer's values into the form's inputs and dropdowns."""
        form = self.driver.find_element(By.ID, "predict-form")
        for element in form.find_elements(By.CSS_SELECTOR, "input, select"):
            name = element.get_attribute("name")
            if name not in customer:
                continue
            if element.tag_name == "select":
                Select(element).select_by_value(customer[name])
            else:
                element.clear()
                element.send_keys(customer[name])

    def rpc_probability(self, customer):
        """The predictor's answer for the same row over the wire protocol (the CLI)."""
        row = {key: (float(value) if re.fullmatch(r"-?[0-9.]+", value) else value) for key, value in customer.items()}
        result = subprocess.run([CHURN_BIN, "predict", "--predictor", self.predictor.address, "--row", json.dumps(row), "--json"],
                                check=True, capture_output=True, text=True)
        return json.loads(result.stdout)["predictions"][0]["probability"]

    def test_1_predict_form_shows_the_predictors_probability(self):
        for index in [0, 7]:
            customer = self.customer(index)
            self.driver.get(self.url + "/predict")
            self.fill(customer)
            self.driver.find_element(By.ID, "predict-button").click()
            shown = self.driver.find_element(By.ID, "probability")
            percent = float(shown.text.rstrip("%"))
            expected = self.rpc_probability(customer)
            self.assertLessEqual(abs(percent / 100 - expected), 0.00005 + 1e-9, f"shown {shown.text}, RPC {expected}")
            self.assertEqual(f"{percent:.2f}", f"{round(expected * 100 + 1e-12, 2):.2f}")
            self.assertEqual(float(shown.get_attribute("data-probability")), expected)
            self.assertIn(self.driver.find_element(By.ID, "label").text, ["Likely to churn", "Likely to stay"])
            self.assertTrue(self.driver.find_element(By.ID, "gauge").is_displayed())
            self.assertGreaterEqual(len(self.driver.find_elements(By.CSS_SELECTOR, "#factor-list li")), 3)
            self.screenshot(f"predict-{index}.png")

    def test_2_empty_field_is_shown_next_to_it(self):
        self.driver.get(self.url + "/predict")
        age = self.driver.find_element(By.ID, "field-Age")
        age.clear()
        self.driver.find_element(By.ID, "predict-button").click()
        error = self.driver.find_element(By.ID, "error-field-Age")
        self.assertEqual(error.text, "enter a number")
        self.assertEqual(self.driver.find_element(By.ID, "field-Age").get_attribute("aria-invalid"), "true")
        self.driver.implicitly_wait(0)
        self.assertEqual(self.driver.find_elements(By.ID, "result"), [])
        self.driver.implicitly_wait(10)
        self.screenshot("predict-field-error.png")

    def test_3_models_page_renders_svg_charts(self):
        self.driver.get(self.url + "/models")
        table = self.driver.find_element(By.CSS_SELECTOR, "table.versions").text
        self.assertIn("production", table)
        self.assertIn("browser-test-predictor", table)  # the predictor's deployment report
        self.screenshot("models.png")
        self.driver.find_element(By.LINK_TEXT, "churn v1").click()
        for chart in ["confusion-matrix", "roc-chart", "pr-chart", "calibration-chart", "loss-chart"]:
            element = self.driver.find_element(By.ID, chart)
            self.assertTrue(element.is_displayed(), chart)
            self.assertGreater(element.size["width"], 200, chart)
            self.assertGreater(element.size["height"], 150, chart)
        roc = self.driver.find_element(By.CSS_SELECTOR, "#roc-chart polyline.series")
        self.assertGreater(len(roc.get_attribute("points").split()), 10)
        self.assertEqual(len(self.driver.find_elements(By.CSS_SELECTOR, "#confusion-matrix rect.cell")), 4)
        self.screenshot("model-version.png")
        # The retention insights stored in the bundle: importance bars in the bundle's order, lift,
        # gains, profit, and one segment table per feature column (10 in the reference data).
        inspected = json.loads(subprocess.run([CHURN_BIN, "inspect", self.model, "--json"], check=True,
                                              capture_output=True, text=True).stdout)
        for chart in ["importance-chart", "lift-chart", "gains-chart", "profit-chart"]:
            element = self.driver.find_element(By.ID, chart)
            self.driver.execute_script("arguments[0].scrollIntoView()", element)
            self.assertTrue(element.is_displayed(), chart)
            self.assertGreater(element.size["width"], 300, chart)
        expected = [column["column"] for column in inspected["insights"]["importance"]["columns"]]
        labels = [text.text for text in self.driver.find_elements(By.CSS_SELECTOR, "#importance-chart text[text-anchor=end]")]
        self.assertEqual(labels, expected)
        self.assertEqual(len(self.driver.find_elements(By.CSS_SELECTOR, "#lift-chart rect.bar")), 10)
        self.assertEqual(len(self.driver.find_elements(By.CSS_SELECTOR, "#segments table.segments")),
                         len(inspected["insights"]["segments"]["groups"]))
        self.screenshot("model-insights.png")

    def test_3c_monitoring_tab_draws_the_drift_of_live_inputs(self):
        """Every customer of the training file through the predictor (RPC), then the version's
        Monitoring tab: one PSI bar per input column plus the score, the same numbers in the table
        as `churn monitor --json` reports."""
        subprocess.run([CHURN_BIN, "predict", "--predictor", self.predictor.address, "--input", self.data],
                       check=True, capture_output=True)
        time.sleep(0.6)  # the monitor counts its queue every 200 ms
        report = json.loads(subprocess.run([CHURN_BIN, "monitor", "churn", "--predictor", self.predictor.address, "--json"],
                                           check=True, capture_output=True, text=True).stdout)
        self.assertGreaterEqual(report["rows"], 9000)
        self.driver.get(self.url + "/models/churn/1")
        self.driver.find_element(By.LINK_TEXT, "Monitoring").click()
        self.assertTrue(self.driver.current_url.endswith("/models/churn/1/monitoring"))
        chart = self.driver.find_element(By.ID, "drift-chart")
        self.assertTrue(chart.is_displayed())
        self.assertGreater(chart.size["width"], 300)
        self.assertEqual(len(self.driver.find_elements(By.CSS_SELECTOR, "#drift-chart rect.bar")),
                         len(report["columns"]) + 1)
        self.assertIn(f"{report['rows']} rows in the predictor's window",
                      self.driver.find_element(By.ID, "drift-summary").text)
        shown = {row.find_element(By.TAG_NAME, "th").text: row.find_elements(By.TAG_NAME, "td")[0].text
                 for row in self.driver.find_elements(By.CSS_SELECTOR, "#drift-table tr")[1:]}
        for entry in report["columns"]:
            self.assertEqual(shown[entry["name"]], f"{entry['psi']:.3f}", entry["name"])
            self.assertEqual(entry["level"], "stable", entry)  # the customers it was trained on
        self.screenshot("model-monitoring.png")

    def test_3b_report_file_renders_offline(self):
        """`churn report` writes one file that a browser renders with every chart and no network."""
        path = os.path.join(self.tmp.name, "report.html")
        subprocess.run([CHURN_BIN, "report", self.model, self.data, "--out", path], check=True, capture_output=True)
        self.driver.get("file://" + path)
        for chart in ["confusion-matrix", "roc-chart", "pr-chart", "calibration-chart", "importance-chart", "lift-chart",
                      "gains-chart", "profit-chart"]:
            element = self.driver.find_element(By.ID, chart)
            self.driver.execute_script("arguments[0].scrollIntoView()", element)
            self.assertTrue(element.is_displayed(), chart)
            self.assertGreater(element.size["width"], 200, chart)
        # Nothing was fetched but the file itself.
        resources = self.driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        self.assertEqual(resources, [])
        evaluated = json.loads(subprocess.run([CHURN_BIN, "evaluate", self.model, self.data, "--json"], check=True,
                                              capture_output=True, text=True).stdout)
        shown = self.driver.find_element(By.CSS_SELECTOR, "td[data-metric=roc_auc]").text
        self.assertEqual(shown, f"{evaluated['roc_auc']:.4f}")
        self.driver.set_window_size(1280, 1600)
        self.screenshot("report.png")

    def test_4_batch_upload_is_ranked(self):
        path = os.path.join(self.tmp.name, "customers.csv")
        with open(self.data, newline="") as file:
            lines = file.read().splitlines()
        with open(path, "w", newline="") as file:
            file.write("\r\n".join(lines[:61]) + "\r\n")
        self.driver.get(self.url + "/batch")
        self.driver.find_element(By.ID, "file").send_keys(path)
        self.driver.find_element(By.ID, "batch-button").click()
        self.driver.find_element(By.ID, "ranking")
        rows = self.driver.find_elements(By.CSS_SELECTOR, "#ranking tbody tr")
        self.assertEqual(len(rows), 60)
        shown = [float(row.find_elements(By.TAG_NAME, "td")[-3].text.split()[-1].rstrip("%")) for row in rows]
        self.assertEqual(shown, sorted(shown, reverse=True))
        self.assertTrue(self.driver.find_element(By.ID, "histogram").is_displayed())
        self.screenshot("batch.png")

    def test_5_promote_from_the_page_and_the_predictor_follows(self):
        second = os.path.join(self.tmp.name, "second.safetensors")
        subprocess.run([CHURN_BIN, "train", self.data, "--out", second, "--epochs", "5", "--seed", "1", "--json"],
                       check=True, capture_output=True)
        subprocess.run([CHURN_BIN, "models", "publish", second, "--name", "churn", "--registry", self.registry.address],
                       check=True, capture_output=True, env=dict(os.environ, CHURN_TOKEN=TOKEN))
        self.driver.get(self.url + "/models/churn/2")
        self.driver.find_element(By.ID, "token").send_keys("wrong")
        self.driver.find_element(By.ID, "promote-button").click()
        self.assertIn("Not promoted", self.driver.find_element(By.CSS_SELECTOR, ".notice.error").text)
        self.driver.find_element(By.ID, "token").send_keys(TOKEN)
        self.driver.find_element(By.ID, "promote-button").click()
        self.assertIn("Promoted", self.driver.find_element(By.CSS_SELECTOR, ".notice.ok").text)
        self.screenshot("promoted.png")
        deadline = time.monotonic() + 20
        heading = ""
        while time.monotonic() < deadline:
            self.driver.get(self.url + "/predict")
            heading = self.driver.find_element(By.CSS_SELECTOR, "main p.muted").text
            if "version 2" in heading:
                break
            time.sleep(0.3)
        self.assertIn("version 2", heading)
        customer = self.customer(3)
        self.fill(customer)
        self.driver.find_element(By.ID, "predict-button").click()
        shown = float(self.driver.find_element(By.ID, "probability").get_attribute("data-probability"))
        self.assertEqual(shown, self.rpc_probability(customer))

    def test_6_training_page_shows_the_loss_curve_growing(self):
        self.driver.get(self.url + "/training")
        Select(self.driver.find_element(By.ID, "field-dataset")).select_by_value("bank")
        epochs = self.driver.find_element(By.ID, "field-epochs")
        epochs.clear()
        epochs.send_keys("400")
        self.driver.find_element(By.ID, "token").send_keys(TOKEN)
        self.driver.find_element(By.ID, "train-button").click()
        self.driver.find_element(By.ID, "live")
        counts = []
        self.driver.implicitly_wait(0)
        self.addCleanup(self.driver.implicitly_wait, 10)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            lines = self.driver.find_elements(By.ID, "live-line")
            if not lines:
                break  # the job ended and the page reloaded with the outcome
            try:
                counts.append(len((lines[0].get_attribute("points") or "").split()))
            except StaleElementReferenceException:
                continue  # the line was redrawn (or the page reloaded) between finding and reading it
            if len(counts) == 4:
                self.screenshot("training-live.png")
            time.sleep(0.25)
        growing = [count for count in counts if count > 0]
        self.assertGreaterEqual(len(set(growing)), 2, f"points per sample: {counts}")
        self.assertEqual(growing, sorted(growing))
        self.driver.implicitly_wait(10)
        self.assertIsNotNone(self.driver.find_element(By.ID, "outcome"))
        self.assertTrue(self.driver.find_element(By.ID, "loss-chart").is_displayed())
        self.screenshot("training-done.png")

    def test_7_gateway_stops_on_sigterm_within_2_seconds(self):
        # Run last: stops the gateway the other tests use.
        status, seconds = self.gateway.stop()
        self.servers.remove(self.gateway)
        self.assertEqual(status, 0)
        self.assertLess(seconds, 2.0)


if __name__ == "__main__":
    unittest.main()
