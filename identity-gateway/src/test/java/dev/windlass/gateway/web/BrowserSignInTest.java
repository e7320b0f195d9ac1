package dev.windlass.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.gateway.support.TestBackends;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Signing in and out with the authorization code flow in a real headless Chromium (Debian's package). */
@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "kafka", value = "false"))
@WithTestResource(TestBackends.class)
class BrowserSignInTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TestHTTPResource("/")
    URL gateway;

    private Path profile;
    private ChromeDriverService service;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void startBrowser() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no Chromium here: install Debian's chromium and chromium-driver packages to run the sign-in test");
        profile = Files.createTempDirectory("windlass-chromium-");
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
                        "--user-data-dir=" + profile.resolve("profile"));
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
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
    void signsInWithTheCodeFlowAndOutThroughTheProvider() throws Exception {
        String issuer = DevStack.oidc().issuer();

        // a protected page sends the browser to the provider's sign-in page
        browser.get(gateway.toString());
        WebElement username = wait.until(ExpectedConditions.presenceOfElementLocated(By.name("username")));
        assertThat(browser.getCurrentUrl())
                .startsWith(DevStack.oidc().authorizationEndpoint())
                .contains("code_challenge_method=S256");
        assertThat(browser.getCurrentUrl()).contains("scope=openid").contains("offline_access");
        username.sendKeys("deployer");
        username.submit();

        // back on the console, signed in with the right name and roles
        WebElement user = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("user")));
        assertThat(browser.getCurrentUrl()).isEqualTo(gateway.toString());
        assertThat(user.getText()).isEqualTo("deployer");
        assertThat(browser.findElement(By.id("roles")).getText()).isEqualTo("deployer, viewer");

        Cookie session = browser.manage().getCookieNamed("q_session");
        assertThat(session).isNotNull();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.isSecure()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Lax");
        // offline_access brought a refresh token, kept in its own session cookie
        Cookie refresh = browser.manage().getCookieNamed("q_session_rt");
        assertThat(refresh).isNotNull();
        assertThat(refresh.isHttpOnly()).isTrue();

        // the session works for the API, and the services receive the session's access token
        JsonObject me = jsonOf("api/me");
        assertThat(me.getString("name")).isEqualTo("deployer");
        assertThat(me.getJsonArray("roles").getList()).containsExactly("deployer", "viewer");
        JsonObject echo = jsonOf("api/deployments");
        String forwarded = echo.getJsonObject("headers").getString("authorization");
        assertThat(forwarded).startsWith("Bearer ");
        var claims = SignedJWT.parse(forwarded.substring("Bearer ".length())).getJWTClaimsSet();
        assertThat(claims.getStringClaim("preferred_username")).isEqualTo("deployer");
        assertThat(claims.getIssuer()).isEqualTo(issuer);

        // signing out goes through the provider's end-session endpoint and back to the console
        browser.get(gateway.toString());
        wait.until(ExpectedConditions.elementToBeClickable(By.id("logout"))).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("signed-out")));
        assertThat(browser.getCurrentUrl()).startsWith(gateway + "signed-out");
        assertThat(browser.manage().getCookieNamed("q_session")).isNull();

        JsonObject after = jsonOf("api/me");
        assertThat(after.getInteger("status")).isEqualTo(401);
        browser.get(gateway.toString());
        wait.until(ExpectedConditions.presenceOfElementLocated(By.name("username")));
        assertThat(browser.getCurrentUrl()).startsWith(DevStack.oidc().authorizationEndpoint());
    }

    /** Opens a JSON URL of the gateway in the browser (so with its cookies) and parses what it shows. */
    private JsonObject jsonOf(String path) {
        browser.get(gateway + path);
        WebElement body = wait.until(ExpectedConditions.presenceOfElementLocated(By.tagName("body")));
        return new JsonObject(body.getText());
    }
}
