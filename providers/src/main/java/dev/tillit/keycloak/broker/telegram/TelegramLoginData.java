package dev.tillit.keycloak.broker.telegram;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the Telegram Login Widget hands back, checked exactly as Telegram specifies
 * (https://core.telegram.org/widgets/login#checking-authorization): the data-check-string is every
 * received field except {@code hash}, as {@code key=value}, sorted by key and joined with {@code \n};
 * its HMAC-SHA256, keyed with SHA-256 of the bot token, must equal {@code hash}.
 *
 * <p>"Every received field": a field someone adds (or one Telegram adds in a later version) is part of
 * the signed string, so an added or altered field fails the check instead of slipping past it. The
 * only parameter that is ours, not Telegram's, travels in the URL path, not among these fields.
 */
public final class TelegramLoginData {

    public static final String HASH = "hash";
    public static final String ID = "id";
    public static final String AUTH_DATE = "auth_date";

    /** Why a payload was refused (also the {@code reason} detail of the event). */
    public enum Problem {
        INCOMPLETE("payload_incomplete"),
        HASH_INVALID("hash_invalid"),
        STALE("auth_date_stale"),
        REPLAYED("payload_replayed");

        private final String reason;

        Problem(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    private final Map<String, String> fields;

    private TelegramLoginData(Map<String, String> fields) {
        this.fields = fields;
    }

    /** The fields as received (first value of each; a repeated field makes the payload incomplete). */
    public static TelegramLoginData of(Map<String, String> received) {
        return new TelegramLoginData(new TreeMap<>(received));
    }

    public String get(String field) {
        return fields.get(field);
    }

    /** Telegram's numeric user id: the account key in every mode of the provider. */
    /**
     * Telegram's numeric user id from an OIDC id_token's {@code id} claim (a JSON number, or digits), as
     * the widget signs it in {@code id}: the account key in both modes. Null when it is not one.
     */
    static String numericId(Object claim) {
        String value = claim instanceof Number number ? String.valueOf(number.longValue()) : claim instanceof String s ? s.trim() : null;
        return value != null && value.matches("[1-9][0-9]{0,19}") ? value : null;
    }

    public String userId() {
        return fields.get(ID);
    }

    /** Null when the payload is signed with {@code botToken}, fresh and well formed; else why not. */
    public Problem check(String botToken, long nowEpochSeconds, long maxAgeSeconds) {
        String hash = fields.get(HASH);
        String id = fields.get(ID);
        String authDate = fields.get(AUTH_DATE);
        if (hash == null || id == null || authDate == null || !id.matches("[0-9]{1,20}") || !authDate.matches("[0-9]{1,12}")
                || !hash.matches("[0-9a-fA-F]{64}")) {
            return Problem.INCOMPLETE;
        }
        byte[] expected = hmac(botToken, dataCheckString());
        byte[] given = hex(hash);
        if (!MessageDigest.isEqual(expected, given)) {
            return Problem.HASH_INVALID;
        }
        long age = nowEpochSeconds - Long.parseLong(authDate);
        // A small allowance for clocks running ahead of ours, none for a date far in the future.
        if (age > maxAgeSeconds || age < -30) {
            return Problem.STALE;
        }
        return null;
    }

    /** Every field but {@code hash}, {@code key=value}, sorted by key, joined by newlines. */
    public String dataCheckString() {
        return fields.entrySet().stream()
                .filter(e -> !HASH.equals(e.getKey()))
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n"));
    }

    /** HMAC-SHA256 of {@code data} keyed with SHA-256(bot token), as Telegram signs. */
    public static byte[] hmac(String botToken, String data) {
        try {
            byte[] key = MessageDigest.getInstance("SHA-256").digest(botToken.getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    private static byte[] hex(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
