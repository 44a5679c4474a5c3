package dev.tillit.keycloak.kyc;

import java.time.Duration;
import java.util.List;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * {@code /realms/<realm>/tillit-kyc/...}: picture uploads of the verification; also starts KYC housekeeping.
 * Holds this node's {@link PictureCheckSlots}, sized by the server options
 * {@code --spi-realm-restapi-extension--tillit-kyc--picture-checks} (default: the node's cores) and
 * {@code --spi-realm-restapi-extension--tillit-kyc--decode-seconds} (CPU seconds, default 3).
 */
public class KycUploadResourceFactory implements RealmResourceProviderFactory {

    public static final String ID = "tillit-kyc";
    static final String PICTURE_CHECKS = "picture-checks";
    static final String DECODE_SECONDS = "decode-seconds";
    /** CPU seconds: a check of the costliest accepted picture takes under a second of CPU (docs/benchmarks.md). */
    static final int DEFAULT_DECODE_SECONDS = 3;

    private PictureCheckSlots slots;

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new KycUploadResource(session, slots);
    }

    @Override
    public void init(Config.Scope config) {
        // One check per core: a check is CPU-bound, and more at once would only slow sign-ins beside them.
        int checks = config.getInt(PICTURE_CHECKS, Runtime.getRuntime().availableProcessors());
        int seconds = config.getInt(DECODE_SECONDS, DEFAULT_DECODE_SECONDS);
        slots = new PictureCheckSlots(Math.max(1, checks), Duration.ofSeconds(Math.max(1, seconds)));
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(PICTURE_CHECKS).type("int")
                .helpText("Pictures this node checks at once; more uploads at the same moment are answered 503 with Retry-After."
                        + " Default: the number of cores.").add()
                .property().name(DECODE_SECONDS).type("int")
                .helpText("Most CPU time one picture may take to decode; it is then refused as too costly. Default: "
                        + DEFAULT_DECODE_SECONDS + ".").add()
                .build();
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        KycHousekeeping.register(factory);
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}
