package dev.tillit.keycloak.phone;

import java.util.List;

import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;

/**
 * Adds no entity, only a Liquibase change set on Keycloak's own {@code USER_ATTRIBUTE} table: an
 * index on {@code (NAME, LOWER(VALUE))}.
 *
 * <p>Why: the admin console's and admin API's user search by attribute ({@code q=phone_number:...},
 * what a support agent types) compares {@code lower(value)}, which Keycloak's own index on
 * {@code (NAME, VALUE)} cannot serve, so PostgreSQL walks every user of the realm (seconds per query
 * at a million users; a known Keycloak gap, keycloak/keycloak#37454). The change set is guarded: it
 * runs on PostgreSQL only, and is marked as run without creating anything when the table already has
 * an index on {@code lower(value)} (e.g. one a later Keycloak adds).
 */
public class PhoneLookupIndex implements JpaEntityProvider {

    /** The index's name, as the change set creates it (the benchmark drops and re-creates it to compare). */
    public static final String INDEX_NAME = "tillit_user_attr_name_lower_value";

    @Override
    public List<Class<?>> getEntities() {
        return List.of();
    }

    @Override
    public String getChangelogLocation() {
        return "META-INF/tillit-phone-changelog.xml";
    }

    @Override
    public String getFactoryId() {
        return PhoneLookupIndexFactory.ID;
    }

    @Override
    public void close() {
    }
}
