"""The Datasets page and dialect uploads in a real browser (chromium through chromium-driver and
selenium) against real `churn serve registry`, `predictor`, `trainer` and `gateway` processes.

It pushes the reference dataset on the Datasets page (the file is streamed through the gateway to the
registry), sees its profile (10,000 rows, target `Exited`), clicks Train and follows the job to a
published model version. It also uploads a `;`-separated copy of the reference dataset with decimal
commas on the Batch page and sees the customers ranked (ChurnML's dialect-detecting CSV reader).

Same requirements and skipping rules as test_gateway_browser.py (CHURN_BIN, chromium, selenium).
"""
import csv
import os
import subprocess
import tempfile
import time
import unittest

from test_gateway_browser import (CHURN_BIN, DATASET, HAVE_SELENIUM, OUTPUT, TOKEN, ChurnServer, find_chromium)

if HAVE_SELENIUM:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By


@unittest.skipUnless(CHURN_BIN or os.environ.get("CI"), "CHURN_BIN is not set (run through scripts/test.sh)")
class DatasetsBrowserTest(unittest.TestCase):
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
            subprocess.run([CHURN_BIN, "synth", "--rows", "10000", "--out", data], check=True, capture_output=True)
        cls.data = data
        model = os.path.join(cls.tmp.name, "churn.safetensors")
        subprocess.run([CHURN_BIN, "train", data, "--out", model, "--epochs", "5", "--json"], check=True, capture_output=True)
        cls.servers = []
        cls.registry = ChurnServer("registry", "--data-dir", os.path.join(cls.tmp.name, "registry"), env=env)
        cls.servers.append(cls.registry)
        subprocess.run([CHURN_BIN, "models", "publish", model, "--name", "churn", "--alias", "production",
                        "--registry", cls.registry.address], check=True, capture_output=True, env=env)
        cls.predictor = ChurnServer("predictor", "--registry", cls.registry.address, "--model", "churn", env=env)
        cls.servers.append(cls.predictor)
        subprocess.run([CHURN_BIN, "health", "--addr", cls.predictor.address, "--wait", "30"], check=True, capture_output=True)
        cls.trainer = ChurnServer("trainer", "--registry", cls.registry.address, "--data-dir", os.path.join(cls.tmp.name, "trainer"),
                                  "--promote", "never", env=env)
        cls.servers.append(cls.trainer)
        cls.gateway = ChurnServer("gateway", "--predictor", cls.predictor.address, "--registry", cls.registry.address,
                                  "--trainer", cls.trainer.address, env=env)
        cls.servers.append(cls.gateway)
        cls.url = f"http://{cls.gateway.address}"
        options = Options()
        options.binary_location = browser
        for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1600"]:
            options.add_argument(argument)
        cls.driver = webdriver.Chrome(service=Service(executable_path=driver), options=options)
        cls.driver.set_page_load_timeout(120)
        cls.driver.implicitly_wait(10)

    @classmethod
    def tearDownClass(cls):
        driver = getattr(cls, "driver", None)
        if driver:
            driver.quit()
        for server in reversed(getattr(cls, "servers", [])):
            server.stop()
        if hasattr(cls, "tmp"):
            cls.tmp.cleanup()

    def wait_for_url(self, fragment, seconds=60):
        """A click can return before the browser has followed it (a POST that submits a job answers
        only when the trainer has it): wait for the next page, as a person would."""
        deadline = time.monotonic() + seconds
        while fragment not in self.driver.current_url and time.monotonic() < deadline:
            time.sleep(0.1)
        body = self.driver.find_element(By.TAG_NAME, "body").text[:500]
        self.assertIn(fragment, self.driver.current_url, f"the page after the click says: {body}")

    def screenshot(self, name):
        path = os.path.join(OUTPUT, name)
        self.driver.save_screenshot(path)
        self.assertTrue(os.path.getsize(path) > 1000, path)

    def test_1_upload_on_the_datasets_page_then_train(self):
        self.driver.get(self.url + "/datasets")
        self.driver.find_element(By.ID, "dataset-name").send_keys("reference")
        self.driver.find_element(By.ID, "dataset-token").send_keys(TOKEN)
        self.driver.find_element(By.ID, "dataset-file").send_keys(self.data)
        self.driver.find_element(By.ID, "dataset-button").click()
        # The new version's page: pushed notice and its profile.
        self.assertIn("Pushed", self.driver.find_element(By.CSS_SELECTOR, ".notice.ok").text)
        self.assertEqual(self.driver.find_element(By.ID, "profile-rows").text, "10,000 rows")
        self.assertEqual(self.driver.find_element(By.ID, "profile-columns").text, "14 columns")
        self.assertIn("Exited", self.driver.find_element(By.ID, "profile-target").text)
        table = self.driver.find_element(By.ID, "profile-table").text
        for column in ["CreditScore", "Geography", "Exited"]:
            self.assertIn(column, table)
        self.screenshot("dataset-profile.png")
        # It is listed on the Datasets page too.
        self.driver.get(self.url + "/datasets")
        self.assertIn("reference", [element.text for element in self.driver.find_elements(By.CSS_SELECTOR, "section.dataset h2")])
        self.driver.find_element(By.CSS_SELECTOR, "a.dataset-link").click()
        # Train from the dataset's page (model name defaults to the dataset's).
        form = self.driver.find_element(By.CSS_SELECTOR, "form.train-form")
        form.find_element(By.NAME, "token").send_keys(TOKEN)
        form.find_element(By.CSS_SELECTOR, "button.train-button").click()
        self.wait_for_url("/training/")
        job_url = self.driver.current_url
        deadline = time.monotonic() + 240
        state = ""
        self.driver.implicitly_wait(0)
        while time.monotonic() < deadline:
            self.driver.get(job_url)
            states = self.driver.find_elements(By.ID, "job-state")
            state = states[0].text if states else ""
            if state in ("succeeded", "failed", "cancelled"):
                break
            time.sleep(1)
        self.driver.implicitly_wait(10)
        self.assertEqual(state, "succeeded")
        link = self.driver.find_element(By.ID, "version-link")
        self.assertEqual(link.text, "reference v1")
        self.screenshot("dataset-trained.png")
        link.click()
        self.wait_for_url("/models/reference/1")

    def test_2_semicolon_file_on_the_batch_page_is_ranked(self):
        """A `;`-separated copy of the reference dataset with decimal commas (as a European spreadsheet
        exports it) is detected and ranked."""
        path = os.path.join(self.tmp.name, "semicolon.csv")
        with open(self.data, newline="") as source, open(path, "w", newline="") as target:
            reader = csv.reader(source)
            writer = csv.writer(target, delimiter=";", lineterminator="\r\n")
            for index, row in enumerate(reader):
                if index > 200:
                    break
                writer.writerow([field.replace(".", ",") for field in row])
        self.driver.get(self.url + "/batch")
        self.driver.find_element(By.ID, "file").send_keys(path)
        self.driver.find_element(By.ID, "batch-button").click()
        answer = self.driver.find_element(By.CSS_SELECTOR, "#ranking, .notice.error")
        self.assertEqual(answer.get_attribute("id"), "ranking", answer.text)
        rows = self.driver.find_elements(By.CSS_SELECTOR, "#ranking tbody tr")
        self.assertEqual(len(rows), 200)
        shown = [float(row.find_elements(By.TAG_NAME, "td")[-3].text.split()[-1].rstrip("%")) for row in rows]
        self.assertEqual(shown, sorted(shown, reverse=True))
        self.screenshot("batch-semicolon.png")


if __name__ == "__main__":
    unittest.main()
