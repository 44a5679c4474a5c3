package dev.tillit.keycloak.kyc;

import java.util.List;

import org.jboss.logging.Logger;
import org.keycloak.common.ClientConnection;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.settings.TillitSettings;

/**
 * What anti-money-laundering rules ask of a verification when its account goes. A decided case is
 * the evidence of who the customer was: it is kept, pictures and all, for the realm's retention
 * period after the account closes, then deleted. A case nobody decided is evidence of nothing and
 * is deleted with the account. Every deletion is a user event carrying the (gone) account's id, so
 * an auditor can tell when and why a customer's documents went.
 */
public final class KycRetention {

    private static final Logger LOG = Logger.getLogger(KycRetention.class);

    private final KeycloakSession session;
    private final KycStore store;

    public KycRetention(KeycloakSession session) {
        this.session = session;
        this.store = new KycStore(session);
    }

    /** In the account deletion's transaction: undecided cases go now, decided ones start their retention period. */
    void accountRemoved(RealmModel realm, String userId, long now) {
        List<String> undecided = store.undecidedIdsOf(realm.getId(), userId);
        KycVerifiers.deleted(session, realm, store.byIds(undecided));
        store.delete(undecided);
        undecided.forEach(caseId -> audit(realm, userId, caseId, TillitEvents.KYC_CASE_PURGED, TillitEvents.KYC_PURGE_UNDECIDED));
        for (KycCaseEntity c : store.decidedOf(realm.getId(), userId)) {
            c.setAccountClosedAt(now);
            audit(realm, userId, c.getId(), TillitEvents.KYC_CASE_RETAINED, null);
        }
    }

    /** Deletes the realm's cases whose retention period ended before {@code now}; returns how many. */
    public int purgeEnded(RealmModel realm, long now) {
        long closedBefore = now - TillitSettings.of(realm).kycRetention().toMillis();
        int purged = 0;
        List<KycCaseEntity> batch;
        do {
            batch = store.closedBefore(realm.getId(), closedBefore);
            KycVerifiers.deleted(session, realm, batch);
            store.delete(batch.stream().map(KycCaseEntity::getId).toList());
            for (KycCaseEntity c : batch) {
                audit(realm, c.getUserId(), c.getId(), TillitEvents.KYC_CASE_PURGED, TillitEvents.KYC_PURGE_RETENTION_ENDED);
            }
            purged += batch.size();
        } while (!batch.isEmpty());
        if (purged > 0) {
            LOG.infof("Deleted %d KYC verification(s) of realm %s whose retention period ended", purged, realm.getName());
        }
        return purged;
    }

    private void audit(RealmModel realm, String userId, String caseId, String what, String reason) {
        // No connection when the scheduled task runs: the event then has no address.
        ClientConnection connection = session.getContext().getConnection();
        EventBuilder event = connection == null ? new EventBuilder(realm, session) : new EventBuilder(realm, session, connection);
        event.event(EventType.CUSTOM_REQUIRED_ACTION).user(userId)
                .detail(Details.CUSTOM_REQUIRED_ACTION, KycRequiredActionFactory.ID)
                .detail(TillitEvents.DETAIL, what)
                .detail(TillitEvents.KYC_CASE, caseId);
        if (reason != null) {
            event.detail(Details.REASON, reason);
        }
        event.success();
    }
}
