package dev.tillit.keycloak.settings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import dev.tillit.keycloak.ServerMode;
import dev.tillit.keycloak.sms.SmsSender;
import org.jboss.logging.Logger;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ConfiguredProvider;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.services.ui.extend.UiTabProvider;
import org.keycloak.services.ui.extend.UiTabProviderFactory;

/**
 * The "Tillit" tab under Realm settings in the admin console (Keycloak's admin-UI extension SPI,
 * server feature {@code declarative-ui}): one form per realm, stored as one component of type
 * {@code UiTabProvider} with the provider id {@value #ID}, read by {@link TillitSettings}. Its fields
 * come from {@link TillitSetting} (every setting declared there once) plus the options each
 * installed SMS gateway declares, and two read-only status lines this factory keeps up to date.
 */
public class TillitSettingsTabFactory implements UiTabProviderFactory<ComponentModel> {

    public static final String ID = "tillit-settings";

    /** The tab's address: {@code #/<realm>/realm-settings/tillit}. */
    public static final String TAB = "tillit";

    private static final Logger LOG = Logger.getLogger(TillitSettingsTabFactory.class);

    /** Route parameters the admin console copies into the config on save; they are not settings. */
    private static final Set<String> ROUTE_PARAMETERS = Set.of("realm", "tab");

    /** Fixed at start-up: the installed SMS gateways and the options they declare. */
    private volatile Set<String> gateways = new TreeSet<>(Set.of("console"));
    private volatile List<ProviderConfigProperty> gatewayOptions = List.of();
    private volatile List<ProviderConfigProperty> properties = buildProperties(gateways, gatewayOptions);

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getHelpText() {
        return "Tillit: one-time codes and their limits, SMS gateway, phone numbers, withdrawal lock, legal documents.";
    }

    @Override
    public String getPath() {
        return "/:realm/realm-settings/:tab";
    }

    @Override
    public Map<String, String> getParams() {
        return Map.of("tab", TAB);
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return properties;
    }

    /** The installed SMS gateways (ids of our SmsSender SPI's factories), sorted. */
    public Set<String> gateways() {
        return gateways;
    }

    static List<ProviderConfigProperty> buildProperties(Set<String> gateways, List<ProviderConfigProperty> gatewayOptions) {
        List<ProviderConfigProperty> all = new ArrayList<>(TillitStatus.properties());
        for (TillitSetting.Group group : TillitSetting.Group.values()) {
            for (TillitSetting setting : TillitSetting.values()) {
                if (setting.group() != group) {
                    continue;
                }
                ProviderConfigProperty property = setting.property();
                if (setting.kind() == TillitSetting.Kind.GATEWAY) {
                    property.setOptions(new ArrayList<>(gateways));
                }
                all.add(property);
            }
            if (group == TillitSetting.Group.SMS) {
                all.addAll(gatewayOptions);
            }
        }
        return List.copyOf(all);
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        boolean others = realm.getComponentsStream(realm.getId(), model.getProviderType())
                .anyMatch(c -> ID.equals(c.getProviderId()) && !c.getId().equals(model.getId()));
        if (others) {
            throw refused("This realm already has Tillit settings: edit those (Realm settings > Tillit) instead.");
        }
        ROUTE_PARAMETERS.forEach(model.getConfig()::remove);

        boolean development = ServerMode.isDevelopment();
        List<String> problems = problems(model, new TillitSetting.Context(development, gateways), gatewayOptions);
        if (!problems.isEmpty()) {
            throw refused("Tillit settings not saved: " + String.join(" ", problems));
        }
        TillitStatus.write(model, realm, development, gateways);
    }

    /** Every refused value, each message naming the setting and what it allows. */
    static List<String> problems(ComponentModel model, TillitSetting.Context context, List<ProviderConfigProperty> gatewayOptions) {
        List<String> problems = new ArrayList<>();
        for (TillitSetting setting : TillitSetting.values()) {
            String problem = setting.problem(model.get(setting.key()), context);
            if (problem != null) {
                problems.add(problem);
            }
        }
        for (ProviderConfigProperty option : gatewayOptions) {
            String value = model.get(option.getName());
            if (option.isSecret() && value != null && !value.isBlank() && !context.developmentMode()
                    && !TillitSetting.isVaultReference(value)) {
                problems.add("\"" + option.getLabel() + "\" (" + option.getName() + ") must be a vault reference such as"
                        + " ${vault.name}: plain secrets are accepted only in development mode (start-dev).");
            }
        }
        return problems;
    }

