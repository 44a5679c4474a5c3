package dev.tillit.keycloak.sms;

import java.time.Duration;
import java.util.Map;

/**
 * A realm's gateway settings as one {@link SmsSender} needs them: secrets already resolved from
 * Keycloak's vault, nothing read from anywhere else. Keys of {@code options} are provider-specific
 * (documented on each factory's config properties).
 *
 * @param url      where to deliver (HTTP endpoint, or the Twilio API base URL)
 * @param secret   bearer token / HMAC key / Twilio auth token, resolved from the vault; may be null
 * @param sender   the sender name or number shown to the recipient; may be null
 * @param timeout  how long to wait for the gateway before giving up
 * @param options  further provider-specific settings
 */
public record SmsGateway(String url, String secret, String sender, Duration timeout, Map<String, String> options) {

    public SmsGateway {
        options = options == null ? Map.of() : Map.copyOf(options);
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
    }

    public String option(String key, String fallback) {
        String value = options.get(key);
        return value == null || value.isBlank() ? fallback : value;
    }
}
