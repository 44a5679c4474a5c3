package dev.tillit.keycloak.it.support;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser session reduced to HTTP (own cookie jar, follows redirects): for attacks a browser
 * cannot stage, such as many sessions submitting at the same instant.
 */
public class HttpLoginFlow {

    private static final Pattern FORM = Pattern.compile("<form id=\"([^\"]+)\"[^>]*action=\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new LocalhostCookies())
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private String page = "";
    private URI at = URI.create("http://localhost:8080/");

    public String page() {
        return page;
    }

    public HttpLoginFlow get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(at.resolve(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        at = response.uri();
        page = response.body();
        return this;
    }

    /** Follows the first link whose address contains {@code part}. */
    public HttpLoginFlow follow(String part) throws Exception {
        Matcher m = Pattern.compile("href=\"([^\"]*" + Pattern.quote(part) + "[^\"]*)\"").matcher(page);
        if (!m.find()) {
            throw new AssertionError("no link to " + part + " on: " + page);
        }
        return get(unescape(m.group(1)));
    }

    /** Submits the form with id {@code formId}, e.g. {@code "code=123456"}; the answer becomes the page. */
    public HttpLoginFlow submit(String formId, String name, String value) throws Exception {
        HttpResponse<String> response = post(formId, name, value);
        at = response.uri();
        page = response.body();
        return this;
    }

    /** The same submission, leaving the page as it was (to fire many at once). */
    public HttpResponse<String> post(String formId, String name, String value) throws Exception {
        String action = action(formId);
        return http.send(HttpRequest.newBuilder(at.resolve(action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Submits the form with id {@code formId} with all its hidden fields (e.g. a provider's auto-posting form). */
    public HttpLoginFlow submitHidden(String formId) throws Exception {
        Matcher inputs = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"").matcher(page);
        StringBuilder body = new StringBuilder();
        while (inputs.find()) {
            String value = inputs.group(2).replace("&quot;", "\"").replace("&lt;", "<").replace("&amp;", "&");
            body.append(body.length() == 0 ? "" : "&").append(inputs.group(1)).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(at.resolve(action(formId)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        at = response.uri();
        page = response.body();
        return this;
    }

    private String action(String formId) {
        Matcher m = FORM.matcher(page);
        while (m.find()) {
            if (m.group(1).equals(formId)) {
                return unescape(m.group(2));
            }
        }
        throw new AssertionError("no form " + formId + " on: " + page);
    }

    /**
     * Keycloak marks its cookies Secure, which browsers honour on http://localhost as well; Java's
     * CookieManager would withhold them over plain HTTP, so this jar sends them as a browser would.
     */
    private static final class LocalhostCookies extends java.net.CookieHandler {

        private final CookieManager manager = new CookieManager(null, java.net.CookiePolicy.ACCEPT_ALL);

        @Override
        public java.util.Map<String, java.util.List<String>> get(URI uri, java.util.Map<String, java.util.List<String>> headers) {
            String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
            // getCookies(), not get(uri): the store's lookup by URI also withholds Secure cookies over HTTP.
            String cookies = manager.getCookieStore().getCookies().stream()
                    .filter(c -> c.getDomain() == null || java.net.HttpCookie.domainMatches(c.getDomain(), uri.getHost())
                            || c.getDomain().equalsIgnoreCase(uri.getHost()))
                    .filter(c -> c.getPath() == null || path.startsWith(c.getPath()))
                    .map(c -> c.getName() + "=" + c.getValue())
                    .collect(java.util.stream.Collectors.joining("; "));
            return cookies.isEmpty() ? java.util.Map.of() : java.util.Map.of("Cookie", java.util.List.of(cookies));
        }

        @Override
        public void put(URI uri, java.util.Map<String, java.util.List<String>> headers) throws java.io.IOException {
            manager.put(uri, headers);
        }
    }

    private static String unescape(String html) {
        return html.replace("&amp;", "&");
    }
}
