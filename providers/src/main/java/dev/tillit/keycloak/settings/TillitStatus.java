package dev.tillit.keycloak.settings;

import java.net.URI;
import java.text.MessageFormat;
import java.util.List;
import java.util.Set;

import dev.tillit.keycloak.TillitEvents;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * The two read-only lines at the top of the Tillit tab: whether SMS can be delivered and whether
 * the withdrawal-lock event listener is on for the realm. The admin console shows what the
 * component stores, so the lines are written into the component whenever the tab is saved and
 * when the server starts (they are not settings and are never read as such).
 */
final class TillitStatus {

    static final String SMS_KEY = "statusSmsDelivery";
    static final String LISTENER_KEY = "statusWithdrawalLockListener";

    static final String LISTENER_OFF = "OFF: add \"" + TillitEvents.LISTENER
            + "\" under Realm settings > Events > Event listeners, or password and second-factor changes"
            + " outside password reset do not lock withdrawals.";
    static final String LISTENER_ON = "On: \"" + TillitEvents.LISTENER + "\" is enabled for this realm.";

    private static final String GROUP = "Status";

    private TillitStatus() {
    }

    static List<ProviderConfigProperty> properties() {
        String checked = " Checked when the server starts and whenever this tab is saved.";
        return List.of(
                readOnly(SMS_KEY, "SMS delivery",
                        "Whether this realm can send SMS codes with the gateway chosen below." + checked),
                readOnly(LISTENER_KEY, "Withdrawal-lock listener",
                        "The event listener " + TillitEvents.LISTENER + " locks withdrawals after"
                                + " password changes, removed second factors and email or phone changes made outside"
                                + " password reset. Keycloak cannot enable it from the JAR: enable it under"
                                + " Realm settings > Events > Event listeners." + checked));
    }

    private static ProviderConfigProperty readOnly(String key, String label, String help) {
        ProviderConfigProperty property = new ProviderConfigProperty(key, GROUP + " \u00b7 " + label, help,
                ProviderConfigProperty.STRING_TYPE, "Save this tab to check.");
        property.setReadOnly(true);
        return property;
    }

    /** Replaces the status lines in {@code model} with the realm's current state. */
    static void write(ComponentModel model, RealmModel realm, boolean development, Set<String> gateways) {
        TillitSettings settings = new TillitSettings(new MultivaluedHashMap<>(model.getConfig()));
        String problem = smsProblem(settings, development, gateways);
        model.put(SMS_KEY, problem != null ? problem : smsWorking(settings, development));
        model.put(LISTENER_KEY, listenerEnabled(realm) ? LISTENER_ON : LISTENER_OFF);
    }

    static boolean listenerEnabled(RealmModel realm) {
        return realm.getEventsListenersStream().anyMatch(TillitEvents.LISTENER::equals);
    }

    /** Null when SMS can go out as configured, else what is missing, in words for the operator. */
    static String smsProblem(TillitSettings settings, boolean development, Set<String> gateways) {
        String gateway = settings.smsGateway();
        if (!gateways.contains(gateway)) {
            return "NOT WORKING: the SMS gateway \"" + gateway + "\" is not installed; choose one of " + gateways + ".";
        }
        if ("console".equals(gateway) && !development) {
            return "NOT CONFIGURED: no SMS gateway is chosen. The console gateway works only in development mode"
                    + " (start-dev), so SMS codes fail (users are asked to try again). Choose a gateway under Realm settings > Tillit.";
        }
        if ("http".equals(gateway) && (settings.smsUrl() == null)) {
            return "NOT CONFIGURED: the http gateway needs a gateway URL.";
        }
        if (!"console".equals(gateway) && settings.smsSecretReference() == null
                && !"none".equals(settings.smsOptions().get("auth"))) {
            return "NOT CONFIGURED: the " + gateway + " gateway needs a secret (a vault reference such as ${vault.sms-token}).";
        }
        return null;
    }

    private static String smsWorking(TillitSettings settings, boolean development) {
        if ("console".equals(settings.smsGateway())) {
            return "Development mode: SMS are printed to the server log (console gateway), never sent.";
        }
        String host = host(settings.smsUrl());
        return "Configured: " + settings.smsGateway() + " gateway" + (host != null ? " at " + host : "") + ".";
    }

    private static String host(String url) {
        try {
            return url == null ? null : URI.create(url.trim()).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The message as the admin console shows it (Keycloak formats it with its parameters). */
    static String text(ComponentValidationException e) {
        return e.getParameters() == null ? e.getMessage() : MessageFormat.format(e.getMessage(), e.getParameters());
    }
}
