package dev.windlass.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.local.LocalSuite;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console end to end in Debian's headless Chromium, against the whole suite: sign in at the issuer's login
 * page, add an orchestrator pointing at the real API server, see it Connected, deploy, follow the phases live, see
 * the app's objects with their health and sync state, roll back, undeploy, sign out. With {@code -Dwindlass.screenshots.dir=...} it saves screenshots of the main pages.
 */
class ConsoleBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String ORCHESTRATOR = "console-e2e";
    private static final String NAMESPACE = "console-e2e";
    private static final String APP = "hello-console";
    private static final String SECRET = "s3cret-value-never-shown";
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 900;

    private Path profile;
    private ChromeDriverService service;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void startBrowser() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no Chromium here: install Debian's chromium and chromium-driver packages to run the console test");
        profile = Files.createTempDirectory("windlass-console-");
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(new File(profile.toFile(), "chromedriver.log"))
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--disable-dev-shm-usage",
                        "--hide-scrollbars",
                        "--window-size=" + WIDTH + "," + HEIGHT,
                        "--user-data-dir=" + profile.resolve("profile"));
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @AfterEach
    void stopBrowser() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void addOrchestratorDeployRollBackUndeploy() throws Exception {
        LocalSuite suite = RunningSuite.get();
        String gateway = suite.gatewayUrl();
        String token = suite.kube().serviceAccountToken(NAMESPACE, "windlass-console", rules());

        signIn(suite);

        // add: a name that is no DNS label and no token are refused, each message beside its field
        click(By.id("add-orchestrator"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("orchestrator-form")));
        type(By.id("name"), "Not A Label!");
        new Select(browser.findElement(By.id("type"))).selectByValue("K8S");
        new Select(browser.findElement(By.id("environment"))).selectByValue("dev");
        new Select(browser.findElement(By.id("authType"))).selectByValue("TOKEN");
        type(By.id("apiServerUrl"), suite.kube().url());
        click(By.id("save"));
        WebElement nameError = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("name-error")));
        assertThat(nameError.getText()).startsWith("Error:");
        assertThat(browser.findElement(By.id("token-error")).getText()).startsWith("Error:");
        assertThat(browser.findElement(By.id("name")).getAttribute("aria-invalid"))
                .isEqualTo("true");
        assertThat(browser.findElement(By.id("problem")).getAttribute("role")).isEqualTo("alert");
        // what was typed is kept, credentials are not
        assertThat(browser.findElement(By.id("apiServerUrl")).getAttribute("value"))
                .isEqualTo(suite.kube().url());
        screenshot("orchestrator-form-error");

        // fixed, with the token of a ServiceAccount that may deploy in its namespace
        type(By.id("name"), ORCHESTRATOR);
        type(By.id("description"), "The suite's API server, added through the console");
        setValue(By.id("token"), token);
        setValue(By.id("caCertificatePem"), suite.kube().caCertPem());
        type(By.id("defaultNamespace"), NAMESPACE);
        type(By.id("allowedGroups"), "windlass-deployers");
        click(By.id("save"));
        wait.until(ExpectedConditions.textToBe(By.id("orchestrator-name"), ORCHESTRATOR));
        assertThat(browser.getPageSource()).doesNotContain(token);

        // test the connection: the result replaces the status in place
        click(By.id("test-connection"));
        wait.until(
                ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#connection .badge"), "Connected"));
        assertThat(browser.findElement(By.id("connection")).getText()).contains("Last checked");

        browser.get(gateway + "/console/orchestrators");
        WebElement row = wait.until(
                ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-name='" + ORCHESTRATOR + "']")));
        assertThat(row.getText()).contains("K8S").contains("dev").contains("Connected");
        screenshot("orchestrators");

        // narrow screens: nothing wider than 360 px
        browser.manage().window().setSize(new Dimension(360, 800));
        Number scrollWidth = (Number) js("return document.documentElement.scrollWidth;");
        assertThat(scrollWidth.intValue()).isLessThanOrEqualTo(360);
        screenshot("orchestrators-360px");
        browser.manage().window().setSize(new Dimension(WIDTH, HEIGHT));

        // the list and an orchestrator's page follow changes made elsewhere, without a reload
        followsOrchestratorChanges(suite);

        // deploy revision 1, then revision 2; each page follows its phases live to SUCCEEDED
        deploy(gateway, ORCHESTRATOR, NAMESPACE, APP, "nginx:1.27");
        assertThat(browser.getPageSource()).doesNotContain(SECRET);
        assertThat(phasesShown()).contains("ACCEPTED", "SUCCEEDED");
        screenshot("deployment");
        deploy(gateway, ORCHESTRATOR, NAMESPACE, APP, "nginx:1.28");
        assertThat(imageOnCluster(suite)).isEqualTo("nginx:1.28");

        // the app page lists both revisions; roll back to revision 1
        click(By.id("app-link"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("revisions")));
        assertThat(browser.findElements(By.cssSelector("#revisions tbody tr")))
                .extracting(element -> element.getAttribute("data-revision"))
                .containsExactly("2", "1");
        // and the app's objects as the cluster has them, the Deployment rolled out (by the node simulator)
        assertThat(browser.findElement(By.cssSelector("#objects tr[data-kind='Deployment'] .badge"))
                        .getAttribute("data-status"))
                .isEqualTo("Healthy");
        assertThat(browser.findElement(By.cssSelector("#app-sync .badge")).getAttribute("data-status"))
                .isEqualTo("InSync");
        screenshot("app");
        click(By.id("rollback-1"));
        awaitPhase("SUCCEEDED");
        assertThat(browser.findElement(By.id("revision")).getText()).isEqualTo("3");
        assertThat(imageOnCluster(suite)).isEqualTo("nginx:1.27");

        // undeploy, after a confirmation
        click(By.id("app-link"));
        click(By.id("undeploy"));
        click(By.id("confirm-undeploy"));
        awaitPhase("DELETED");
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> suite.kube()
                                .adminClient()
                                .apps()
                                .deployments()
                                .inNamespace(NAMESPACE)
                                .withName(APP)
                                .get()
                        == null);

        // sign out
        click(By.id("logout"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("signed-out")));
        assertThat(browser.manage().getCookieNamed("q_session")).isNull();
    }

    /**
     * A crash-looping app on the suite's own cluster, whose Pods the node simulator makes: Healthy after its first
     * revision; a second revision whose image crash-loops, deployed while the app's page is open, turns the page
     * Degraded by itself (the status stream, no reload); the crashing container's log is read through the API server,
     * its secret value masked.
     */
    @Test
    void aCrashLoopingAppTurnsDegradedWhileItsPageIsOpenAndItsLogIsRead() throws Exception {
        LocalSuite suite = RunningSuite.get();
        String gateway = suite.gatewayUrl();
        String orchestrator = suite.registerOrchestrators(false).get(0).name();
        String namespace = "crash-e2e";
        String app = "crashy";
        signIn(suite);

        deploy(gateway, orchestrator, namespace, app, "nginx:1.27");
        click(By.id("app-link"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#live-status #objects")));
        assertThat(badge("#app-health")).isEqualTo("Healthy");
        assertThat(browser.findElements(By.cssSelector("#objects tr[data-kind='Pod']")))
                .as("the simulated node's Pod of revision 1")
                .hasSize(1);

        // revision 2 crash-loops; the page is not reloaded
        HttpResponse<String> accepted = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(gateway + "/api/deployments"))
                                .header(
                                        "Authorization",
                                        "Bearer " + suite.oidc().accessToken(DevUser.ADMIN))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"orchestrator\":\"" + orchestrator
                                        + "\",\"namespace\":\"" + namespace + "\",\"spec\":{\"name\":\"" + app
                                        + "\",\"image\":\"registry.example.com/crash-loop:2\",\"env\":{\"MODE\":"
                                        + "\"e2e\"},\"secretEnv\":{\"API_KEY\":\"" + SECRET + "\"}}}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(driver -> "Degraded".equals(badge("#app-health")));
        // the section is swapped in as the status changes: read it in one go, not element by element; the old Pod
        // keeps serving while the new one crash-loops, as in a real rolling update
        assertThat(js("return document.getElementById('live-status').dataset.updates;"))
                .as("swapped in by the status stream")
                .isNotNull();
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(driver -> String.valueOf(
                                js("var d = document.querySelector(\"#objects tr[data-kind='Deployment']\");"
                                        + " return d ? d.textContent : '';"))
                        .contains("old replicas pending termination"));
        assertThat(String.valueOf(js("return document.getElementById('app-health').textContent;")))
                .contains("CrashLoopBackOff");
        screenshot("app-degraded");

        // the crash-looping Pod's log, through the API server, the secret value masked
        Object logLink = js("var rows = document.querySelectorAll(\"#objects tr[data-kind='Pod']\");"
                + " for (var i = 0; i < rows.length; i++) { if (rows[i].textContent.indexOf('CrashLoopBackOff') >= 0)"
                + " { return rows[i].querySelector(\"a[id^='log-']\").href; } } return null;");
        assertThat(logLink).as("a crash-looping Pod with a log link").isNotNull();
        browser.get(String.valueOf(logLink));
        WebElement log = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("log")));
        assertThat(log.getText())
                .contains("fatal: cannot reach the database")
                .contains("MODE=e2e")
                .contains("API_KEY=****")
                .doesNotContain(SECRET);

        // follow it: a line the container writes now appears without a reload, masked
        click(By.id("follow-log"));
        wait.until(ExpectedConditions.attributeToBe(By.id("follow-log"), "aria-pressed", "true"));
        String pod = String.valueOf(logLink).replaceAll(".*/pods/([^/]+)/log.*", "$1");
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            // the stream may still be opening: write until a line arrives
            suite.nodeSimulator().appendLog(namespace, pod, app, "retrying with API_KEY=" + SECRET);
            assertThat(String.valueOf(js("return document.getElementById('log').textContent;")))
                    .contains("retrying with API_KEY=****");
        });
        assertThat(String.valueOf(js("return document.getElementById('log').textContent;")))
                .doesNotContain(SECRET);
        screenshot("log");
    }

    /**
     * With the list open, an orchestrator registered through the API appears in it; with its page open, a connection
     * test made through the API shows its result there; deleted, its page says so and the list drops it.
     */
    private void followsOrchestratorChanges(LocalSuite suite) throws Exception {
        String name = "live-added";
        wait.until(d -> js("return document.getElementById('live-orchestrators').dataset.updates;") != null);
        String body = GatewayCalls.JSON
                .createObjectNode()
                .put("name", name)
                .put("type", "K8S")
                .put("environment", "dev")
                .put("apiServerUrl", suite.kube().url())
                .put("authType", "TOKEN")
                .put("token", "not-a-token-this-cluster-knows")
                .put("caCertificatePem", suite.kube().caCertPem())
                .put("defaultNamespace", NAMESPACE)
                .toString();
        HttpResponse<String> created = GatewayCalls.asAdmin(suite, "POST", "/api/orchestrators", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = GatewayCalls.JSON.readTree(created.body()).get("id").asText();
        wait.until(d -> Boolean.TRUE.equals(
                js("return document.querySelector(\"#orchestrators tr[data-name='" + name + "']\") !== null;")));
        assertThat(browser.getPageSource()).doesNotContain("not-a-token-this-cluster-knows");

        browser.get(suite.gatewayUrl() + "/console/orchestrators/" + id);
        wait.until(d -> js("return document.getElementById('live-connection').dataset.updates;") != null);
        assertThat(js("return document.querySelector('#connection .badge').dataset.status;"))
                .isEqualTo("UNKNOWN");
        HttpResponse<String> tested =
                GatewayCalls.asAdmin(suite, "POST", "/api/orchestrators/" + id + "/test-connection");
        assertThat(tested.statusCode()).as(tested.body()).isEqualTo(200);
        wait.until(
                d -> "UNAUTHORIZED".equals(js("return document.querySelector('#connection .badge').dataset.status;")));
        screenshot("orchestrator-live");

        assertThat(GatewayCalls.asAdmin(suite, "DELETE", "/api/orchestrators/" + id)
                        .statusCode())
                .isEqualTo(204);
        wait.until(d -> Boolean.TRUE.equals(js("return document.getElementById('gone') !== null;")));
        browser.get(suite.gatewayUrl() + "/console/orchestrators");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("orchestrators")));
        assertThat(browser.findElements(By.cssSelector("tr[data-name='" + name + "']")))
                .isEmpty();
    }

    private void signIn(LocalSuite suite) {
        // sign in as admin through the issuer's login page; the console comes back to the page asked for
        browser.get(suite.gatewayUrl() + "/console/orchestrators");
        WebElement username = wait.until(ExpectedConditions.presenceOfElementLocated(By.name("username")));
        assertThat(browser.getCurrentUrl()).startsWith(suite.oidc().authorizationEndpoint());
        username.sendKeys("admin");
        username.submit();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Orchestrators"));
        assertThat(browser.findElement(By.id("user")).getText()).isEqualTo("admin");
    }

    /**
     * The data-status of the badge in {@code selector}, or null while there is none; read by script in one go, as the
     * live section may be swapped between two WebDriver calls.
     */
    private String badge(String selector) {
        Object status = js(
                "var badge = document.querySelector(arguments[0] + ' .badge');"
                        + " return badge ? badge.getAttribute('data-status') : null;",
                selector);
        return status == null ? null : String.valueOf(status);
    }

    private void deploy(String gateway, String orchestrator, String namespace, String app, String image) {
        browser.get(gateway + "/console/deployments/new?orchestrator=" + orchestrator);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("deploy-form")));
        assertThat(new Select(browser.findElement(By.id("orchestrator")))
                        .getFirstSelectedOption()
                        .getText())
                .isEqualTo(orchestrator);
        type(By.id("namespace"), namespace);
        type(By.id("spec.name"), app);
        type(By.id("spec.image"), image);
        type(By.id("spec.ports[0].name"), "http");
        type(By.id("spec.ports[0].containerPort"), "8080");
        setValue(By.id("spec.env"), "GREETING=hello\nMODE=console");
        setValue(By.id("spec.secretEnv"), "API_KEY=" + SECRET);
        type(By.id("spec.resources.requests.cpu"), "50m");
        type(By.id("spec.resources.requests.memory"), "64Mi");
        click(By.id("submit-deploy"));
        awaitPhase("SUCCEEDED");
    }

    private void awaitPhase(String phase) {
        new WebDriverWait(browser, Duration.ofSeconds(90)).until(ExpectedConditions.textToBe(By.id("phase"), phase));
    }

    private List<String> phasesShown() {
        return browser.findElements(By.cssSelector("#phases li .phase")).stream()
                .map(WebElement::getText)
                .toList();
    }

    private static String imageOnCluster(LocalSuite suite) {
        return suite.kube().deploymentImage(NAMESPACE, APP);
    }

    private void click(By by) {
        wait.until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    private void type(By by, String text) {
        WebElement field = wait.until(ExpectedConditions.presenceOfElementLocated(by));
        field.clear();
        field.sendKeys(text);
    }

    /** Sets a long value (a token, a PEM) at once instead of typing it key by key. */
    private void setValue(By by, String text) {
        WebElement field = wait.until(ExpectedConditions.presenceOfElementLocated(by));
        js("arguments[0].value = arguments[1];", field, text);
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /** Saves the whole page as docs/screenshots/NAME.png when windlass.screenshots.dir is set. */
    private void screenshot(String name) throws Exception {
        String dir = System.getProperty("windlass.screenshots.dir", System.getenv("WINDLASS_SCREENSHOTS_DIR"));
        if (dir == null || dir.isBlank()) {
            return;
        }
        Dimension before = browser.manage().window().getSize();
        Number height = (Number) js("return document.documentElement.scrollHeight;");
        browser.manage()
                .window()
                .setSize(new Dimension(before.getWidth(), Math.min(Math.max(height.intValue(), 600), 3000)));
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        browser.manage().window().setSize(before);
        Path target = Path.of(dir).resolve(name + ".png");
        Files.createDirectories(target.getParent());
        Files.write(target, png);
    }

    /**
     * What the orchestrator's ServiceAccount may do in its namespace: the deployer's rights as
     * docs/kubernetes-objects.md lists them (bound with a Role, so it may not create namespaces: a warning).
     */
    private static List<PolicyRule> rules() {
        List<String> apply = List.of("get", "list", "watch", "create", "patch", "delete");
        return List.of(
                new PolicyRuleBuilder()
                        .withApiGroups("apps")
                        .withResources("deployments")
                        .withVerbs("get", "list", "watch", "create", "patch", "delete")
                        .build(),
                new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("services", "secrets", "persistentvolumeclaims")
                        .withVerbs(apply)
                        .build(),
                new PolicyRuleBuilder()
                        .withApiGroups("networking.k8s.io")
                        .withResources("networkpolicies", "ingresses")
                        .withVerbs(apply)
                        .build(),
                new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("pods")
                        .withVerbs("get", "list", "watch")
                        .build(),
                new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("pods/log")
                        .withVerbs("get")
                        .build(),
                new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("events")
                        .withVerbs("list")
                        .build(),
                new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("namespaces")
                        .withVerbs("get")
                        .build());
    }
}
