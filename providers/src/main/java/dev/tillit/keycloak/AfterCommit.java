package dev.tillit.keycloak;

import java.util.function.BiConsumer;

import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Work that must happen only once the request's change is committed (a mail, a call to another
 * system): nothing goes out for a change that rolls back, and no slow mail server or vendor holds
 * the request's transaction or its row locks. The job runs after the commit, when the request's
 * session may no longer be used: give it ids and values, not models.
 */
public final class AfterCommit {

    private AfterCommit() {
    }

    /** Runs {@code job} after {@code session}'s transaction commits; nothing when it rolls back. */
    public static void run(KeycloakSession session, Runnable job) {
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                job.run();
            }

            @Override
            protected void rollbackImpl() {
                // Nothing was changed, so there is nothing to tell.
            }
        });
    }

    /**
     * Like {@link #run}, with a session and transaction of the job's own whose context realm is
     * {@code realmId}'s (e.g. to send a mail or write an event): {@code job} gets both.
     */
    public static void inOwnTransaction(KeycloakSession session, String realmId, BiConsumer<KeycloakSession, RealmModel> job) {
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        run(session, () -> KeycloakModelUtils.runJobInTransaction(factory, s -> {
            RealmModel realm = s.realms().getRealm(realmId);
            s.getContext().setRealm(realm);
            job.accept(s, realm);
        }));
    }
}
