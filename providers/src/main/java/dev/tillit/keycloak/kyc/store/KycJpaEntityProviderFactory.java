package dev.tillit.keycloak.kyc.store;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.services.scheduled.ClusterAwareScheduledTaskRunner;
import org.keycloak.timer.TimerProvider;

/**
 * Adds the KYC entities and their Liquibase changelog to Keycloak's own database (the only JPA
 * entities of the pack: everything else lives in Keycloak's stores). Also removes a user's KYC
 * data when the user is deleted, and a realm's when the realm is: the provider events come inside
 * the transaction that deletes the user, so both go or neither. Abandoned drafts are removed by
 * {@link KycDraftCleanup} every hour.
 */
public class KycJpaEntityProviderFactory implements JpaEntityProviderFactory, JpaEntityProvider {

    public static final String ID = "tillit-kyc";
    public static final String CHANGELOG = "META-INF/tillit-kyc-changelog.xml";

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        // Stateless: Keycloak's Quarkus build also calls this with a null session to collect the entities.
        return this;
    }

    @Override
    public List<Class<?>> getEntities() {
        return List.of(KycCaseEntity.class, KycDocumentEntity.class);
    }

    @Override
    public String getChangelogLocation() {
        return CHANGELOG;
    }

    @Override
    public String getFactoryId() {
        return ID;
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
        factory.register(event -> {
            if (event instanceof UserModel.UserRemovedEvent removed) {
                KycStore.of(removed.getKeycloakSession()).deleteUserData(removed.getRealm(), removed.getUser().getId());
            } else if (event instanceof RealmModel.RealmRemovedEvent removed) {
                KycStore.of(removed.getKeycloakSession()).deleteRealmData(removed.getRealm());
            } else if (event instanceof PostMigrationEvent) {
                // The database is up to date only now: schedule the hourly removal of abandoned drafts.
                KeycloakModelUtils.runJobInTransaction(factory, session -> session.getProvider(TimerProvider.class)
                        .schedule(new ClusterAwareScheduledTaskRunner(factory, new KycDraftCleanup(), KycDraftCleanup.INTERVAL_MILLIS),
                                KycDraftCleanup.INTERVAL_MILLIS));
            }
        });
    }

    @Override
    public void close() {
    }
}
