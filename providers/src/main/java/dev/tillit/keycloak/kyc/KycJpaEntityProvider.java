package dev.tillit.keycloak.kyc;

import java.util.List;

import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;

/** Adds the KYC tables to Keycloak's database (Liquibase changelog run by Keycloak at start). */
public class KycJpaEntityProvider implements JpaEntityProvider {

    @Override
    public List<Class<?>> getEntities() {
        return List.of(KycCaseEntity.class, KycDocumentEntity.class);
    }

    @Override
    public String getChangelogLocation() {
        return "META-INF/tillit-kyc-changelog.xml";
    }

    @Override
    public String getFactoryId() {
        return KycJpaEntityProviderFactory.ID;
    }

    @Override
    public void close() {
    }
}
