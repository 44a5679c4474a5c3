package dev.tillit.keycloak.it.support;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.realm.ManagedRealm;

/** Fresh accounts for tests that change them, and the mobile app's password grant. */
public final class TestUsers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestUsers() {
    }

    public static String freshEmail(String prefix) {
        return prefix + "-" + ThreadLocalRandom.current().nextInt(1_000_000_000) + "@tillit.example";
    }

    /** A Swedish mobile number in the +46 76 range, unused by the other tests. */
    public static String freshPhone() {
        return "+46761" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
    }

    /** Creates an enabled account; {@code email} or {@code phone} may be null. Returns its id. */
    public static String create(ManagedRealm realm, String email, String phone, String password) {
        return create(realm, email, phone, password, null);
    }

    /** Creates an enabled account under a chosen username (e.g. an email address it no longer has). */
    public static String createNamed(ManagedRealm realm, String username, String email, String password) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEnabled(true);
        user.setEmail(email);
        user.setEmailVerified(email != null);
        CredentialRepresentation credential = new CredentialRepresentation();
        credential.setType(CredentialRepresentation.PASSWORD);
        credential.setValue(password);
        credential.setTemporary(false);
        user.setCredentials(List.of(credential));
        try (Response response = realm.admin().users().create(user)) {
            if (response.getStatus() != 201) {
                throw new AssertionError("user not created: " + response.getStatus() + " " + response.readEntity(String.class));
            }
            String location = response.getLocation().getPath();
            return location.substring(location.lastIndexOf('/') + 1);
        }
    }

    /** {@code +46761234567} → {@code 0761234567}: how a Swedish user types their own number. */
    public static String national(String e164) {
        return "0" + e164.substring(3);
    }

    /** As {@link #create}, with a TOTP authenticator (Google Authenticator) holding {@code totpSecret} when not null. */
    public static String create(ManagedRealm realm, String email, String phone, String password, String totpSecret) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername("t-" + ThreadLocalRandom.current().nextInt(1_000_000_000));
        user.setEnabled(true);
        user.setEmail(email);
        user.setEmailVerified(email != null);
        Map<String, List<String>> attributes = new HashMap<>();
        if (phone != null) {
            attributes.put("phone_number", List.of(phone));
            attributes.put("phone_number_verified", List.of("true"));
        }
        user.setAttributes(attributes);
        CredentialRepresentation credential = new CredentialRepresentation();
        credential.setType(CredentialRepresentation.PASSWORD);
        credential.setValue(password);
        credential.setTemporary(false);
        if (totpSecret == null) {
            user.setCredentials(List.of(credential));
        } else {
            user.setCredentials(List.of(credential, totpCredential(totpSecret)));
        }
        try (Response response = realm.admin().users().create(user)) {
            if (response.getStatus() != 201) {
                throw new AssertionError("user not created: " + response.getStatus() + " " + response.readEntity(String.class));
            }
            String location = response.getLocation().getPath();
            return location.substring(location.lastIndexOf('/') + 1);
        }
    }

    /** An authenticator app (Google Authenticator: TOTP, SHA-1, 6 digits, 30 s) holding {@code totpSecret}, as the admin API takes it. */
    public static CredentialRepresentation totpCredential(String totpSecret) {
        CredentialRepresentation otp = new CredentialRepresentation();
        otp.setType("otp");
        otp.setUserLabel("Authenticator app");
        otp.setSecretData("{\"value\":\"" + totpSecret + "\"}");
        otp.setCredentialData("{\"subType\":\"totp\",\"digits\":6,\"counter\":0,\"period\":30,\"algorithm\":\"HmacSHA1\"}");
        return otp;
    }

    /** The token endpoint's answer to demo-app's password grant (status and JSON body). */
    public static HttpResponse<String> passwordGrant(ManagedRealm realm, String username, String password) throws Exception {
        return passwordGrant(realm, "demo-app", "openid", username, password);
    }

    /** A password grant by any public client with direct grants enabled, asking for {@code scope}. */
    public static HttpResponse<String> passwordGrant(ManagedRealm realm, String clientId, String scope,
                                                     String username, String password) throws Exception {
        return tokenRequest(realm, "grant_type=password&client_id=" + enc(clientId) + "&scope=" + enc(scope)
                + "&username=" + enc(username) + "&password=" + enc(password));
    }

    /** demo-app's password grant at a realm address of one's choosing (a cluster node's). */
    public static HttpResponse<String> passwordGrant(String realmUrl, String username, String password) throws Exception {
        return tokenRequest(realmUrl, "grant_type=password&client_id=demo-app&scope=openid"
                + "&username=" + enc(username) + "&password=" + enc(password));
    }

    public static HttpResponse<String> refresh(ManagedRealm realm, String refreshToken) throws Exception {
        return tokenRequest(realm, "grant_type=refresh_token&client_id=demo-app&refresh_token=" + enc(refreshToken));
    }

    public static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    /** A request to the realm's token endpoint with this form body. */
    public static HttpResponse<String> tokenRequest(ManagedRealm realm, String form) throws Exception {
        return tokenRequest(realm.getBaseUrl(), form);
    }

    private static HttpResponse<String> tokenRequest(String realmUrl, String form) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(realmUrl + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
