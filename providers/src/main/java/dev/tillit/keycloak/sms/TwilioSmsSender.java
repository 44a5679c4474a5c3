package dev.tillit.keycloak.sms;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;

/**
 * Sends through Twilio's Messages API:
 *
 * <pre>
 * POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json
 * Authorization: Basic base64(AccountSid:AuthToken)
 * Content-Type: application/x-www-form-urlencoded
 *
 * To=%2B46701234567&amp;From=%2B46700000000&amp;Body=...
 * </pre>
 *
 * {@code From} is the gateway's sender, replaced by {@code MessagingServiceSid} when that option is
 * set (Twilio then picks the sender from the service's pool). Twilio answers 201 with the message's
 * {@code sid} and {@code status}; a refusal is a 4xx whose JSON carries Twilio's error {@code code}
 * and {@code message}, which end up in the {@link SmsDeliveryException} for the operator.
 */
class TwilioSmsSender implements SmsSender {

    static final String DEFAULT_BASE_URL = "https://api.twilio.com";

    /** Twilio SIDs are letters and digits (AC + 32 hex); anything else must not reach the URL path. */
    private static final Pattern SID = Pattern.compile("[A-Za-z0-9]{2,64}");

    private final GatewayHttp http;
    private final ObjectMapper json;
    private final Logger log;

    TwilioSmsSender(GatewayHttp http, ObjectMapper json, Logger log) {
        this.http = http;
        this.json = json;
        this.log = log;
    }

    @Override
    public void send(SmsGateway gateway, String phoneNumber, String text) throws SmsDeliveryException {
        String accountSid = accountSid(gateway);
        if (gateway.secret() == null || gateway.secret().isBlank()) {
            throw new SmsDeliveryException("Twilio: the auth token (gateway secret) is not configured");
        }
        String messagingServiceSid = gateway.option(TwilioSmsSenderFactory.OPTION_MESSAGING_SERVICE_SID, null);
        String from = gateway.sender();
        if (messagingServiceSid == null && (from == null || from.isBlank())) {
            throw new SmsDeliveryException("Twilio: configure a sender number or the "
                    + TwilioSmsSenderFactory.OPTION_MESSAGING_SERVICE_SID + " option");
        }

        String form = "To=" + encode(phoneNumber)
                + (messagingServiceSid != null
                        ? "&MessagingServiceSid=" + encode(messagingServiceSid.strip())
                        : "&From=" + encode(from.strip()))
                + "&Body=" + encode(text);
        String credentials = Base64.getEncoder().encodeToString((accountSid + ":" + gateway.secret()).getBytes(UTF_8));
        HttpRequest request = HttpRequest.newBuilder(messagesUri(gateway, accountSid))
                .timeout(gateway.timeout())
                .header("Authorization", "Basic " + credentials)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form, UTF_8))
                .build();

        HttpResponse<String> response = http.send(request, gateway.timeout());
        JsonNode answer = readJson(response.body());
        if (GatewayHttp.isSuccess(response)) {
            log.debugf("Twilio accepted message %s (status %s)", answer.path("sid").asText("?"),
                    answer.path("status").asText("?"));
            return;
        }
        if (answer.hasNonNull("code") || answer.hasNonNull("message")) {
            throw new SmsDeliveryException("Twilio refused the message: HTTP " + response.statusCode()
                    + ", error " + answer.path("code").asText("?") + ": "
                    + GatewayHttp.excerpt(answer.path("message").asText(""), gateway.secret()));
        }
        throw new SmsDeliveryException(GatewayHttp.describe(response, gateway.secret()));
    }

    /** {@code {base}/2010-04-01/Accounts/{AccountSid}/Messages.json}, base defaulting to Twilio's API. */
    static URI messagesUri(SmsGateway gateway, String accountSid) throws SmsDeliveryException {
        String base = gateway.url() == null || gateway.url().isBlank() ? DEFAULT_BASE_URL : gateway.url().strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return GatewayHttp.checkedUri(base + "/2010-04-01/Accounts/" + accountSid + "/Messages.json");
    }

    private static String accountSid(SmsGateway gateway) throws SmsDeliveryException {
        String accountSid = gateway.option(TwilioSmsSenderFactory.OPTION_ACCOUNT_SID, null);
        if (accountSid == null) {
            throw new SmsDeliveryException("Twilio: option " + TwilioSmsSenderFactory.OPTION_ACCOUNT_SID
                    + " is not configured");
        }
        accountSid = accountSid.strip();
        if (!SID.matcher(accountSid).matches()) {
            throw new SmsDeliveryException("Twilio: option " + TwilioSmsSenderFactory.OPTION_ACCOUNT_SID
                    + " must be letters and digits (AC...)");
        }
        return accountSid;
    }

    /** The answer as JSON, or an empty object when it is not JSON (e.g. a proxy's HTML error page). */
    private JsonNode readJson(String body) {
        try {
            JsonNode node = body == null || body.isBlank() ? null : json.readTree(body);
            return node != null && node.isObject() ? node : json.createObjectNode();
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, UTF_8);
    }
}
