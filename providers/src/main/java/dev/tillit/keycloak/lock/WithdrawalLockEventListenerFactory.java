package dev.tillit.keycloak.lock;

import dev.tillit.keycloak.TillitEvents;
import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * Event listener {@code tillit-withdrawal-lock}: enable it on the realm (Realm settings → Events)
 * and every path that changes a password, removes a second factor or changes the email — login
 * pages, account console, the app, the admin API — locks withdrawals.
 */
public class WithdrawalLockEventListenerFactory implements EventListenerProviderFactory {

    public static final String ID = TillitEvents.LISTENER;

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new WithdrawalLockEventListener(session);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
