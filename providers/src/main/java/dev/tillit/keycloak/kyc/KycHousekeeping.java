package dev.tillit.keycloak.kyc;

import java.time.Duration;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.scheduled.ClusterAwareScheduledTaskRunner;
import org.keycloak.timer.TimerProvider;

import dev.tillit.keycloak.settings.TillitSettings;

/**
 * What happens to KYC data without a user doing anything: a deleted account takes its
 * verification with it (in the same transaction as the deletion), a deleted realm all of its
 * cases, and drafts nobody finished are deleted after the realm's "Unfinished verifications kept".
 * The sweep runs on one node of the cluster at a time (Keycloak's cluster-aware task runner).
 */
final class KycHousekeeping {

    private static final Logger LOG = Logger.getLogger(KycHousekeeping.class);
    private static final Duration SWEEP_INTERVAL = Duration.ofHours(1);
    private static final String TASK = "tillit-kyc-draft-sweep";

    private KycHousekeeping() {
    }

    static void register(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof UserModel.UserRemovedEvent removed) {
                int cases = new KycStore(removed.getKeycloakSession()).deleteAllOf(removed.getRealm().getId(), removed.getUser().getId());
                if (cases > 0) {
                    LOG.debugf("Deleted %d KYC case(s) of removed user %s", cases, removed.getUser().getId());
                }
            } else if (event instanceof RealmModel.RealmRemovedEvent removed) {
                new KycStore(removed.getKeycloakSession()).deleteAllOfRealm(removed.getRealm().getId());
            }
        });
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            TimerProvider timer = session.getProvider(TimerProvider.class);
            if (timer != null) {
                timer.schedule(new ClusterAwareScheduledTaskRunner(factory, KycHousekeeping::sweepDrafts,
                        SWEEP_INTERVAL.toMillis()), SWEEP_INTERVAL.toMillis(), TASK);
            }
        });
    }

    static void sweepDrafts(KeycloakSession session) {
        KycStore store = new KycStore(session);
        session.realms().getRealmsStream().forEach(realm -> {
            long before = System.currentTimeMillis() - TillitSettings.of(realm).kycDraftLifetime().toMillis();
            int deleted = store.deleteDraftsUntouchedSince(realm.getId(), before);
            if (deleted > 0) {
                LOG.infof("Deleted %d unfinished KYC verification(s) of realm %s", deleted, realm.getName());
            }
        });
    }
}
