package dev.tillit.keycloak.kyc.store;

import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.timer.ScheduledTask;

import dev.tillit.keycloak.kyc.KycStatus;
import dev.tillit.keycloak.settings.TillitSettings;

/**
 * Deletes abandoned verifications: drafts (never submitted) untouched for the realm's retention
 * period, with their pictures. Runs hourly on one node of the cluster
 * ({@code ClusterAwareScheduledTaskRunner}); a draft's own user meeting it earlier deletes it too.
 */
public class KycDraftCleanup implements ScheduledTask {

    public static final String NAME = "tillit-kyc-draft-cleanup";
    public static final long INTERVAL_MILLIS = 60L * 60 * 1000;

    private static final Logger LOG = Logger.getLogger(KycDraftCleanup.class);

    @Override
    public void run(KeycloakSession session) {
        KycStore store = KycStore.of(session);
        session.realms().getRealmsStream().forEach(realm -> cleanUp(store, realm));
    }

    private static void cleanUp(KycStore store, RealmModel realm) {
        long before = Time.currentTimeMillis() - TillitSettings.of(realm).kycDraftRetention().toMillis();
        int deleted = store.deleteDraftsUntouchedSince(realm, KycStatus.DRAFT.value(), before);
        if (deleted > 0) {
            LOG.infof("Deleted %d abandoned identity verification(s) in realm %s", deleted, realm.getName());
        }
    }

    @Override
    public String getTaskName() {
        return NAME;
    }
}
