package dev.tillit.keycloak.kyc;

import java.time.Duration;

import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.scheduled.ClusterAwareScheduledTaskRunner;
import org.keycloak.timer.TimerProvider;

import dev.tillit.keycloak.settings.TillitSettings;

/**
 * What happens to KYC data without a user doing anything: a deleted account takes its undecided
 * verifications with it and starts the retention period of its decided ones (in the same
 * transaction as the deletion, see {@link KycRetention}), a deleted realm takes all of its cases,
 * drafts nobody finished are deleted after the realm's "Unfinished verifications kept", and
 * decided cases after their retention period.
 * The sweep runs on one node of the cluster at a time (Keycloak's cluster-aware task runner).
 */
public final class KycHousekeeping {

    private static final Logger LOG = Logger.getLogger(KycHousekeeping.class);
    private static final Duration SWEEP_INTERVAL = Duration.ofHours(1);
    private static final String TASK = "tillit-kyc-sweep";

    private KycHousekeeping() {
    }

    static void register(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof UserModel.UserRemovedEvent removed) {
                new KycRetention(removed.getKeycloakSession())
                        .accountRemoved(removed.getRealm(), removed.getUser().getId(), Time.currentTimeMillis());
            } else if (event instanceof RealmModel.RealmRemovedEvent removed) {
                new KycStore(removed.getKeycloakSession()).deleteAllOfRealm(removed.getRealm().getId());
            }
        });
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            TimerProvider timer = session.getProvider(TimerProvider.class);
            if (timer != null) {
                timer.schedule(new ClusterAwareScheduledTaskRunner(factory, KycHousekeeping::sweep,
                        SWEEP_INTERVAL.toMillis()), SWEEP_INTERVAL.toMillis(), TASK);
            }
        });
    }

    static void sweep(KeycloakSession session) {
        session.realms().getRealmsStream().forEach(realm -> sweep(session, realm));
    }

    /** One realm's sweep: stale drafts, then cases whose retention ended. Also run on a reviewer's request. */
    public static Swept sweep(KeycloakSession session, RealmModel realm) {
        long now = Time.currentTimeMillis();
        int drafts = new KycStore(session).deleteDraftsUntouchedSince(realm.getId(),
                now - TillitSettings.of(realm).kycDraftLifetime().toMillis());
        if (drafts > 0) {
            LOG.infof("Deleted %d unfinished KYC verification(s) of realm %s", drafts, realm.getName());
        }
        return new Swept(drafts, new KycRetention(session).purgeEnded(realm, now));
    }

    /** What one sweep deleted. */
    public record Swept(int drafts, int retentionEnded) {
    }
}
