package dev.tillit.keycloak.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TwilioSmsSenderTest {

    private static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
    private static final String AUTH_TOKEN = "twilio-auth-token-42";
    private static final String FROM = "+46700000000";
    private static final String TO = "+46701234567";
    private static final String TEXT = "Din kod är 123456 & giltig 5 min";

    private FakeGateway twilio;
    private TwilioSmsSender sender;

    @BeforeEach
    void start() throws IOException {
        twilio = new FakeGateway().answer(201,
                "{\"sid\":\"SM0123456789abcdef0123456789abcdef\",\"status\":\"queued\",\"to\":\"+46701234567\"}");
        sender = new TwilioSmsSender(new GatewayHttp(), new ObjectMapper(), Logger.getLogger(TwilioSmsSenderTest.class));
    }

    @AfterEach
    void stop() {
        twilio.close();
    }

    private SmsGateway settings(String url, String from, Map<String, String> options) {
        Map<String, String> all = new HashMap<>(options);
        all.putIfAbsent("accountSid", ACCOUNT_SID);
        return new SmsGateway(url, AUTH_TOKEN, from, Duration.ofSeconds(5), all);
    }

    @Test
    void postsTheFormToTheAccountsMessagesResource() throws Exception {
        sender.send(settings(twilio.url(""), FROM, Map.of()), TO, TEXT);

        FakeGateway.Received request = twilio.only();
        assertEquals("POST", request.method());
        assertEquals("/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json", request.path());
        assertEquals("application/x-www-form-urlencoded", request.header("Content-Type"));
        assertEquals("To=%2B46701234567&From=%2B46700000000&Body=Din+kod+%C3%A4r+123456+%26+giltig+5+min",
                request.bodyText());
        assertEquals(Map.of("To", TO, "From", FROM, "Body", TEXT), FakeGateway.form(request.bodyText()));
    }

    @Test
    void basicAuthIsAccountSidAndAuthToken() throws Exception {
        sender.send(settings(twilio.url(""), FROM, Map.of()), TO, TEXT);

        // base64("AC0123456789abcdef0123456789abcdef:twilio-auth-token-42"), computed with coreutils base64.
        assertEquals("Basic QUMwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjp0d2lsaW8tYXV0aC10b2tlbi00Mg==",
                twilio.only().header("Authorization"));
    }

    @Test
    void messagingServiceReplacesFrom() throws Exception {
        sender.send(settings(twilio.url(""), FROM, Map.of("messagingServiceSid", "MG0123456789abcdef0123456789abcdef")),
                TO, TEXT);

        Map<String, String> form = FakeGateway.form(twilio.only().bodyText());
        assertEquals(List.of("To", "MessagingServiceSid", "Body"), List.copyOf(form.keySet()));
        assertEquals("MG0123456789abcdef0123456789abcdef", form.get("MessagingServiceSid"));
    }

    @Test
    void baseUrlMayCarryAPathAndATrailingSlash() throws Exception {
        sender.send(settings(twilio.url("/egress/twilio/"), FROM, Map.of()), TO, TEXT);

        assertEquals("/egress/twilio/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json", twilio.only().path());
    }

    @Test
    void baseUrlDefaultsToTwilio() throws Exception {
        assertEquals("https://api.twilio.com/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json",
                TwilioSmsSender.messagesUri(settings(null, FROM, Map.of()), ACCOUNT_SID).toString());
        assertEquals("https://api.twilio.com/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json",
                TwilioSmsSender.messagesUri(settings(" ", FROM, Map.of()), ACCOUNT_SID).toString());
    }

    @Test
    void twilioErrorCodeAndMessageAreSurfaced() {
        twilio.answer(400, "{\"code\":21211,\"message\":\"The 'To' number +4670 is not a valid phone number.\","
                + "\"more_info\":\"https://www.twilio.com/docs/errors/21211\",\"status\":400}");

        SmsDeliveryException e = assertThrows(SmsDeliveryException.class,
                () -> sender.send(settings(twilio.url(""), FROM, Map.of()), TO, TEXT));
        assertEquals("Twilio refused the message: HTTP 400, error 21211: The 'To' number +4670 is not a valid phone number.",
                e.getMessage());
    }

    @Test
    void authenticationErrorNeverShowsTheToken() {
        twilio.answer(401, "{\"code\":20003,\"message\":\"Authenticate " + AUTH_TOKEN + "\",\"status\":401}");

        SmsDeliveryException e = assertThrows(SmsDeliveryException.class,
                () -> sender.send(settings(twilio.url(""), FROM, Map.of()), TO, TEXT));
        assertEquals("Twilio refused the message: HTTP 401, error 20003: Authenticate ***", e.getMessage());
    }

    @Test
    void nonJsonErrorFallsBackToStatusAndBody() {
        twilio.answer(502, "<html><body>Bad gateway</body></html>").contentType("text/html");

        SmsDeliveryException e = assertThrows(SmsDeliveryException.class,
                () -> sender.send(settings(twilio.url(""), FROM, Map.of()), TO, TEXT));
        assertEquals("SMS gateway 127.0.0.1 answered HTTP 502: <html><body>Bad gateway</body></html>", e.getMessage());
    }

    @Test
    void serverErrorIsADeliveryFailure() {
        twilio.answer(500, "");

        SmsDeliveryException e = assertThrows(SmsDeliveryException.class,
                () -> sender.send(settings(twilio.url(""), FROM, Map.of()), TO, TEXT));
        assertEquals("SMS gateway 127.0.0.1 answered HTTP 500: (empty body)", e.getMessage());
    }

    @Test
    void slowTwilioFailsWithinTheTimeout() {
        twilio.delay(10_000);
        SmsGateway settings = new SmsGateway(twilio.url(""), AUTH_TOKEN, FROM, Duration.ofMillis(1000),
                Map.of("accountSid", ACCOUNT_SID));

        long start = System.nanoTime();
        SmsDeliveryException e = assertThrows(SmsDeliveryException.class, () -> sender.send(settings, TO, TEXT));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertTrue(e.getMessage().contains("no answer within 1000 ms"), e.getMessage());
        // The sender gave up at its own timeout, not when the gateway answered (10 s): connecting and
        // waiting for the answer are each bounded by the timeout, so at most twice it, plus 1.5 s for a busy machine.
        assertTrue(elapsedMillis >= 950 && elapsedMillis < 3_500, "took " + elapsedMillis + " ms");
    }

    @Test
    void missingOrMalformedSettingsAreRefusedBeforeSending() {
        String url = twilio.url("");
        List<SmsGateway> broken = List.of(
                new SmsGateway(url, AUTH_TOKEN, FROM, null, Map.of()),                                  // no account SID
                new SmsGateway(url, AUTH_TOKEN, FROM, null, Map.of("accountSid", "AC1/../../x")),       // path injection
                new SmsGateway(url, null, FROM, null, Map.of("accountSid", ACCOUNT_SID)),               // no token
                new SmsGateway(url, AUTH_TOKEN, null, null, Map.of("accountSid", ACCOUNT_SID)),         // no sender
                new SmsGateway("file:///etc/passwd", AUTH_TOKEN, FROM, null, Map.of("accountSid", ACCOUNT_SID)),
                new SmsGateway("ftp://127.0.0.1", AUTH_TOKEN, FROM, null, Map.of("accountSid", ACCOUNT_SID)));
        for (SmsGateway gateway : broken) {
            SmsDeliveryException e = assertThrows(SmsDeliveryException.class, () -> sender.send(gateway, TO, TEXT),
                    gateway.toString());
            assertFalse(e.getMessage().contains(AUTH_TOKEN), e.getMessage());
        }
        assertEquals(0, twilio.received().size());
    }
}
