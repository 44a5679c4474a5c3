package dev.tillit.keycloak.it.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.realm.ManagedRealm;
import org.openqa.selenium.WebDriver;

/**
 * The reviewers' admin API ({@code /admin/realms/<realm>/tillit-kyc/...}) as a reviewer's tool
 * calls it with a bearer token, and the quickest real way to a case waiting for review.
 */
public final class KycReviewApi {

    public static final String ROLE = "kyc-reviewer";
    /** The reviewers' page's client, the one client whose tokens the review API serves unless the operator lists more. */
    public static final String PAGE_CLIENT = "tillit-kyc-review";
    /** Keycloak's authenticator-app step ({@code login-otp.ftl}). */
    public static final String OTP_FORM = "kc-otp-login-form";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String base;
    private final String token;

    /** {@code token} may be null: the request then carries no Authorization header. */
    public KycReviewApi(String serverUrl, String realmName, String token) {
        this.base = serverUrl + "/admin/realms/" + realmName + "/tillit-kyc";
        this.token = token;
    }

    public static KycReviewApi of(ManagedRealm realm, String token) {
        String url = realm.getBaseUrl();
        return new KycReviewApi(url.substring(0, url.indexOf("/realms/")), realm.getName(), token);
    }

    public HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> getText(String path) throws Exception {
        return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public JsonNode getJson(String path) throws Exception {
        HttpResponse<String> response = getText(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    public HttpResponse<String> post(String path, Map<String, Object> body) throws Exception {
        return HTTP.send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    /**
     * A reviewer's access token as the reviewers' page gets it: client {@value #PAGE_CLIENT} (authorization code
     * with PKCE, {@code acr_values=2}), the sign-in form with its bot check, then the code of the authenticator app
     * {@link #reviewer} gave the account. The token says acr 2.
     */
    public static String token(ManagedRealm realm, String email, String password) throws Exception {
        return pageToken(realm, email, password, totpSecret(email));
    }

    /**
     * An access token of the reviewers' page for any account: {@code totpSecret} answers the authenticator-app
     * step the sign-in asks of an account that has one; null for an account without a second factor (its token
     * then says acr 1).
     */
    public static String pageToken(ManagedRealm realm, String email, String password, String totpSecret) throws Exception {
        return pageToken(realm.getBaseUrl(), email, password, totpSecret);
    }

    /** As {@link #pageToken(ManagedRealm, String, String, String)}, from the realm at {@code realmUrl} (e.g. a cluster node's). */
    public static String pageToken(String realmUrl, String email, String password, String totpSecret) throws Exception {
        String page = realmUrl + "/tillit-kyc-review/";
        String verifier = Pkce.verifier();
        HttpLoginFlow flow = new HttpLoginFlow().get(realmUrl + "/protocol/openid-connect/auth?response_type=code"
                + "&scope=openid&client_id=" + PAGE_CLIENT + "&redirect_uri=" + enc(page) + "&state=review"
                + "&code_challenge_method=S256&code_challenge=" + Pkce.challenge(verifier) + "&acr_values=2");
        flow.submitForm(HttpLoginFlow.LOGIN_FORM, Map.of("username", email, "password", password));
        if (totpSecret != null) {
            flow.submitForm(OTP_FORM, Map.of("otp", Totp.unused(totpSecret)));
        }
        String query = flow.uri().getRawQuery();
        java.util.regex.Matcher code = java.util.regex.Pattern.compile("(?:^|&)code=([^&]+)").matcher(query == null ? "" : query);
        if (!flow.uri().toString().startsWith(page) || !code.find()) {
            throw new AssertionError("the reviewers' sign-in did not come back with a code: " + flow.uri() + "\n" + flow.page());
        }
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(realmUrl + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&client_id=" + PAGE_CLIENT
                        + "&code=" + code.group(1) + "&redirect_uri=" + enc(page) + "&code_verifier=" + verifier))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("token endpoint: " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body()).get("access_token").asText();
    }

    /** An access token of {@code username} from demo-app's password grant (the customers' app), one factor. */
    public static String appToken(ManagedRealm realm, String username, String password) throws Exception {
        HttpResponse<String> response = TestUsers.passwordGrant(realm, username, password);
        if (response.statusCode() != 200) {
            throw new AssertionError("password grant: " + response.statusCode() + " " + response.body());
        }
        return TestUsers.json(response).get("access_token").asText();
    }

    /** The secret of the authenticator app {@link #reviewer} gives the account {@code email}. */
    public static String totpSecret(String email) {
        return "TillitReviewer-" + email;
    }

    /**
     * A fresh account of the realm holding its realm role {@value #ROLE}, with an authenticator app
     * ({@link #totpSecret}): reviewers sign in with a second factor. Returns its id.
     */
    public static String reviewer(ManagedRealm realm, String email, String password) {
        String id = TestUsers.create(realm, email, null, password, totpSecret(email));
        grantReviewerRole(realm, id);
        return id;
    }

    /** Gives an existing account the realm role {@value #ROLE}. */
    public static void grantReviewerRole(ManagedRealm realm, String userId) {
        realm.admin().users().get(userId).roles().realmLevel().add(List.of(realm.admin().roles().get(ROLE).toRepresentation()));
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Brings a fresh account through the real verification (Chromium, Swedish ID card, three
     * pictures) to a submitted case; {@code locale} is the account's language. Returns the user id.
     */
    public static String submittedCase(ManagedRealm realm, WebDriver browser, String email, String password, String holder,
                                       String locale) throws Exception {
        String id = TestUsers.create(realm, email, null, password);
        submitCase(realm, browser, id, email, password, null, holder, locale);
        return id;
    }

    /**
     * Brings the existing account {@code userId} through the real verification to a submitted case, as
     * {@link #submittedCase}; {@code totpSecret} answers the sign-in's authenticator-app step (null: the account
     * has no second factor).
     */
    public static void submitCase(ManagedRealm realm, WebDriver browser, String userId, String email, String password,
                                  String totpSecret, String holder, String locale) throws Exception {
        UserRepresentation rep = realm.admin().users().get(userId).toRepresentation();
        rep.setRequiredActions(List.of(KycPages.ACTION));
        Map<String, List<String>> attributes = rep.getAttributes() == null ? new java.util.HashMap<>() : new java.util.HashMap<>(rep.getAttributes());
        attributes.put("locale", List.of(locale));
        rep.setAttributes(attributes);
        realm.admin().users().get(userId).update(rep);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(locale), email, password);
            if (totpSecret != null) {
                Browser.waitFor(browser, org.openqa.selenium.By.id("otp")).sendKeys(Totp.unused(totpSecret));
                browser.findElement(org.openqa.selenium.By.id("kc-login")).click();
            }
            KycPages.start(browser);
            KycPages.chooseCountry(browser, "SE");
            KycPages.chooseDocument(browser, "id_card", "SE");
            KycPages.enterDetails(browser, holder, "1990-01-01", "Storgatan 1", "111 22", "Stockholm");
            KycPages.upload(browser, IdImages.front(holder));
            KycPages.upload(browser, IdImages.back());
            KycPages.upload(browser, IdImages.selfie());
            KycPages.press(browser, "tillit-kyc-submit");
            KycPages.press(browser, "tillit-kyc-continue");
            client.awaitTokens();
        }
    }

    /** The decision columns of a case as stored (change set tillit-kyc-2). */
    public static Map<String, String> decisionColumns(String caseId) throws Exception {
        try (Connection db = DriverManager.getConnection(System.getProperty("kc.test.database.url"), "postgres", "postgres");
             PreparedStatement q = db.prepareStatement("select status, level_granted, decision_reasons, resubmit_kinds, decided_by"
                     + " from tillit_kyc_case where id = ?")) {
            q.setString(1, caseId);
            try (ResultSet r = q.executeQuery()) {
                if (!r.next()) {
                    throw new AssertionError("no case " + caseId);
                }
                Map<String, String> out = new java.util.HashMap<>();
                out.put("status", r.getString(1));
                out.put("level_granted", r.getString(2));
                out.put("decision_reasons", r.getString(3));
                out.put("resubmit_kinds", r.getString(4));
                out.put("decided_by", r.getString(5));
                return out;
            }
        }
    }
}
