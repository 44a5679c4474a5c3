import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load driver for ./load-bench.sh: real HTTP against a running Keycloak, one scenario at a time, so
 * that stock Keycloak's flows and Tillit's are measured in one invocation on one server.
 *
 * <p>A browser login is the whole authorization-code flow with PKCE, as a browser and a web app do it:
 * GET the authorization endpoint (login page, cookies), POST the login form (Tillit: with the answer to
 * the proof-of-work the page carries beside the form, solved here as the page's worker would), follow Keycloak's redirects to the
 * client's redirect URI, and POST the code with its verifier to the token endpoint. A direct grant is one
 * POST to the token endpoint. Each login uses a random seeded user; a login counts only if it ends with an
 * access token. Only JDK classes, so it runs as {@code java bench/LoadDriver.java}.
 *
 * <p>Usage: {@code java bench/LoadDriver.java <realm url> <users> <clients> <seconds> <warm-up seconds>
 * <overload clients> <overload seconds>}; users are {@code bench-NNNNNN} / {@code bench-NNNNNN@bench.example}
 * / {@code +46738NNNNNN} with password {@code Bench-Passw0rd!}, clients {@code bench-stock} (bound to
 * Keycloak's built-in browser and direct grant flows) and {@code bench-tillit} (the realm's Tillit flows).
 */
public class LoadDriver {

    static final String PASSWORD = "Bench-Passw0rd!";
    static final String REDIRECT = "http://127.0.0.1:3999/cb";
    static final Pattern FORM = Pattern.compile("<form id=\"([^\"]+)\"[^>]*action=\"([^\"]+)\"");
    static final Pattern NONCE = Pattern.compile("data-nonce=\"([^\"]+)\"");
    static final Pattern BITS = Pattern.compile("data-bits=\"(\\d+)\"");
    static final Pattern CHALLENGE = Pattern.compile("name=\"tillit_challenge\" value=\"([^\"]+)\"");

    final String realm;
    final int users;
    final HttpClient http;

    LoadDriver(String realm, int users, Duration timeout) {
        this.realm = realm;
        this.users = users;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout)
                .executor(Executors.newFixedThreadPool(4)).build();
    }

    enum Identifier { EMAIL, PHONE }

    record Scenario(String name, String client, boolean browser, Identifier identifier) {
    }

    static String user(int i) {
        return String.format(Locale.ROOT, "bench-%06d", i);
    }

    String identifier(int i, Identifier kind) {
        return kind == Identifier.EMAIL ? user(i) + "@bench.example"
                // as people type it: national spelling, the realm's default region (SE)
                : String.format(Locale.ROOT, "073-8%02d %02d %02d", i / 10000 % 100, i / 100 % 100, i % 100);
    }

    /** One login; returns normally only if it ended with an access token. */
    void login(Scenario s, int i, Duration timeout) throws Exception {
        if (!s.browser()) {
            HttpResponse<String> token = post(realm + "/protocol/openid-connect/token", Map.of(
                    "grant_type", "password", "client_id", s.client(), "scope", "openid",
                    "username", identifier(i, s.identifier()), "password", PASSWORD), Map.of(), timeout);
            expectToken(token);
            return;
        }
        Map<String, String> cookies = new LinkedHashMap<>();
        String verifier = random(32);
        String state = random(12);
        String auth = realm + "/protocol/openid-connect/auth?response_type=code&scope=openid&client_id=" + s.client()
                + "&redirect_uri=" + enc(REDIRECT) + "&state=" + state
                + "&code_challenge_method=S256&code_challenge=" + challenge(verifier);
        HttpResponse<String> page = get(auth, cookies, timeout);
        if (page.statusCode() != 200) {
            throw new IllegalStateException("login page: HTTP " + page.statusCode());
        }
        Map<String, String> credentials = new LinkedHashMap<>();
        credentials.put("username", identifier(i, s.identifier()));
        credentials.put("password", PASSWORD);
        if (page.body().contains("id=\"tillit-sign-in-bot-check\"") && NONCE.matcher(page.body()).find()) {
            // Tillit's sign-in page carries the proof-of-work beside the form: solved here as its worker would.
            credentials.put("tillit_challenge", group(CHALLENGE, page.body()).replace("&amp;", "&"));
            credentials.put("tillit_solution", solve(group(NONCE, page.body()), Integer.parseInt(group(BITS, page.body()))));
        }
        HttpResponse<String> answer = post(action(page, "kc-form-login"), credentials, cookies, timeout);
        for (int hop = 0; hop < 6; hop++) {
            if (answer.statusCode() == 200 && answer.body().contains("id=\"tillit-bot-check-form\"")) {
                answer = post(action(answer, "tillit-bot-check-form"),
                        Map.of("tillit_challenge", group(CHALLENGE, answer.body()).replace("&amp;", "&"),
                                "tillit_solution", solve(group(NONCE, answer.body()), Integer.parseInt(group(BITS, answer.body())))),
                        cookies, timeout);
            } else if (answer.statusCode() == 302 || answer.statusCode() == 303) {
                String location = answer.headers().firstValue("Location").orElseThrow();
                if (location.startsWith(REDIRECT)) {
                    Map<String, String> query = query(URI.create(location).getRawQuery());
                    if (!state.equals(query.get("state")) || query.get("code") == null) {
                        throw new IllegalStateException("redirect without code: " + location);
                    }
                    expectToken(post(realm + "/protocol/openid-connect/token", Map.of("grant_type", "authorization_code",
                            "client_id", s.client(), "code", query.get("code"), "redirect_uri", REDIRECT,
                            "code_verifier", verifier), Map.of(), timeout));
                    return;
                }
                answer = get(location, cookies, timeout);
            } else {
                throw new IllegalStateException("unexpected answer: HTTP " + answer.statusCode() + " " + message(answer.body()));
            }
        }
        throw new IllegalStateException("no code after 6 steps");
    }

    static final Pattern MESSAGE = Pattern.compile("(?:id=\"input-error[^\"]*\"|class=\"[^\"]*alert__title[^\"]*\"|<title)[^>]*>\\s*([^<]+)");

    /** What the page says (its error or alert, else its title), for the error summary. */
    static String message(String page) {
        Matcher m = MESSAGE.matcher(page);
        return m.find() ? m.group(1).strip() : page.substring(0, Math.min(200, page.length()));
    }

    static void expectToken(HttpResponse<String> token) {
        if (token.statusCode() != 200 || !token.body().contains("\"access_token\"")) {
            throw new IllegalStateException("token endpoint: HTTP " + token.statusCode() + " " + token.body());
        }
    }

    HttpResponse<String> get(String url, Map<String, String> cookies, Duration timeout) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET();
        return send(b, cookies);
    }

    HttpResponse<String> post(String url, Map<String, String> form, Map<String, String> cookies, Duration timeout) throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=').append(enc(v)));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        return send(b, cookies);
    }

    /** A browser's cookie jar for one login, reduced to name=value (one host, paths all under /realms). */
    HttpResponse<String> send(HttpRequest.Builder b, Map<String, String> cookies) throws Exception {
        if (!cookies.isEmpty()) {
            StringBuilder c = new StringBuilder();
            cookies.forEach((k, v) -> c.append(c.length() == 0 ? "" : "; ").append(k).append('=').append(v));
            b.header("Cookie", c.toString());
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 503) {
            throw new Overloaded();
        }
        for (String set : r.headers().allValues("Set-Cookie")) {
            String pair = set.split(";", 2)[0];
            int eq = pair.indexOf('=');
            String value = pair.substring(eq + 1);
            if (value.isEmpty() || set.toLowerCase(Locale.ROOT).contains("max-age=0")) {
                cookies.remove(pair.substring(0, eq));
            } else {
                cookies.put(pair.substring(0, eq), value);
            }
        }
        return r;
    }

    static final class Overloaded extends RuntimeException {
        Overloaded() {
            super("HTTP 503", null, false, false);
        }
    }

    static String action(HttpResponse<String> page, String formId) {
        Matcher m = FORM.matcher(page.body());
        while (m.find()) {
            if (m.group(1).equals(formId)) {
                return page.uri().resolve(m.group(2).replace("&amp;", "&")).toString();
            }
        }
        throw new IllegalStateException("no form " + formId + " on the page (HTTP " + page.statusCode() + "): "
                + page.body().substring(0, Math.min(400, page.body().length())));
    }

    static String group(Pattern p, String s) {
        Matcher m = p.matcher(s);
        if (!m.find()) {
            throw new IllegalStateException("no " + p + " on the page");
        }
        return m.group(1);
    }

    /** n such that SHA-256(nonce + ":" + n) starts with {@code bits} zero bits, as the page's worker finds it. */
    static String solve(String nonce, int bits) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        for (long n = 0; ; n++) {
            byte[] d = sha256.digest((nonce + ":" + n).getBytes(StandardCharsets.US_ASCII));
            int zeros = 0;
            for (byte x : d) {
                if (x == 0) {
                    zeros += 8;
                    continue;
                }
                zeros += Integer.numberOfLeadingZeros(x & 0xff) - 24;
                break;
            }
            if (zeros >= bits) {
                return Long.toString(n);
            }
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String p : raw == null ? new String[0] : raw.split("&")) {
            String[] kv = p.split("=", 2);
            m.put(kv[0], kv.length > 1 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return m;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static final SecureRandom RANDOM = new SecureRandom();

    static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String challenge(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    /** What one scenario's timed phase measured. */
    record Result(Scenario scenario, int clients, double seconds, long ok, long overloaded, long failed,
                  double[] millis, Map<String, Integer> errors) {
        double perSecond() {
            return ok / seconds;
        }

        double pct(double p) {
            if (millis.length == 0) {
                return Double.NaN;
            }
            return millis[Math.min(millis.length - 1, (int) Math.ceil(p / 100 * millis.length) - 1)];
        }

        String row() {
            return String.format(Locale.ROOT, "%-34s %4d %9.2f %8.0f %8.0f %8.0f %7d %6d %6d", scenario.name(), clients,
                    perSecond(), pct(50), pct(95), pct(99), ok, overloaded, failed);
        }
    }

    /** {@code clients} workers log in back to back for {@code seconds} (after a warm-up that is not counted). */
    Result run(Scenario s, int clients, int seconds, int warmup, Duration timeout) throws Exception {
        AtomicBoolean counting = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        LongAdder ok = new LongAdder();
        LongAdder overloaded = new LongAdder();
        LongAdder failed = new LongAdder();
        List<Double> samples = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<String, Integer> errors = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            int worker = c;
            pool.submit(() -> {
                while (!stop.get()) {
                    // Each worker has its own users: two logins of one account at the same instant would
                    // look like a guessing attack to Keycloak's brute-force detection (user_temporarily_disabled).
                    int i = worker + clients * ThreadLocalRandom.current().nextInt(Math.max(1, users / clients));
                    boolean measured = counting.get();
                    long start = System.nanoTime();
                    try {
                        login(s, i, timeout);
                        if (measured && counting.get()) {
                            ok.increment();
                            samples.add((System.nanoTime() - start) / 1e6);
                        }
                    } catch (Overloaded e) {
                        if (measured && counting.get()) {
                            overloaded.increment();
                        }
                        try {
                            // A person (or an app) told "try again" waits a moment; 300 clients retrying at
                            // once in a loop would measure how fast the server says 503, not how it serves.
                            Thread.sleep(1000);
                        } catch (InterruptedException ie) {
                            return;
                        }
                    } catch (Exception e) {
                        if (e instanceof java.net.ConnectException) {
                            try {
                                Thread.sleep(200); // the server is gone or refusing: do not spin
                            } catch (InterruptedException ie) {
                                return;
                            }
                        }
                        if (measured && counting.get()) {
                            failed.increment();
                            String key = e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage());
                            errors.merge(key.substring(0, Math.min(160, key.length())), 1, Integer::sum);
                        }
                    }
                }
            });
        }
        Thread.sleep(warmup * 1000L);
        counting.set(true);
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        counting.set(false);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        stop.set(true);
        pool.shutdown();
        pool.awaitTermination(timeout.toSeconds() + 30, java.util.concurrent.TimeUnit.SECONDS);
        double[] millis;
        synchronized (samples) {
            millis = samples.stream().mapToDouble(Double::doubleValue).toArray();
        }
        Arrays.sort(millis);
        return new Result(s, clients, elapsed, ok.sum(), overloaded.sum(), failed.sum(), millis, errors);
    }

    static String header() {
        return String.format(Locale.ROOT, "%-34s %4s %9s %8s %8s %8s %7s %6s %6s", "scenario", "cli", "logins/s",
                "p50 ms", "p95 ms", "p99 ms", "ok", "503", "failed");
    }

    public static void main(String[] args) throws Exception {
        String realm = args[0];
        int users = Integer.parseInt(args[1]);
        int clients = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        int overloadClients = Integer.parseInt(args[5]);
        int overloadSeconds = Integer.parseInt(args[6]);
        // The top accounts are witnesses (load-bench.sh gave the first half an SMS second factor);
        // no timed run and no overload client ever signs them in.
        int witnesses = args.length > 7 ? Integer.parseInt(args[7]) : 0;
        SmsInbox inbox = args.length > 9 ? SmsInbox.start(Integer.parseInt(args[8]), java.nio.file.Path.of(args[9])) : null;
        Duration timeout = Duration.ofSeconds(30);
        LoadDriver d = new LoadDriver(realm, users - 2 * witnesses, timeout);

        Scenario stockBrowser = new Scenario("stock browser (email)", "bench-stock", true, Identifier.EMAIL);
        Scenario tillitBrowser = new Scenario("tillit browser (email)", "bench-tillit", true, Identifier.EMAIL);
        Scenario tillitBrowserPhone = new Scenario("tillit browser (phone)", "bench-tillit", true, Identifier.PHONE);
        Scenario stockGrant = new Scenario("stock direct grant (email)", "bench-stock", false, Identifier.EMAIL);
        Scenario tillitGrant = new Scenario("tillit direct grant (email)", "bench-tillit", false, Identifier.EMAIL);
        Scenario tillitGrantPhone = new Scenario("tillit direct grant (phone)", "bench-tillit", false, Identifier.PHONE);

        // Each scenario once, to check it works end to end before anything is timed.
        for (Scenario s : List.of(stockBrowser, tillitBrowser, tillitBrowserPhone, stockGrant, tillitGrant, tillitGrantPhone)) {
            d.login(s, 0, timeout);
        }
        // Stock, Tillit, Tillit, stock (ABBA): a drift in the machine's load weighs on both alike.
        List<Result> results = new ArrayList<>();
        for (Scenario s : List.of(stockBrowser, tillitBrowser, tillitBrowser, stockBrowser, tillitBrowserPhone,
                stockGrant, tillitGrant, tillitGrant, stockGrant, tillitGrantPhone)) {
            Result r = d.run(s, clients, seconds, warmup, timeout);
            System.out.println(header());
            System.out.println(r.row() + "   (load average " + loadAverage() + ")");
            r.errors().forEach((k, v) -> System.out.println("    " + v + " x " + k));
            if (r.ok() == 0) {
                System.out.println("no login succeeded: stopping the benchmark");
                System.exit(2);
            }
            results.add(r);
        }
        System.out.println();
        System.out.println("=== Tillit load benchmark: " + realm + ", " + users + " users, " + clients + " clients, "
                + seconds + " s per run after " + warmup + " s warm-up, " + Runtime.getRuntime().availableProcessors()
                + " cores ===");
        System.out.println(header());
        results.forEach(r -> System.out.println(r.row()));
        System.out.println(ratio("browser flow, tillit/stock logins/s", results, stockBrowser, tillitBrowser));
        System.out.println(ratio("direct grant, tillit/stock logins/s", results, stockGrant, tillitGrant));

        if (overloadClients > 0) {
            System.out.println();
            System.out.println("=== Overload: " + overloadClients + " clients for " + overloadSeconds + " s (Tillit browser flow);"
                    + " meanwhile " + witnesses + " sign-ins with an SMS code, then " + witnesses + " password resets by the admin ===");
            ExecutorService background = Executors.newSingleThreadExecutor();
            java.util.concurrent.Future<Result> overload = background.submit(
                    () -> d.run(tillitBrowser, overloadClients, overloadSeconds, 0, timeout));
            Thread.sleep(overloadSeconds * 1000L / 4); // the queue is full by now
            int codeFrom = users - 2 * witnesses;
            Map<Integer, CodeSignIn> codes = inbox == null ? Map.of() : d.codeWitnesses(inbox, codeFrom, codeFrom + witnesses, timeout);
            Map<Integer, String> resets = d.resetWitnesses(users - witnesses, users, timeout);
            Result over = overload.get();
            background.shutdown();
            System.out.println(header());
            System.out.println(over.row() + "   (load average " + loadAverage() + ")");
            over.errors().forEach((k, v) -> System.out.println("    " + v + " x " + k));
            // Afterwards, with the server calm again: every scenario still works for users picked at random.
            Thread.sleep(5000);
            int checked = 0;
            List<String> broken = new ArrayList<>();
            for (int k = 0; k < 60; k++) {
                int i = ThreadLocalRandom.current().nextInt(users - 2 * witnesses);
                Scenario s = List.of(stockBrowser, tillitBrowser, tillitBrowserPhone, stockGrant, tillitGrant, tillitGrantPhone).get(k % 6);
                try {
                    d.login(s, i, timeout);
                    checked++;
                } catch (Exception e) {
                    broken.add(s.name() + " " + user(i) + ": " + e.getMessage());
                }
            }
            System.out.println("after the overload: " + checked + " of 60 logins (random users, every scenario) succeeded"
                    + (broken.isEmpty() ? "" : "; failed: " + broken));
            List<String> lostCodes = d.finishCodeWitnesses(inbox, codes, timeout);
            Map<String, Long> codeOutcomes = new java.util.TreeMap<>();
            codes.values().forEach(c -> codeOutcomes.merge(c.outcome, 1L, Long::sum));
            System.out.println("sign-ins with an SMS code started during the overload: " + codeOutcomes + "; every code sent"
                    + " was delivered and signed its account in: " + (lostCodes.isEmpty() ? "yes" : "NO, " + lostCodes));
            List<String> inconsistent = d.checkWitnesses(resets, timeout);
            Map<String, Long> outcomes = new java.util.TreeMap<>();
            resets.values().forEach(o -> outcomes.merge(o, 1L, Long::sum));
            System.out.println("password resets made during the overload: " + outcomes + "; each account's password and"
                    + " withdrawal lock agree with its answer: " + (inconsistent.isEmpty() ? "all " + resets.size()
                    : "NO, " + inconsistent));
            if (!broken.isEmpty() || !inconsistent.isEmpty() || !lostCodes.isEmpty()) {
                System.exit(3);
            }
        }
        System.exit(0); // the HTTP client's threads would keep the JVM alive
    }

    /** One witness's sign-in with an SMS code: where it got to during the overload. */
    static final class CodeSignIn {
        String outcome;
        String mfaToken;
        String code;

        CodeSignIn(String outcome) {
            this.outcome = outcome;
        }
    }

    static String e164(int i) {
        return String.format(Locale.ROOT, "+46738%06d", i);
    }

    /** A token request, again after a 503 (up to 10 times, pausing as an app would). */
    HttpResponse<String> tokenRetrying(Map<String, String> form, Duration timeout) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return post(realm + "/protocol/openid-connect/token", form, Map.of(), timeout);
            } catch (Overloaded e) {
                if (attempt == 10) {
                    throw e;
                }
                Thread.sleep(500L * attempt);
            }
        }
    }

    static final Pattern MFA_TOKEN = Pattern.compile("\"mfa_token\":\"([^\"]+)\"");

    /**
     * Users [from, to) have an SMS second factor: each signs in with the app's two-step password grant
     * while the server is overloaded — password, the code from the SMS, then tokens. Outcomes:
     * {@code signed in}, {@code refused} (the first call never got through: nothing was sent),
     * {@code code pending} (the code came, its call did not get through yet: finished afterwards),
     * or what went wrong.
     */
    Map<Integer, CodeSignIn> codeWitnesses(SmsInbox inbox, int from, int to, Duration timeout) throws Exception {
        Map<Integer, CodeSignIn> out = new LinkedHashMap<>();
        for (int i = from; i < to; i++) {
            Map<String, String> form = new LinkedHashMap<>(Map.of("grant_type", "password", "client_id", "bench-tillit",
                    "scope", "openid", "username", identifier(i, Identifier.PHONE), "password", PASSWORD));
            HttpResponse<String> first;
            try {
                first = tokenRetrying(form, timeout);
            } catch (Overloaded e) {
                out.put(i, new CodeSignIn("refused"));
                continue;
            } catch (java.io.IOException e) {
                out.put(i, new CodeSignIn("first call timed out"));
                continue;
            }
            Matcher token = MFA_TOKEN.matcher(first.body());
            if (first.statusCode() != 400 || !first.body().contains("mfa_required") || !token.find()) {
                out.put(i, new CodeSignIn("no mfa_required: HTTP " + first.statusCode() + " " + first.body()));
                continue;
            }
            CodeSignIn signIn = new CodeSignIn("code pending");
            signIn.mfaToken = token.group(1);
            signIn.code = inbox.await(e164(i), Duration.ofSeconds(60));
            out.put(i, signIn);
            if (signIn.code == null) {
                signIn.outcome = "code not delivered";
                continue;
            }
            form.put("mfa_token", signIn.mfaToken);
            form.put("mfa_code", signIn.code);
            try {
                HttpResponse<String> second = tokenRetrying(form, timeout);
                signIn.outcome = second.statusCode() == 200 && second.body().contains("\"access_token\"") ? "signed in"
                        : "code refused: HTTP " + second.statusCode() + " " + second.body();
            } catch (Overloaded | java.io.IOException e) {
                // still "code pending": tried again once the server is calm
            }
        }
        return out;
    }

    /** After the overload: pending codes must still sign in; returns every witness that did not end signed in or cleanly refused. */
    List<String> finishCodeWitnesses(SmsInbox inbox, Map<Integer, CodeSignIn> codes, Duration timeout) throws Exception {
        List<String> lost = new ArrayList<>();
        for (Map.Entry<Integer, CodeSignIn> e : codes.entrySet()) {
            int i = e.getKey();
            CodeSignIn c = e.getValue();
            if (c.outcome.equals("code pending")) {
                HttpResponse<String> second = tokenRetrying(Map.of("grant_type", "password", "client_id", "bench-tillit",
                        "scope", "openid", "username", identifier(i, Identifier.PHONE), "password", PASSWORD,
                        "mfa_token", c.mfaToken, "mfa_code", c.code), timeout);
                c.outcome = second.statusCode() == 200 && second.body().contains("\"access_token\"") ? "signed in after the overload"
                        : "code refused after the overload: HTTP " + second.statusCode() + " " + second.body();
            }
            boolean fine = c.outcome.startsWith("signed in") || (c.outcome.equals("refused") && inbox.count(e164(i)) == 0);
            if (!fine) {
                lost.add(user(i) + ": " + c.outcome);
            }
        }
        return lost;
    }

    /** The realm's SMS gateway during the benchmark: the http provider's JSON posts, over HTTPS, kept per number. */
    static final class SmsInbox {
        static final Pattern TO = Pattern.compile("\"to\"\\s*:\\s*\"([^\"]+)\"");
        static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");
        final Map<String, List<String>> texts = new ConcurrentHashMap<>();

        static SmsInbox start(int port, java.nio.file.Path keystore) throws Exception {
            java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
            try (var in = java.nio.file.Files.newInputStream(keystore)) {
                keys.load(in, "bench-sms".toCharArray());
            }
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "bench-sms".toCharArray());
            javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            com.sun.net.httpserver.HttpsServer server = com.sun.net.httpserver.HttpsServer.create(
                    new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 0);
            server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
            SmsInbox inbox = new SmsInbox();
            server.createContext("/sms", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Matcher to = TO.matcher(body);
                if (to.find()) {
                    inbox.texts.computeIfAbsent(to.group(1), k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(body);
                }
                byte[] reply = "{\"id\":\"bench\"}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, reply.length);
                exchange.getResponseBody().write(reply);
                exchange.close();
            });
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
            return inbox;
        }

        int count(String phone) {
            return texts.getOrDefault(phone, List.of()).size();
        }

        /** The code of the newest SMS to {@code phone}, waiting up to {@code wait} for one. */
        String await(String phone, Duration wait) throws InterruptedException {
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                List<String> got = texts.getOrDefault(phone, List.of());
                if (!got.isEmpty()) {
                    Matcher code = CODE.matcher(got.get(got.size() - 1));
                    if (code.find()) {
                        return code.group(1);
                    }
                }
                Thread.sleep(100);
            }
            return null;
        }
    }

    static final String NEW_PASSWORD = "Witness-Passw0rd?";

    String base() {
        return realm.substring(0, realm.indexOf("/realms/"));
    }

    /** The seeded user's id, as load-bench.sh made it: md5('lb' || i) read as a UUID. */
    static String userId(int i) throws Exception {
        String h = java.util.HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(("lb" + i).getBytes(StandardCharsets.US_ASCII)));
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20) + "-" + h.substring(20);
    }

    /** An admin request as an operator's script makes it: a fresh token, and again after a 503 (up to 10 times). */
    HttpResponse<String> admin(String method, String path, String json, Duration timeout) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> token = post(base() + "/realms/master/protocol/openid-connect/token", Map.of(
                        "grant_type", "password", "client_id", "admin-cli", "username", "admin", "password", "admin"), Map.of(), timeout);
                String access = group(Pattern.compile("\"access_token\":\"([^\"]+)\""), token.body());
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + "/admin/realms/tillit" + path)).timeout(timeout)
                        .header("Authorization", "Bearer " + access).header("Content-Type", "application/json")
                        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
                return send(b, new LinkedHashMap<>());
            } catch (Overloaded e) {
                if (attempt == 10) {
                    throw e;
                }
                Thread.sleep(200L * attempt);
            }
        }
    }

    /**
     * The admin resets the passwords of users [from, to) while the server is overloaded; each reset must
     * lock withdrawals too. Returns each user's answer: {@code done} (204), {@code refused} (503 after
     * retries), or {@code unknown} (timed out: the server may or may not have done it).
     */
    Map<Integer, String> resetWitnesses(int from, int to, Duration timeout) throws Exception {
        Map<Integer, String> outcome = new LinkedHashMap<>();
        for (int i = from; i < to; i++) {
            try {
                HttpResponse<String> r = admin("PUT", "/users/" + userId(i) + "/reset-password",
                        "{\"type\":\"password\",\"value\":\"" + NEW_PASSWORD + "\",\"temporary\":false}", timeout);
                outcome.put(i, r.statusCode() == 204 ? "done" : "HTTP " + r.statusCode());
            } catch (Overloaded e) {
                outcome.put(i, "refused");
            } catch (java.io.IOException e) {
                outcome.put(i, "unknown");
            }
        }
        return outcome;
    }

    /**
     * After the overload: a reset that answered 204 changed the password and locked withdrawals; one
     * refused changed neither; one that timed out did both or neither. Anything else is an inconsistency.
     */
    List<String> checkWitnesses(Map<Integer, String> resets, Duration timeout) throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<Integer, String> e : resets.entrySet()) {
            int i = e.getKey();
            HttpResponse<String> user = admin("GET", "/users/" + userId(i), null, timeout);
            boolean locked = user.body().contains("\"withdrawal_locked_until\"");
            boolean newWorks = grant(i, NEW_PASSWORD, timeout);
            boolean oldWorks = grant(i, PASSWORD, timeout);
            boolean changed = locked && newWorks && !oldWorks;
            boolean unchanged = !locked && oldWorks && !newWorks;
            boolean fine = switch (e.getValue()) {
                case "done" -> changed;
                case "refused" -> unchanged;
                default -> changed || unchanged;
            };
            if (!fine) {
                wrong.add(user(i) + " (" + e.getValue() + "): locked=" + locked + " new password=" + newWorks + " old password=" + oldWorks);
            }
        }
        return wrong;
    }

    boolean grant(int i, String password, Duration timeout) throws Exception {
        HttpResponse<String> token = post(realm + "/protocol/openid-connect/token", Map.of("grant_type", "password",
                "client_id", "bench-stock", "username", user(i), "password", password), Map.of(), timeout);
        return token.statusCode() == 200 && token.body().contains("\"access_token\"");
    }

    static String ratio(String label, List<Result> results, Scenario stock, Scenario tillit) {
        double s = results.stream().filter(r -> r.scenario() == stock).mapToDouble(Result::perSecond).average().orElse(Double.NaN);
        double t = results.stream().filter(r -> r.scenario() == tillit).mapToDouble(Result::perSecond).average().orElse(Double.NaN);
        return String.format(Locale.ROOT, "%s: %.2f / %.2f = %.1f %%", label, t, s, 100 * t / s);
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ", 4)[0];
        } catch (Exception e) {
            return "?";
        }
    }
}
