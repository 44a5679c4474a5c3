package dev.tillit.keycloak.it.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.realm.ManagedRealm;

/** phone_number is unique and E.164 whoever writes it: here the admin REST API, through the user profile. */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class PhoneNumberUniquenessIT {

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @ParameterizedTest
    @CsvSource({
            "+46701234567, tillitPhoneTaken",     // the demo user's number
            "070-123 45 67, tillitPhoneInvalid",  // not normalised
            "+4681234567, tillitPhoneNotMobile"   // a Stockholm landline
    })
    void adminCannotStoreATakenOrMalformedNumber(String number, String error) {
        try (Response response = realm.admin().users().create(user("uniq-" + error.toLowerCase(), number))) {
            String body = response.readEntity(String.class);
            assertTrue(response.getStatus() == 400 || response.getStatus() == 409, response.getStatus() + " " + body);
            assertTrue(body.contains(error), body);
        }
        assertEquals(1, realm.admin().users().searchByAttributes("phone_number:+46701234567").size());
    }

    @Test
    void aFreeNumberIsAccepted() {
        try (Response response = realm.admin().users().create(user("uniq-free", "+46709876543"))) {
            assertEquals(201, response.getStatus(), response.readEntity(String.class));
        }
        realm.admin().users().searchByAttributes("phone_number:+46709876543")
                .forEach(u -> realm.admin().users().delete(u.getId()).close());
    }

    private static UserRepresentation user(String username, String number) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEnabled(true);
        user.setAttributes(Map.of("phone_number", List.of(number)));
        return user;
    }
}
