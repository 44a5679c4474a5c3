package dev.tillit.keycloak.it.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The identity-verification screens ({@code tillit-kyc}) as a user (or an attacker in their browser) meets them. */
public final class KycPages {

    public static final String ACTION = "tillit-kyc";

    private KycPages() {
    }

    /** The step the page is on ({@code country}, {@code front}, ...), from the form's hidden field. */
    public static String step(WebDriver browser) {
        return Browser.waitFor(browser, By.id("tillit-kyc-form")).findElement(By.name("step")).getAttribute("value");
    }

    public static String title(WebDriver browser) {
        return Browser.textOf(browser, By.id("kc-page-title"));
    }

    /** Clicks a button that submits the step's form and waits for the next page. */
    public static void press(WebDriver browser, String buttonId) {
        WebElement button = Browser.waitFor(browser, By.id(buttonId));
        button.click();
        Browser.awaitGone(browser, button, Duration.ofSeconds(20));
    }

    public static void start(WebDriver browser) {
        press(browser, "tillit-kyc-start");
    }

    public static void chooseCountry(WebDriver browser, String code) {
        new Select(Browser.waitFor(browser, By.id("country"))).selectByValue(code);
        press(browser, "tillit-kyc-next");
    }

    /** The values the country list offers. */
    public static java.util.List<String> offeredCountries(WebDriver browser) {
        return new Select(Browser.waitFor(browser, By.id("country"))).getOptions().stream()
                .map(o -> o.getAttribute("value")).filter(v -> !v.isEmpty()).toList();
    }

    /** Posts a country the list does not offer, as a hand-edited form would. */
    public static void forgeCountry(WebDriver browser, String code) {
        ((JavascriptExecutor) browser).executeScript(
                "var s = document.getElementById('country'); var o = document.createElement('option');"
                        + " o.value = arguments[0]; o.text = arguments[0]; s.appendChild(o); s.value = arguments[0];", code);
        press(browser, "tillit-kyc-next");
    }

    public static void answerRegion(WebDriver browser, String value) {
        Browser.waitFor(browser, By.cssSelector("input[name='region'][value='" + value + "']")).click();
        press(browser, "tillit-kyc-next");
    }

    public static void chooseDocument(WebDriver browser, String type, String issuer) {
        new Select(Browser.waitFor(browser, By.id("documentCountry"))).selectByValue(issuer);
        browser.findElement(By.cssSelector("input[name='documentType'][value='" + type + "']")).click();
        press(browser, "tillit-kyc-next");
    }

    public static void enterDetails(WebDriver browser, String name, String birthDate, String street, String postalCode, String city) {
        type(browser, "fullName", name);
        // A date input takes the date as typed in the browser's locale; set it as the form will post it.
        ((JavascriptExecutor) browser).executeScript("document.getElementById('birthDate').value = arguments[0];", birthDate);
        type(browser, "street", street);
        type(browser, "postalCode", postalCode);
        type(browser, "city", city);
        press(browser, "tillit-kyc-next");
    }

    private static void type(WebDriver browser, String id, String value) {
        WebElement field = Browser.waitFor(browser, By.id(id));
        field.clear();
        field.sendKeys(value);
    }

    /** Picks a file on an upload step and waits for the next step's page. */
    public static void upload(WebDriver browser, Path file) {
        WebElement input = browser.findElement(By.id("tillit-kyc-file"));
        input.sendKeys(file.toString());
        Browser.awaitGone(browser, input, Duration.ofSeconds(30));
    }

    /** Picks a file that must be refused; returns the message shown under the file field. */
    public static String uploadRefused(WebDriver browser, Path file) {
        WebElement status = browser.findElement(By.id("tillit-kyc-upload-status"));
        ((JavascriptExecutor) browser).executeScript("arguments[0].textContent = '';", status);
        browser.findElement(By.id("tillit-kyc-file")).sendKeys(file.toString());
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d ->
                status.getAttribute("class").contains("tillit-kyc-error") && !status.getText().isBlank());
        return status.getText();
    }

    /** The upload screen's endpoint and token, as its script reads them. */
    public record UploadTarget(String url, String token) {
    }

    public static UploadTarget uploadTarget(WebDriver browser) {
        WebElement box = browser.findElement(By.cssSelector(".tillit-kyc-upload"));
        return new UploadTarget(box.getAttribute("data-url"), box.getAttribute("data-token"));
    }

    /** The browser's cookies for the server, as a Cookie header. */
    public static String cookies(WebDriver browser) {
        return browser.manage().getCookies().stream().map(c -> c.getName() + "=" + c.getValue()).collect(Collectors.joining("; "));
    }

    /** POSTs bytes to the upload endpoint outside the browser, with the cookie header and token given. */
    public static HttpResponse<String> post(UploadTarget target, String cookies, String token, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.url()))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (cookies != null && !cookies.isEmpty()) {
            request.header("Cookie", cookies);
        }
        if (token != null) {
            request.header("X-Tillit-Upload-Token", token);
        }
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The next upload token an answer carries (after a refusal or a selfie frame), or null. */
    public static String nextToken(HttpResponse<String> answer) throws Exception {
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body());
        return json.hasNonNull("token") ? json.get("token").asText() : null;
    }

    /** Opens "use your phone" and returns the link its QR code holds, read from the picture as a phone camera would. */
    public static String phoneLinkFromQr(WebDriver browser) throws Exception {
        Browser.waitFor(browser, By.cssSelector(".tillit-kyc-phone summary")).click();
        String src = Browser.waitFor(browser, By.id("tillit-kyc-qr")).getAttribute("src");
        byte[] png = java.util.Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1));
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        com.google.zxing.BinaryBitmap bitmap = new com.google.zxing.BinaryBitmap(new com.google.zxing.common.HybridBinarizer(
                new com.google.zxing.client.j2se.BufferedImageLuminanceSource(image)));
        return new com.google.zxing.qrcode.QRCodeReader().decode(bitmap).getText();
    }

    /** The phone page's state: front, back, selfie (a picture is asked for), done, used or expired. */
    public static String phoneState(WebDriver phone) {
        return Browser.waitFor(phone, By.id("tillit-kyc-phone-page")).getAttribute("data-state");
    }

    /** Takes a picture on the phone page and waits for the page to ask for the next one. */
    public static void phoneUpload(WebDriver phone, Path file) {
        String before = phoneState(phone);
        phone.findElement(By.id("tillit-kyc-file")).sendKeys(file.toString());
        new WebDriverWait(phone, Duration.ofSeconds(30)).until(d -> {
            try {
                return !before.equals(d.findElement(By.id("tillit-kyc-phone-page")).getAttribute("data-state"));
            } catch (org.openqa.selenium.WebDriverException reloading) {
                return false;
            }
        });
    }

    /** Waits until the computer's page, following the phone, shows {@code step}. */
    public static void awaitStep(WebDriver browser, String step) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> {
            try {
                return step.equals(d.findElement(By.name("step")).getAttribute("value"));
            } catch (org.openqa.selenium.WebDriverException reloading) {
                return false;
            }
        });
    }

    /** The guided selfie in the browser's camera (straight, left, right), waiting for the next step's page. */
    public static void cameraSelfie(WebDriver browser) {
        WebElement start = Browser.waitFor(browser, By.id("tillit-kyc-camera-start"));
        start.click();
        Browser.awaitGone(browser, start, Duration.ofSeconds(40));
    }
}
