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
 * cannot stage, such as many sessions submitting at the same instant. Like the page's script, it
 * solves the bot check's proof-of-work by itself whenever a page is one (in Java, the same hash the
 * worker computes), and sends the sign-in form with the answer to the check that page carries —
 * unless told not to ({@link #solvingBotChecks(boolean)}).
 */
public class HttpLoginFlow {

    /** The bot-check form and its fields, as {@code tillit-bot-check.ftl} writes them. */
    public static final String BOT_CHECK_FORM = "tillit-bot-check-form";
    /** The sign-in form, which carries the bot check on its own page ({@code tillit-sign-in-bot-check.ftl}). */
    public static final String LOGIN_FORM = "kc-form-login";
    private static final String SIGN_IN_CHECK = "id=\"tillit-sign-in-bot-check\"";
    public static final String CHALLENGE = "tillit_challenge";
    public static final String SOLUTION = "tillit_solution";
    private static final Pattern NONCE = Pattern.compile("data-nonce=\"([^\"]+)\"");
    private static final Pattern BITS = Pattern.compile("data-bits=\"(\\d+)\"");
    private static final Pattern CHALLENGE_VALUE = Pattern.compile("name=\"" + CHALLENGE + "\" value=\"([^\"]+)\"");

    /** A proof-of-work challenge as the page carries it. */
    public record BotChallenge(String token, String nonce, int bits) {
        /** The smallest answer, found as the page's worker finds it. */
        public String solve() {
            return HttpLoginFlow.solve(nonce, bits);
        }
    }

    private boolean solveBotChecks = true;

    private static final Pattern FORM = Pattern.compile("<form id=\"([^\"]+)\"[^>]*action=\"([^\"]+)\"");

    private final LocalhostCookies cookies = new LocalhostCookies();
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    /** The same cookies, redirects not followed: to see where Keycloak sends the browser (e.g. to Google). */
    private final HttpClient noRedirects = HttpClient.newBuilder().cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private String page = "";
    private java.net.http.HttpHeaders headers;
    private URI at = URI.create("http://localhost:8080/");

    public String page() {
        return page;
    }

    /** The address of the current page (after redirects), query included. */
    public URI uri() {
        return at;
    }

    /** The headers of the answer that is the current page. */
    public java.net.http.HttpHeaders headers() {
        return headers;
    }

    /** Whether pages that are a bot check get solved and sent on by themselves (default: yes). */
    public HttpLoginFlow solvingBotChecks(boolean solve) {
        this.solveBotChecks = solve;
        return this;
    }

    public boolean onBotCheck() {
        return page.contains("id=\"" + BOT_CHECK_FORM + "\"");
    }

    /** Whether the page is the sign-in form carrying the bot check beside it. */
    public boolean onSignInWithBotCheck() {
        return page.contains("id=\"" + LOGIN_FORM + "\"") && page.contains(SIGN_IN_CHECK);
    }

    /**
     * The fields to post to {@code formId}: for the sign-in form with a proof-of-work beside it, and
     * this flow solving checks, the challenge and its answer added as the page's script adds them.
     */
    public java.util.Map<String, String> withSignInAnswer(String formId, java.util.Map<String, String> fields) {
        if (!solveBotChecks || !LOGIN_FORM.equals(formId) || !onSignInWithBotCheck() || !NONCE.matcher(page).find()
                || fields.containsKey(SOLUTION)) {
            return fields;
        }
        BotChallenge challenge = botChallenge();
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>(fields);
        all.put(CHALLENGE, challenge.token());
        all.put(SOLUTION, challenge.solve());
        return all;
    }

    /** The challenge on the current page (a proof-of-work bot check). */
    public BotChallenge botChallenge() {
        Matcher nonce = NONCE.matcher(page);
        Matcher bits = BITS.matcher(page);
        Matcher token = CHALLENGE_VALUE.matcher(page);
        if (!nonce.find() || !bits.find() || !token.find()) {
            throw new AssertionError("no proof-of-work challenge on: " + page);
        }
        return new BotChallenge(unescape(token.group(1)), nonce.group(1), Integer.parseInt(bits.group(1)));
    }

    /** Sends the bot-check form with this challenge and answer; the answer becomes the page. */
    public HttpLoginFlow answerBotCheck(String challenge, String solution) throws Exception {
        HttpResponse<String> response = postBotCheck(challenge, solution);
        at = response.uri();
        page = response.body();
        headers = response.headers();
        return afterLoad();
    }

    /** The same, leaving the page as it was (to fire several at once). */
    public HttpResponse<String> postBotCheck(String challenge, String solution) throws Exception {
        return postForm(BOT_CHECK_FORM, java.util.Map.of(CHALLENGE, challenge, SOLUTION, solution));
    }

    /** Posts several fields to the form with id {@code formId}, leaving the page as it was. */
    public HttpResponse<String> postForm(String formId, java.util.Map<String, String> fields) throws Exception {
        return postFormTo(action(formId), withSignInAnswer(formId, fields));
    }

    /** The address the form with id {@code formId} posts to. */
    public String formAction(String formId) {
        return at.resolve(action(formId)).toString();
    }

    /** Posts several fields to any address of this session (a forged request), leaving the page as it was. */
    public HttpResponse<String> postFormTo(String url, java.util.Map<String, String> fields) throws Exception {
        String body = fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(java.util.stream.Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(at.resolve(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts raw bytes with these headers to any address of this session (e.g. a KYC picture), leaving the page as it was. */
    public HttpResponse<String> postBytes(String url, java.util.Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(at.resolve(url)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts the fields to the form, and the answer becomes the page. */
    public HttpLoginFlow submitForm(String formId, java.util.Map<String, String> fields) throws Exception {
        HttpResponse<String> response = postForm(formId, fields);
        at = response.uri();
        page = response.body();
        headers = response.headers();
        return afterLoad();
    }

    /** Makes an answer got by {@link #postForm} the page, as if it had been submitted. */
    public HttpLoginFlow load(HttpResponse<String> response) throws Exception {
        at = response.uri();
        page = response.body();
        headers = response.headers();
        return afterLoad();
    }

    private HttpLoginFlow afterLoad() throws Exception {
        if (solveBotChecks && onBotCheck() && NONCE.matcher(page).find()) {
            BotChallenge challenge = botChallenge();
            return answerBotCheck(challenge.token(), challenge.solve());
        }
        return this;
    }

    /** n such that SHA-256(nonce + ":" + n) starts with {@code bits} zero bits, as the page's worker finds it. */
    public static String solve(String nonce, int bits) {
        try {
            java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
            for (long n = 0; ; n++) {
                byte[] digest = sha256.digest((nonce + ":" + n).getBytes(StandardCharsets.US_ASCII));
                int zeros = 0;
                for (byte b : digest) {
                    if (b == 0) {
                        zeros += 8;
                        continue;
                    }
                    zeros += Integer.numberOfLeadingZeros(b & 0xff) - 24;
                    break;
                }
                if (zeros >= bits) {
                    return Long.toString(n);
                }
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A GET in this session that does not follow a redirect; the page stays as it was. */
    public HttpResponse<String> getWithoutRedirect(String url) throws Exception {
        return noRedirects.send(HttpRequest.newBuilder(at.resolve(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The address of the first link whose address contains {@code part} (unescaped). */
    public String link(String part) {
        Matcher m = Pattern.compile("href=\"([^\"]*" + Pattern.quote(part) + "[^\"]*)\"").matcher(page);
        if (!m.find()) {
            throw new AssertionError("no link to " + part + " on: " + page);
        }
        return unescape(m.group(1));
    }

    public HttpLoginFlow get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(at.resolve(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        at = response.uri();
        page = response.body();
        headers = response.headers();
        return afterLoad();
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
        headers = response.headers();
        return afterLoad();
    }

    /** The same submission, leaving the page as it was (to fire many at once). */
    public HttpResponse<String> post(String formId, String name, String value) throws Exception {
        String action = action(formId);
        StringBuilder body = new StringBuilder(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        withSignInAnswer(formId, java.util.Map.of()).forEach((field, answer) ->
                body.append('&').append(field).append('=').append(URLEncoder.encode(answer, StandardCharsets.UTF_8)));
        return http.send(HttpRequest.newBuilder(at.resolve(action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
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
