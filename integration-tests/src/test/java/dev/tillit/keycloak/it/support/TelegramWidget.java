package dev.tillit.keycloak.it.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Plays Telegram's side of the Login Widget: the user fields Telegram appends to the widget's
 * {@code data-auth-url}, signed as Telegram signs them (HMAC-SHA256 over the sorted
 * {@code key=value} lines, keyed with SHA-256 of the bot token).
 */
public final class TelegramWidget {

    private TelegramWidget() {
    }

    /** A Telegram user id no other test uses. */
    public static String freshUserId() {
        return String.valueOf(5_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L));
    }

    /** The fields of a sign-in by {@code userId} at {@code authDate} (epoch seconds), signed with {@code botToken}. */
    public static Map<String, String> signed(String botToken, String userId, String firstName, long authDate) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", userId);
        fields.put("first_name", firstName);
        fields.put("username", "tg" + userId);
        fields.put("auth_date", String.valueOf(authDate));
        fields.put("hash", hash(botToken, fields));
        return fields;
    }

    public static String hash(String botToken, Map<String, String> fields) {
        String check = new TreeMap<>(fields).entrySet().stream().filter(e -> !e.getKey().equals("hash"))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n"));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(MessageDigest.getInstance("SHA-256").digest(botToken.getBytes(StandardCharsets.UTF_8)), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(check.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code authUrl?id=...&hash=...}: where Telegram sends the browser. */
    public static String callback(String authUrl, Map<String, String> fields) {
        return authUrl + "?" + fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    public static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
