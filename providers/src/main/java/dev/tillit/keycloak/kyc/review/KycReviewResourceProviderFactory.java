package dev.tillit.keycloak.kyc.review;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code /admin/realms/<realm>/tillit-kyc/...}: the reviewers' API (see {@link KycReviewResource}).
 * Owns the scheduler that delivers decision webhooks off the reviewers' requests.
 */
public class KycReviewResourceProviderFactory implements AdminRealmResourceProviderFactory {

    public static final String ID = "tillit-kyc";
    /** The resource path of the admin event a refused call leaves ({@code tillit-kyc/refused}). */
    public static final String REFUSED_PATH = "refused";

    private ScheduledExecutorService scheduler;
    private DecisionWebhook webhook;

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return new AdminRealmResourceProvider() {
            @Override
            public Object getResource(KeycloakSession s, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
                AdminAuth admin = auth == null ? null : auth.adminAuth();
                java.util.Optional<ReviewerAccess.Refusal> refusal = ReviewerAccess.judge(realm, admin);
                if (refusal.isPresent()) {
                    // Who knocked, from which client, with what level: ids and codes only.
                    adminEvent.operation(OperationType.ACTION).resource(ResourceType.CUSTOM)
                            .resourcePath(ID, REFUSED_PATH).representation(refusal.get().representation()).success();
                    return new RefusedReview(refusal.get());
                }
                return new KycReviewResource(s, realm, admin, adminEvent, webhook);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void init(Config.Scope config) {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "tillit-kyc-webhook");
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        scheduler = pool;
        webhook = new DecisionWebhook(scheduler);
    }

    /** The one webhook publisher of this node, for decisions made elsewhere ({@link VendorDecisions}). */
    DecisionWebhook webhook() {
        return webhook;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Override
    public String getId() {
        return ID;
    }
}
