package dev.tillit.keycloak.kyc.vendor;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.scheduled.ClusterAwareScheduledTaskRunner;
import org.keycloak.timer.TimerProvider;

import dev.tillit.keycloak.AfterCommit;
import dev.tillit.keycloak.kyc.KycCaseEntity;
import dev.tillit.keycloak.kyc.KycVerifier;
import dev.tillit.keycloak.kyc.KycVerifierFactory;
import dev.tillit.keycloak.settings.TillitSettings;
import dev.tillit.keycloak.sms.GatewayHttp;

/**
 * {@code sumsub}: Sumsub decides. Owns the HTTP client, the small pool that hands cases over off
 * the users' requests, and the cluster-aware task that retries hand-offs Sumsub did not take
 * (down, an error answer, a node that stopped mid-way): every {@value #SWEEP_SECONDS} seconds one
 * node of the cluster takes up the cases whose next attempt is due (one indexed query).
 */
public class SumsubKycVerifierFactory implements KycVerifierFactory {

    public static final String ID = "sumsub";
    static final int SWEEP_SECONDS = 15;
    private static final int SWEEP_BATCH = 20;
    private static final String TASK = "tillit-kyc-sumsub-retry";
    private static final Logger LOG = Logger.getLogger(SumsubKycVerifierFactory.class);

    private final GatewayHttp http = new GatewayHttp("Sumsub");
    private ExecutorService pool;
    private KeycloakSessionFactory factory;

    @Override
    public KycVerifier create(KeycloakSession session) {
        return new SumsubKycVerifier(session, this);
    }

    @Override
    public void init(Config.Scope config) {
        // Bounded: a burst of submissions queues here instead of opening hundreds of connections.
        pool = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "tillit-kyc-sumsub");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        this.factory = factory;
        long interval = Duration.ofSeconds(SWEEP_SECONDS).toMillis();
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            TimerProvider timer = session.getProvider(TimerProvider.class);
            if (timer != null) {
                timer.schedule(new ClusterAwareScheduledTaskRunner(factory, this::retryDue, interval), interval, TASK);
            }
        });
    }

    /** Hands the case over after {@code session}'s transaction commits; nothing if it rolls back. */
    void handOffAfterCommit(KeycloakSession session, String realmId, String caseId) {
        AfterCommit.run(session, () -> handOff(realmId, caseId)); // rolled back: not submitted after all
    }

    private void handOff(String realmId, String caseId) {
        try {
            pool.execute(() -> {
                try {
                    SumsubHandOff.run(factory, http, realmId, caseId);
                } catch (RuntimeException e) {
                    // The case keeps its due time: the retry task takes it up again.
                    LOG.errorf(e, "KYC case %s: hand-off to Sumsub failed", caseId);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warnf("KYC case %s: the server is stopping; the retry task hands it to Sumsub later", caseId);
        }
    }

    /**
     * Deactivates the applicant at Sumsub after {@code session}'s transaction commits (the cases naming
     * it are deleted). One attempt: a failure is logged with what the operator must do by hand.
     */
    void deactivateAfterCommit(KeycloakSession session, String realmId, String applicantId) {
        AfterCommit.run(session, () -> {
            try {
                pool.execute(() -> deactivate(realmId, applicantId));
            } catch (RejectedExecutionException e) {
                LOG.errorf("Sumsub applicant %s: its cases were deleted while the server stopped; deactivate it at Sumsub by hand"
                        + " (Applicants > Mark as inactive) and ask Sumsub to delete its data", applicantId);
            }
        });
    }

    private void deactivate(String realmId, String applicantId) {
        String[] config = KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> {
            RealmModel realm = s.realms().getRealm(realmId);
            if (realm == null) {
                return null;
            }
            s.getContext().setRealm(realm);
            TillitSettings settings = TillitSettings.of(realm);
            return new String[] {settings.kycSumsubUrl(), SumsubHandOff.secret(s, settings.kycSumsubAppTokenReference()),
                    SumsubHandOff.secret(s, settings.kycSumsubSecretKeyReference())};
        });
        try {
            if (config == null || config[1] == null || config[2] == null) {
                throw new VendorException("the realm or its Sumsub app token and secret key are gone");
            }
            new SumsubApi(http, config[0], config[1], config[2]).deactivate(applicantId);
            LOG.infof("Sumsub applicant %s deactivated: the last case naming it was deleted", applicantId);
        } catch (VendorException | RuntimeException e) {
            LOG.errorf("Sumsub applicant %s was not deactivated although the last case naming it was deleted (%s);"
                    + " deactivate it at Sumsub by hand (Applicants > Mark as inactive) and ask Sumsub to delete its data",
                    applicantId, e.getMessage());
        }
    }

    /** The cluster-aware task: claims the cases due (moving their due time past the lease) and hands each over. */
    void retryDue(KeycloakSession session) {
        var em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        List<String> due = em.createNamedQuery("tillitKycVendorDue", String.class)
                .setParameter("now", System.currentTimeMillis()).setMaxResults(SWEEP_BATCH).getResultList();
        for (String caseId : due) {
            KycCaseEntity c = em.find(KycCaseEntity.class, caseId);
            if (c == null || !ID.equals(c.getVendor())) {
                continue;
            }
            c.setVendorNextAt(System.currentTimeMillis() + SumsubHandOff.LEASE.toMillis());
            handOffAfterCommit(session, c.getRealmId(), caseId);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    @Override
    public String getId() {
        return ID;
    }
}