    /**
     * Keycloak formats the message with {@link java.text.MessageFormat} before answering the admin
     * console, so the text travels as the parameter: braces (${vault...}) and quotes survive.
     */
    static ComponentValidationException refused(String message) {
        return new ComponentValidationException("{0}", message);
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // The tab lists the gateways actually installed and shows each one's own options, so a
        // gateway's settings are declared once, by its factory.
        Set<String> installed = new TreeSet<>();
        Map<String, ProviderConfigProperty> options = new LinkedHashMap<>();
        factory.getProviderFactoriesStream(SmsSender.class)
                .sorted(Comparator.comparing(ProviderFactory::getId))
                .forEach(gateway -> {
                    installed.add(gateway.getId());
                    if (gateway instanceof ConfiguredProvider configured) {
                        configured.getConfigProperties().forEach(option ->
                                options.putIfAbsent(option.getName(), prefixed(gateway.getId(), option)));
                    }
                });
        gateways = installed;
        gatewayOptions = List.copyOf(options.values());
        properties = buildProperties(gateways, gatewayOptions);

        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                checkRealmsAtStartup(factory);
            }
        });
    }

    private static ProviderConfigProperty prefixed(String gatewayId, ProviderConfigProperty option) {
        ProviderConfigProperty copy = new ProviderConfigProperty(TillitSettings.SMS_OPTION_PREFIX + option.getName(),
                TillitSetting.fieldLabel(TillitSetting.Group.SMS, gatewayId + ": " + option.getLabel()),
                option.getHelpText() + " (Only for the " + gatewayId + " gateway.)",
                option.getType(), option.getDefaultValue(), option.isSecret());
        copy.setOptions(option.getOptions());
        return copy;
    }

    /**
     * Once the database is ready: moves settings saved by an older Tillit (a page component) to
     * the tab, refreshes each realm's status lines and says in the log what would hurt in
     * production (no SMS gateway, the withdrawal-lock listener off, values the tab now refuses).
     */
    private void checkRealmsAtStartup(KeycloakSessionFactory factory) {
        boolean development = ServerMode.isDevelopment();
        List<String> realmIds = new ArrayList<>();
        KeycloakModelUtils.runJobInTransaction(factory, session ->
                session.realms().getRealmsStream().forEach(r -> realmIds.add(r.getId())));
        for (String realmId : realmIds) {
            // Separate transactions: a step Keycloak refuses must not undo or skip the others.
            inRealm(factory, realmId, TillitSettingsTabFactory::moveLegacyComponent);
            inRealm(factory, realmId, TillitSettingsTabFactory::removeMovedLegacyComponent);
            inRealm(factory, realmId, realm -> checkRealm(realm, development));
        }
    }

    private static void inRealm(KeycloakSessionFactory factory, String realmId, Consumer<RealmModel> job) {
        try {
            KeycloakModelUtils.runJobInTransaction(factory, session -> {
                RealmModel realm = session.realms().getRealm(realmId);
                if (realm != null) {
                    session.getContext().setRealm(realm);
                    job.accept(realm);
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not check the Tillit settings of realm %s", realmId);
        }
    }

    private void checkRealm(RealmModel realm, boolean development) {
        ComponentModel component = realm.getComponentsStream(realm.getId(), UiTabProvider.class.getName())
                .filter(c -> ID.equals(c.getProviderId())).findFirst().orElse(null);
        boolean usesTillit = component != null || "tillit".equals(realm.getLoginTheme());
        if (!usesTillit) {
            return;
        }
        if (component != null) {
            ComponentModel updated = new ComponentModel(component);
            TillitStatus.write(updated, realm, development, gateways);
            if (!updated.getConfig().equals(component.getConfig())) {
                try {
                    realm.updateComponent(updated);
                } catch (ComponentValidationException e) {
                    LOG.warnf("Realm %s: %s Until it is fixed on the Tillit tab, those settings use their defaults.",
                            realm.getName(), TillitStatus.text(e));
                }
            }
        }
        TillitSettings settings = TillitSettings.of(realm);
        String sms = TillitStatus.smsProblem(settings, development, gateways);
        if (sms != null) {
            LOG.warnf("Realm %s (%s): %s", realm.getName(), ServerMode.describe(), sms);
        }
        if (!TillitStatus.listenerEnabled(realm)) {
            LOG.warnf("Realm %s: %s", realm.getName(), TillitStatus.LISTENER_OFF);
        }
    }

    /** Tillit up to 0.x stored the settings as an admin-console page; the tab takes them over. */
    private static void moveLegacyComponent(RealmModel realm) {
        ComponentModel legacy = TillitSettings.legacyComponent(realm).orElse(null);
        if (legacy == null) {
            return;
        }
        boolean hasTab = realm.getComponentsStream(realm.getId(), UiTabProvider.class.getName())
                .anyMatch(c -> ID.equals(c.getProviderId()));
        if (!hasTab) {
            ComponentModel tab = new ComponentModel();
            tab.setName("Tillit");
            tab.setParentId(realm.getId());
            tab.setProviderType(UiTabProvider.class.getName());
            tab.setProviderId(ID);
            tab.setConfig(new MultivaluedHashMap<>(legacy.getConfig()));
            try {
                realm.addComponentModel(tab);
                LOG.infof("Realm %s: Tillit settings moved from the old admin-console page to the Tillit tab", realm.getName());
            } catch (ComponentValidationException e) {
                LOG.warnf("Realm %s: the Tillit settings could not be moved to the Tillit tab: %s"
                        + " They are still read from the old page until fixed.", realm.getName(), TillitStatus.text(e));
            }
        }
    }

    /** Once the tab holds the settings, the old page component is only clutter. */
    private static void removeMovedLegacyComponent(RealmModel realm) {
        ComponentModel legacy = TillitSettings.legacyComponent(realm).orElse(null);
        boolean hasTab = realm.getComponentsStream(realm.getId(), UiTabProvider.class.getName())
                .anyMatch(c -> ID.equals(c.getProviderId()));
        if (legacy != null && hasTab) {
            try {
                realm.removeComponent(legacy);
            } catch (RuntimeException e) {
                LOG.debugf(e, "Realm %s: the old Tillit page component stays (unused)", realm.getName());
            }
        }
    }

    @Override
    public void close() {
    }
}
