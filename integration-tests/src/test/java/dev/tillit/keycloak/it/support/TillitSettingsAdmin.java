package dev.tillit.keycloak.it.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.representations.idm.ComponentRepresentation;

/**
 * Reads and changes the realm's "Tillit" settings tab (a component) through the admin REST
 * API, exactly as an admin saving the page in the console would, and puts it back afterwards.
 */
public class TillitSettingsAdmin implements AutoCloseable {

    private static final String PROVIDER_TYPE = "org.keycloak.services.ui.extend.UiTabProvider";

    private final RealmResource realm;
    private final Map<String, List<String>> original;

    public TillitSettingsAdmin(RealmResource realm) {
        this.realm = realm;
        this.original = new HashMap<>(component().getConfig());
    }

    public TillitSettingsAdmin set(String key, String value) {
        ComponentRepresentation c = component();
        c.getConfig().putSingle(key, value);
        realm.components().component(c.getId()).update(c);
        return this;
    }

    /** The SMS gateway as the tests use it: the http provider, bearer secret from the server's vault. */
    public TillitSettingsAdmin httpGateway(SmsSink sink) {
        return set("smsGateway", "http").set("smsUrl", sink.url()).set("sms.auth", "bearer")
                .set("smsSecret", "${vault." + TillitServerConfig.VAULT_SMS_KEY + "}");
    }

    private ComponentRepresentation component() {
        return realm.components().query(null, PROVIDER_TYPE).stream()
                .filter(c -> "tillit-settings".equals(c.getProviderId()))
                .findFirst().orElseThrow(() -> new AssertionError("realm has no Tillit settings component"));
    }

    /**
     * Puts the page back as it was. Keycloak's component update keeps keys the request leaves out,
     * so keys a test added are sent back empty, which removes them.
     */
    @Override
    public void close() {
        ComponentRepresentation c = component();
        MultivaluedHashMap<String, String> restored = new MultivaluedHashMap<>(original);
        for (String key : c.getConfig().keySet()) {
            if (!original.containsKey(key)) {
                restored.put(key, List.of(""));
            }
        }
        c.setConfig(restored);
        realm.components().component(c.getId()).update(c);
        ComponentRepresentation after = component();
        for (String key : after.getConfig().keySet()) {
            if (!original.containsKey(key)) {
                throw new AssertionError("setting " + key + " was not restored: " + after.getConfig().get(key));
            }
        }
    }
}
