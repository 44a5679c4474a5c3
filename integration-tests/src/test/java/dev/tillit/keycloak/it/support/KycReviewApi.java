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

    /** An access token of {@code username} from demo-app's password grant. */
    public static String token(ManagedRealm realm, String username, String password) throws Exception {
        HttpResponse<String> response = TestUsers.passwordGrant(realm, username, password);
        if (response.statusCode() != 200) {
            throw new AssertionError("password grant: " + response.statusCode() + " " + response.body());
        }
        return TestUsers.json(response).get("access_token").asText();
    }

    /** A fresh account of the realm holding its realm role {@value #ROLE}; returns its id. */
    public static String reviewer(ManagedRealm realm, String email, String password) {
        String id = TestUsers.create(realm, email, null, password);
        realm.admin().users().get(id).roles().realmLevel().add(List.of(realm.admin().roles().get(ROLE).toRepresentation()));
        return id;
    }

    /**
     * Brings a fresh account through the real verification (Chromium, Swedish ID card, three
     * pictures) to a submitted case; {@code locale} is the account's language. Returns the user id.
     */
    public static String submittedCase(ManagedRealm realm, WebDriver browser, String email, String password, String holder,
                                       String locale) throws Exception {
        String id = TestUsers.create(realm, email, null, password);
        UserRepresentation rep = realm.admin().users().get(id).toRepresentation();
        rep.setRequiredActions(List.of(KycPages.ACTION));
        Map<String, List<String>> attributes = rep.getAttributes() == null ? new java.util.HashMap<>() : new java.util.HashMap<>(rep.getAttributes());
        attributes.put("locale", List.of(locale));
        rep.setAttributes(attributes);
        realm.admin().users().get(id).update(rep);
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            SecondFactorPages.signIn(browser, client.authorizationUrl(locale), email, password);
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
        return id;
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
