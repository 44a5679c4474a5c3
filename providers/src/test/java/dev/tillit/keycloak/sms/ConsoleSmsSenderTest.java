package dev.tillit.keycloak.sms;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/** The console gateway prints codes in development mode only; in production it refuses. */
class ConsoleSmsSenderTest {

    private static final SmsGateway NONE = new SmsGateway(null, null, null, Duration.ofSeconds(1), Map.of());
    private static final Logger LOG = Logger.getLogger(ConsoleSmsSenderTest.class);

    @Test
    void refusesOutsideDevelopmentModeWithoutTheText() {
        ConsoleSmsSender sender = new ConsoleSmsSender(LOG, () -> false);
        SmsDeliveryException refused = assertThrows(SmsDeliveryException.class,
                () -> sender.send(NONE, "+46701234567", "Your code is 123456"));
        assertEquals(ConsoleSmsSender.REFUSED, refused.getMessage());
        assertTrue(refused.getMessage().contains("development mode"), refused.getMessage());
        assertTrue(refused.getMessage().contains("Realm settings > Tillit"), refused.getMessage());
        assertFalse(refused.getMessage().contains("123456"), "the code must not reach the log");
        assertFalse(refused.getMessage().contains("+46701234567"));
    }

    @Test
    void printsInDevelopmentMode() {
        ConsoleSmsSender sender = new ConsoleSmsSender(LOG, () -> true);
        assertDoesNotThrow(() -> sender.send(NONE, "+46701234567", "Your code is 123456"));
    }

    @Test
    void theFactoryAsksTheServerMode() {
        // The unit-test JVM is not start-dev, so the real factory's sender refuses.
        SmsSender sender = new ConsoleSmsSenderFactory().create(null);
        assertThrows(SmsDeliveryException.class, () -> sender.send(NONE, "+46701234567", "x"));
    }
}
