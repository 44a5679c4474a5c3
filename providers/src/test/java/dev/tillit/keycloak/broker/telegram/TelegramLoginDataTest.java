package dev.tillit.keycloak.broker.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TelegramLoginDataTest {

    private static final String TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    private static final long NOW = 1_800_000_000L;

    /** Signs like Telegram: independent of the class under test's string building. */
    static Map<String, String> signed(String token, Map<String, String> fields) throws Exception {
        String check = fields.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).reduce((a, b) -> a + "\n" + b).orElseThrow();
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(java.security.MessageDigest.getInstance("SHA-256")
                .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)), "HmacSHA256"));
        Map<String, String> out = new LinkedHashMap<>(fields);
        out.put("hash", HexFormat.of().formatHex(mac.doFinal(check.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        return out;
    }

    private static Map<String, String> user(long authDate) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", "424242");
        f.put("first_name", "Åsa");
        f.put("username", "asa_l");
        f.put("auth_date", String.valueOf(authDate));
        return f;
    }

    @Test
    void genuineFreshPayloadPasses() throws Exception {
        TelegramLoginData data = TelegramLoginData.of(signed(TOKEN, user(NOW - 10)));
        assertNull(data.check(TOKEN, NOW, 300));
        assertEquals("auth_date=" + (NOW - 10) + "\nfirst_name=Åsa\nid=424242\nusername=asa_l", data.dataCheckString());
        assertEquals("424242", data.userId());
    }

    @Test
    void otherBotsTokenOrAlteredFieldFails() throws Exception {
        Map<String, String> payload = signed("987654321:BBHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", user(NOW));
        assertEquals(TelegramLoginData.Problem.HASH_INVALID, TelegramLoginData.of(payload).check(TOKEN, NOW, 300));

        Map<String, String> altered = signed(TOKEN, user(NOW));
        altered.put("id", "1");
        assertEquals(TelegramLoginData.Problem.HASH_INVALID, TelegramLoginData.of(altered).check(TOKEN, NOW, 300));

        Map<String, String> added = signed(TOKEN, user(NOW));
        added.put("photo_url", "https://evil.example/x.png");
        assertEquals(TelegramLoginData.Problem.HASH_INVALID, TelegramLoginData.of(added).check(TOKEN, NOW, 300));
    }

    @Test
    void staleOrFutureAuthDateFails() throws Exception {
        assertEquals(TelegramLoginData.Problem.STALE, TelegramLoginData.of(signed(TOKEN, user(NOW - 301))).check(TOKEN, NOW, 300));
        assertEquals(TelegramLoginData.Problem.STALE, TelegramLoginData.of(signed(TOKEN, user(NOW + 3600))).check(TOKEN, NOW, 300));
    }

    @Test
    void missingOrMalformedFieldsAreIncomplete() throws Exception {
        Map<String, String> noHash = user(NOW);
        assertEquals(TelegramLoginData.Problem.INCOMPLETE, TelegramLoginData.of(noHash).check(TOKEN, NOW, 300));
        Map<String, String> badHash = signed(TOKEN, user(NOW));
        badHash.put("hash", "zz");
        assertEquals(TelegramLoginData.Problem.INCOMPLETE, TelegramLoginData.of(badHash).check(TOKEN, NOW, 300));
    }
}
