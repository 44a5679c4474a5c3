package dev.tillit.keycloak.code;

import java.util.HashMap;
import java.util.Map;

import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Where the engine keeps the state of a pending code (hash, salt, nonce, expiry, binding). A
 * browser step keeps it in its auth session's notes; the password grant has no auth session
 * that outlives the request, so its two-step exchange keeps the same notes in a map that it
 * stores in Keycloak's cluster-wide single-use store under an opaque handle.
 */
public interface CodeNotes {

    String get(String key);

    /** Sets {@code key}; a null value removes it. */
    void set(String key, String value);

    static CodeNotes of(AuthenticationSessionModel authSession) {
        return new CodeNotes() {
            @Override
            public String get(String key) {
                return authSession.getAuthNote(key);
            }

            @Override
            public void set(String key, String value) {
                if (value == null) {
                    authSession.removeAuthNote(key);
                } else {
                    authSession.setAuthNote(key, value);
                }
            }
        };
    }

    /** Notes in a plain map (copied in and out of the single-use store by the caller). */
    static CodeNotes of(Map<String, String> map) {
        return new CodeNotes() {
            @Override
            public String get(String key) {
                return map.get(key);
            }

            @Override
            public void set(String key, String value) {
                if (value == null) {
                    map.remove(key);
                } else {
                    map.put(key, value);
                }
            }
        };
    }

    static Map<String, String> newMap() {
        return new HashMap<>();
    }
}
