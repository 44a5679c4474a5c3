package dev.tillit.keycloak.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.MessageFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    void printsInDevelopmentMode() throws Exception {
        CapturingLogger log = new CapturingLogger();
        new ConsoleSmsSender(log, () -> true).send(NONE, "+46701234567", "Your code is 123456");
        assertEquals(1, log.lines.size(), log.lines.toString());
        assertTrue(log.lines.get(0).contains("To:   +46701234567"), log.lines.get(0));
        assertTrue(log.lines.get(0).contains("Your code is 123456"), log.lines.get(0));
    }

    @Test
    void printsNothingOutsideDevelopmentMode() {
        CapturingLogger log = new CapturingLogger();
        assertThrows(SmsDeliveryException.class,
                () -> new ConsoleSmsSender(log, () -> false).send(NONE, "+46701234567", "Your code is 123456"));
        assertEquals(List.of(), log.lines);
    }

    /** A logger that keeps what would be printed, formatted as the console would show it. */
    private static final class CapturingLogger extends Logger {
        final List<String> lines = new ArrayList<>();

        CapturingLogger() {
            super(ConsoleSmsSenderTest.class.getName());
        }

        @Override
        public boolean isEnabled(Level level) {
            return true;
        }

        @Override
        protected void doLog(Level level, String loggerClassName, Object message, Object[] parameters, Throwable thrown) {
            lines.add(parameters == null ? String.valueOf(message) : MessageFormat.format(String.valueOf(message), parameters));
        }

        @Override
        protected void doLogf(Level level, String loggerClassName, String format, Object[] parameters, Throwable thrown) {
            lines.add(String.format(format, parameters));
        }
    }

    @Test
    void theFactoryAsksTheServerMode() {
        // The unit-test JVM is not start-dev, so the real factory's sender refuses.
        SmsSender sender = new ConsoleSmsSenderFactory().create(null);
        assertThrows(SmsDeliveryException.class, () -> sender.send(NONE, "+46701234567", "x"));
    }
}
