package dev.tillit.keycloak.it.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.phone.PhoneLookupIndex;
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

    /**
     * The admin search by attribute ({@code q=phone_number:...}) compares {@code lower(value)}; the JAR's
     * change set adds an index PostgreSQL can use for it (without one it reads every user of the realm).
     * The planner is told not to scan sequentially, so the plan names an index only if one fits the query.
     */
    @Test
    void theAdminSearchByPhoneHasAnIndexOnLowerValue() throws Exception {
        try (Connection db = DriverManager.getConnection(System.getProperty("kc.test.database.url"), "postgres", "postgres");
             Statement sql = db.createStatement()) {
            String definition;
            try (ResultSet rows = sql.executeQuery("SELECT indexdef FROM pg_indexes WHERE indexname = '" + PhoneLookupIndex.INDEX_NAME + "'")) {
                assertTrue(rows.next(), "the index was not created by the JAR's change set");
                definition = rows.getString(1);
            }
            assertTrue(definition.contains("(name, lower((value)::text))"), definition);

            sql.execute("SET enable_seqscan = off");
            List<String> plan = new ArrayList<>();
            try (ResultSet rows = sql.executeQuery("EXPLAIN SELECT user_id FROM user_attribute "
                    + "WHERE name = 'phone_number' AND lower(value) = lower('+46701234567')")) {
                while (rows.next()) {
                    plan.add(rows.getString(1));
                }
            }
            assertTrue(String.join("\n", plan).contains(PhoneLookupIndex.INDEX_NAME), String.join("\n", plan));
        }
        assertEquals(1, realm.admin().users().searchByAttributes("phone_number:+46701234567").size());
    }

    private static UserRepresentation user(String username, String number) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEnabled(true);
        user.setAttributes(Map.of("phone_number", List.of(number)));
        return user;
    }
}
