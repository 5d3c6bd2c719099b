package io.mschedule.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mschedule.it.Cluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real (headless) browser against a master and three agent processes: run a
 * script and watch its output stream in before the task ends, kill a task from the page, filter the
 * history, group outputs, manage tokens, jobs, schedules and a fourth agent's pending key.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {
  static final Path DOCS = Path.of(System.getProperty("mschedule.root", "..")).resolve("docs");

  @TempDir static Path dir;
  static Cluster cluster;
  static ChromeDriver browser;
  static String base;

  @BeforeAll
  static void up() {
    Browser.require();
    cluster = Cluster.start(dir, 3, 1);
    base = "http://127.0.0.1:" + cluster.httpPort + "/";
    browser = Browser.start(dir.resolve("browser"));
    // the API needs a token: sign in once; the tab keeps it (sessionStorage)
    browser.get(base);
    WebElement token =
        within(30).until(d -> d.findElement(By.cssSelector("[data-testid='login-token']")));
    token.sendKeys(cluster.adminToken());
    browser.findElement(By.cssSelector("[data-testid='login-submit']")).click();
    within(30).until(d -> count("[data-testid='agent-row']") > 0);
  }

  @AfterAll
  static void down() {
    try {
      if (browser != null) {
        browser.quit();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  static WebDriverWait within(int seconds) {
    WebDriverWait w =
        new WebDriverWait(browser, Duration.ofSeconds(seconds), Duration.ofMillis(100));
    w.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    return w;
  }

  static By testId(String id) {
    return By.cssSelector("[data-testid='" + id + "']");
  }

  static WebElement find(String id) {
    return browser.findElement(testId(id));
  }

  static String text(String id) {
    return find(id).getText();
  }

  static String taskState() {
    return find("task-state").getText().trim();
  }

  static final String SHOWN_AGENTS = "[data-testid='agent-row']:not([hidden])";

  static int count(String css) {
    return browser.findElements(By.cssSelector(css)).size();
  }

  static List<WebElement> hostRows() {
    return browser.findElements(By.cssSelector("[data-testid='host-row']:not([hidden])"));
  }

  static boolean allHosts(String state) {
    return hostRows().stream().allMatch(r -> state.equals(r.getAttribute("data-state")));
  }

  static void screenshot(String name) {
    if (Files.isDirectory(DOCS)) {
      Browser.screenshot(browser, DOCS.resolve(name));
    }
  }

  /** Replaces a field's content by typing, as a person would. */
  static void type(WebElement field, String text) {
    field.click();
    field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    if (!text.isEmpty()) {
      field.sendKeys(text);
    }
  }

  /** Fills in the Run form and submits it; returns the new task's id from the page's address. */
  static String submit(String script) {
    browser.findElement(testId("nav-run")).click();
    within(10).until(d -> !d.findElements(testId("script")).isEmpty());
    type(find("job"), "");
    type(find("script"), script);
    type(find("targets"), "all");
    type(find("parallel"), "0");
    within(20).until(d -> "3".equals(find("target-count").getAttribute("data-count")));
    assertThat(text("target-count")).contains("3 of 3 online agents match");
    find("submit").click();
    within(15).until(d -> d.getCurrentUrl().contains("#/tasks/"));
    String url = browser.getCurrentUrl();
    return url.substring(url.indexOf("#/tasks/") + "#/tasks/".length()).split("/")[0];
  }

  @Test
  @Order(1)
  void fleet_lists_the_three_agents_online() {
    browser.get(base);
    within(30).until(d -> count("[data-testid='agent-row'][data-state='online']") == 3);
    assertThat(find("count-online").getText()).startsWith("3");
    assertThat(find("count-total").getText()).startsWith("3");
    // the text filter narrows the list (the agents have the labels n=1, n=2 and n=3)
    WebElement filter = find("fleet-filter");
    type(filter, "n=2");
    within(5).until(d -> count(SHOWN_AGENTS) == 1);
    type(filter, "");
    within(5).until(d -> count(SHOWN_AGENTS) == 3);
    browser.executeScript("document.activeElement.blur()");
    screenshot("console-fleet.png");
  }

  @Test
  @Order(2)
  void a_script_streams_its_output_live_and_succeeds() {
    browser.get(base);
    String id = submit("for i in 1 2 3; do echo line $i; sleep 1; done");
    assertThat(id).isNotBlank();
    within(15).until(d -> hostRows().size() == 3);

    hostRows().get(0).click();
    WebElement output = find("output");
    within(20).until(d -> output.getText().contains("line 1"));
    // seen while the script still runs: it prints two more lines over two more seconds
    String stateAtFirstLine = taskState();
    String textAtFirstLine = output.getText();
    assertThat(stateAtFirstLine).as("task state when 'line 1' showed").isIn("PENDING", "RUNNING");
    assertThat(textAtFirstLine).doesNotContain("line 3");

    within(60).until(d -> "SUCCEEDED".equals(taskState()));
    within(10).until(d -> output.getText().contains("line 3"));
    assertThat(output.getText()).contains("line 1", "line 2", "line 3");
    assertThat(allHosts("SUCCEEDED")).isTrue();
    assertThat(find("progress-text").getAttribute("data-done")).isEqualTo("3");
    browser.findElement(By.cssSelector("details.script summary")).click();
    within(5).until(d -> transitionsDone());
    screenshot("console-task.png");

    browser.findElement(testId("nav-history")).click();
    String row = "[data-testid='history-row'][data-task-id='" + id + "']";
    within(15).until(d -> count(row) == 1);
    assertThat(browser.findElement(By.cssSelector(row)).getAttribute("data-state"))
        .isEqualTo("SUCCEEDED");
  }

  @Test
  @Order(3)
  void a_task_is_killed_from_its_page_after_confirmation() {
    browser.get(base);
    submit("sleep 300");
    within(15).until(d -> hostRows().size() == 3);
    within(30).until(d -> allHosts("RUNNING"));
    assertThat(taskState()).isEqualTo("RUNNING");

    find("kill").click();
    within(5).until(d -> find("confirm").isDisplayed());
    find("confirm-ok").click();

    within(30).until(d -> "KILLED".equals(taskState()));
    within(10).until(d -> allHosts("KILLED"));
    assertThat(find("kill").isDisplayed()).isFalse();
  }

  @Test
  @Order(4)
  void a_run_that_could_not_start_shows_the_agents_reason() {
    browser.get(base);
    submit("#!/no/such/shell\necho never\n");
    within(15).until(d -> hostRows().size() == 3);
    within(60).until(d -> "FAILED".equals(taskState()));
    assertThat(allHosts("FAILED_TO_START")).isTrue();
    hostRows().get(0).click();
    within(10).until(d -> find("run-error").isDisplayed());
    assertThat(find("run-error").getText()).startsWith("error: ").contains("/no/such/shell");
  }

  @Test
  @Order(5)
  void failed_hosts_are_rerun_from_the_task_page_and_jobs_are_listed() {
    browser.get(base);
    String failing = cluster.agentId(1);
    String first = submit("case $MSCHEDULE_AGENT_ID in " + failing + ") exit 3;; esac; echo ok");
    within(60).until(d -> "FAILED".equals(taskState()));
    within(10).until(d -> find("rerun-failed").isDisplayed());

    find("rerun-failed").click();
    within(5).until(d -> find("confirm").isDisplayed());
    find("confirm-ok").click();
    within(15)
        .until(d -> !d.getCurrentUrl().contains(first) && d.getCurrentUrl().contains("#/tasks/"));
    within(15).until(d -> hostRows().size() == 1);
    within(60).until(d -> "FAILED".equals(taskState()));
    assertThat(hostRows().get(0).getAttribute("data-state")).isEqualTo("FAILED");
    assertThat(text("task-meta")).contains("Rerun of");

    find("nav-jobs").click();
    within(10).until(d -> !d.findElements(testId("job-rows")).isEmpty());
    within(10).until(d -> !text("job-rows").isEmpty()); // loaded
    assertThat(text("job-rows")).contains("No job yet");
    assertThat(text("schedule-rows")).contains("No schedule yet");
  }

  @Test
  @Order(6)
  void history_is_filtered_by_state_and_submitter() {
    browser.get(base + "#/history");
    within(15).until(d -> count("[data-testid='history-row']") >= 5);
    new Select(find("history-state")).selectByValue("KILLED");
    within(15)
        .until(
            d ->
                count("[data-testid='history-row']") >= 1
                    && count("[data-testid='history-row']:not([data-state='KILLED'])") == 0);
    type(find("history-user"), "nobody-at-all");
    within(15).until(d -> text("history-rows").contains("No task matches these filters."));
    type(find("history-user"), "admin");
    within(15).until(d -> count("[data-testid='history-row'][data-state='KILLED']") >= 1);
    new Select(find("history-state")).selectByValue("");
    type(find("history-user"), "");
    within(15).until(d -> count("[data-testid='history-row']:not([data-state='KILLED'])") >= 4);
  }

  @Test
  @Order(7)
  void identical_outputs_are_grouped_searched_and_downloaded() {
    browser.get(base);
    String odd = cluster.agentId(2);
    submit("case $MSCHEDULE_AGENT_ID in " + odd + ") echo other;; *) echo same;; esac");
    within(60).until(d -> "SUCCEEDED".equals(taskState()));
    within(10).until(d -> hostRows().size() == 3);

    find("group-outputs").click();
    String groups = "[data-testid='output-group']";
    within(10).until(d -> count(groups) == 2);
    WebElement same = browser.findElement(By.cssSelector(groups + "[data-count='2']"));
    assertThat(same.getText()).contains("2 hosts: same output").contains("same");
    same.click();
    within(10).until(d -> hostRows().size() == 2);
    assertThat(hostRows()).noneMatch(r -> odd.equals(r.getAttribute("data-agent-id")));
    browser.findElement(By.cssSelector(groups + "[data-count='2']")).click(); // all hosts again
    within(10).until(d -> hostRows().size() == 3);

    type(find("output-filter"), "other");
    within(10).until(d -> hostRows().size() == 1);
    assertThat(hostRows().get(0).getAttribute("data-agent-id")).isEqualTo(odd);
    type(find("output-filter"), "");
    within(10).until(d -> hostRows().size() == 3);

    // the download is one text file, each line prefixed with its host (captured in the page)
    browser.executeScript(
        "window.__files = [];"
            + "const create = URL.createObjectURL;"
            + "URL.createObjectURL = (b) => { window.__files.push(b); return create(b); };"
            + "HTMLAnchorElement.prototype.click = function () { window.__downloaded = this.download; };");
    find("download-text").click();
    within(10).until(d -> browser.executeScript("return window.__downloaded") != null);
    assertThat((String) browser.executeScript("return window.__downloaded"))
        .endsWith("-output.txt");
    String file =
        (String)
            browser.executeAsyncScript(
                "const done = arguments[arguments.length - 1]; window.__files[0].text().then(done);");
    assertThat(file.lines()).hasSize(3).allMatch(l -> l.matches("\\S+: (same|other)"));
    assertThat(file).containsOnlyOnce(": other");
    browser.navigate().refresh(); // back to the browser's own createObjectURL and click
  }

  @Test
  @Order(8)
  void a_token_is_created_shown_once_and_revoked_and_the_last_admin_token_stays() {
    browser.get(base + "#/tokens");
    within(15).until(d -> count("[data-testid='token-row']") >= 1);
    type(find("token-name"), "console-ci");
    new Select(find("token-role")).selectByValue("viewer");
    find("token-create").click();
    within(10).until(d -> find("token-secret").isDisplayed());
    assertThat(text("token-secret-value")).startsWith("mst_");
    String row = "[data-testid='token-row'][data-name='console-ci']";
    within(10).until(d -> count(row) == 1);
    assertThat(browser.findElement(By.cssSelector(row)).getText()).contains("viewer");

    browser.findElement(By.cssSelector(row + " [data-testid='token-revoke']")).click();
    within(5).until(d -> find("confirm").isDisplayed());
    find("confirm-ok").click();
    within(10).until(d -> count(row) == 0); // revoked tokens are hidden unless asked for
    find("tokens-show-revoked").click();
    within(10).until(d -> count(row + "[data-state='revoked']") == 1);

    // the master refuses to revoke its last admin token, and the page says why
    browser
        .findElement(
            By.cssSelector(
                "[data-testid='token-row'][data-name='admin'] [data-testid='token-revoke']"))
        .click();
    within(5).until(d -> find("confirm").isDisplayed());
    find("confirm-ok").click();
    within(10).until(d -> find("tokens-error").isDisplayed());
    assertThat(text("tokens-error")).contains("last valid admin token");

    // the audit log has the revocation, found by its action
    find("nav-audit").click();
    within(15).until(d -> count("[data-testid='audit-row']") >= 3);
    type(find("audit-action"), "token.revoke");
    within(15)
        .until(
            d ->
                count("[data-testid='audit-row']") == 1
                    && count("[data-testid='audit-row'][data-action='token.revoke']") == 1);
    assertThat(text("audit-rows")).contains("admin");
  }

  @Test
  @Order(9)
  void a_job_version_is_compared_and_run_and_a_schedule_paused_from_the_console() throws Exception {
    api(
        "POST",
        "/api/v1/jobs/hello/versions",
        "{\"script\": \"echo v1\\n\", \"message\": \"first\"}");
    api("POST", "/api/v1/jobs/hello/versions", "{\"script\": \"echo v2\\necho more\\n\"}");
    api(
        "POST",
        "/api/v1/schedules",
        "{\"name\": \"nightly\", \"job\": \"hello\", \"cron\": \"30 2 * * *\", \"targets\": [\"all\"]}");

    browser.get(base + "#/jobs");
    within(15).until(d -> count("[data-testid='job-row'][data-job='hello']") == 1);
    browser.findElement(By.cssSelector("[data-job='hello'] [data-testid='job-link']")).click();
    within(15).until(d -> count("[data-testid='version-row']") == 2);
    // side by side: version 1 on the left, version 2 on the right
    within(10).until(d -> count("[data-testid='diff-change']") >= 1);
    assertThat(text("diff")).contains("echo v1", "echo v2", "echo more", "hello@1", "hello@2");

    browser
        .findElement(
            By.cssSelector(
                "[data-testid='version-row'][data-version='1'] [data-testid='version-run']"))
        .click();
    within(10).until(d -> d.getCurrentUrl().endsWith("#/run"));
    assertThat(find("job").getAttribute("value")).isEqualTo("hello@1");
    assertThat(find("script").isDisplayed()).isFalse();
    type(find("targets"), "all");
    type(find("parallel"), "0");
    within(20).until(d -> "3".equals(find("target-count").getAttribute("data-count")));
    find("submit").click();
    within(15).until(d -> d.getCurrentUrl().contains("#/tasks/"));
    within(60).until(d -> "SUCCEEDED".equals(taskState()));
    assertThat(text("task-meta")).contains("hello@1");
    hostRows().get(0).click();
    within(10).until(d -> text("output").contains("v1"));
    assertThat(text("output")).doesNotContain("more");
    String run = browser.getCurrentUrl().replaceAll(".*#/tasks/([^/]+).*", "$1");
    // the job's page lists the task among those that ran it (GET /api/v1/tasks?job=hello)
    browser.get(base + "#/jobs/hello");
    within(15).until(d -> count("[data-testid='job-tasks'] [data-task-id='" + run + "']") == 1);

    String triggered =
        new ObjectMapper()
            .readTree(api("POST", "/api/v1/schedules/nightly/trigger", "{}"))
            .get("id")
            .asText();
    browser.get(base + "#/jobs");
    within(15).until(d -> count("[data-testid='schedule-row'][data-schedule='nightly']") == 1);
    browser
        .findElement(By.cssSelector("[data-schedule='nightly'] [data-testid='schedule-link']"))
        .click();
    within(15).until(d -> count("[data-testid='next-slot']") == 10);
    within(15)
        .until(
            d -> count("[data-testid='schedule-tasks'] [data-task-id='" + triggered + "']") == 1);
    assertThat(find("schedule-state").getAttribute("data-state")).isEqualTo("active");
    find("schedule-pause").click();
    within(10).until(d -> "paused".equals(find("schedule-state").getAttribute("data-state")));
    assertThat(api("GET", "/api/v1/schedules/nightly", null)).contains("\"paused\":true");
    find("schedule-resume").click();
    within(10).until(d -> "active".equals(find("schedule-state").getAttribute("data-state")));
  }

  @Test
  @Order(10)
  void a_pending_key_is_accepted_from_the_keys_page() {
    cluster.startPendingAgent(4);
    String id = cluster.agentId(4);
    browser.get(base);
    within(30).until(d -> find("pending-keys").isDisplayed());
    assertThat(text("pending-keys")).isEqualTo("1 key pending");
    String agentRow = "[data-testid='agent-row'][data-agent-id='" + id + "']";
    within(10).until(d -> count(agentRow + "[data-state='pending']") == 1);
    assertThat(find("count-online").getText()).startsWith("3");

    find("pending-keys").click();
    String pending = "[data-testid='keys-pending'] [data-agent-id='" + id + "']";
    within(15).until(d -> count(pending) == 1);
    browser.findElement(By.cssSelector(pending + " [data-testid='key-accept']")).click();
    within(15).until(d -> count("[data-testid='keys-accepted'] [data-agent-id='" + id + "']") == 1);
    within(20).until(d -> !find("pending-keys").isDisplayed());
    find("nav-fleet").click();
    within(30).until(d -> count(agentRow + "[data-state='online']") == 1);
  }

  @Test
  @Order(20)
  void the_page_loaded_nothing_from_elsewhere_and_threw_no_error() {
    @SuppressWarnings("unchecked")
    List<String> resources =
        (List<String>)
            browser.executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name)");
    assertThat(resources).allMatch(u -> u.startsWith(base), "every request goes to the master");
    List<String> errors =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .map(LogEntry::getMessage)
            .filter(m -> !m.contains("Failed to load resource"))
            .toList();
    assertThat(errors).as("JavaScript errors in the browser console").isEmpty();
  }

  /** Calls the master's API with the admin token; returns the answer's body (2xx expected). */
  static String api(String method, String path, String json) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path.substring(1)))
            .header("Authorization", "Bearer " + cluster.adminToken())
            .timeout(Duration.ofSeconds(10));
    if (json == null) {
      b.GET();
    } else {
      b.header("Content-Type", "application/json").method(method, BodyPublishers.ofString(json));
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
    return r.body();
  }

  static final HttpClient HTTP = HttpClient.newHttpClient();

  /** True when no CSS transition (such as the progress bar's width) is still under way. */
  static boolean transitionsDone() {
    return Boolean.TRUE.equals(
        browser.executeScript(
            "return document.getAnimations()"
                + ".every(a => !(a instanceof CSSTransition) || a.playState === 'finished')"));
  }
}
