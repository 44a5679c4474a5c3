package dev.tillit.keycloak.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.keycloak.provider.ConfiguredProvider;
import org.keycloak.provider.ProviderConfigProperty;

/** The factories Keycloak will discover, and what they tell the admin console. */
class SmsSenderFactoriesTest {

    private static Map<String, SmsSenderFactory> discovered() {
        return ServiceLoader.load(SmsSenderFactory.class).stream().map(ServiceLoader.Provider::get)
                .collect(Collectors.toMap(SmsSenderFactory::getId, Function.identity()));
    }

    @Test
    void allGatewaysAreRegistered() {
        Map<String, SmsSenderFactory> factories = discovered();
        assertEquals(List.of("console", "http", "twilio"), factories.keySet().stream().sorted().toList());
        assertInstanceOf(HttpSmsSender.class, factories.get("http").create(null));
        assertInstanceOf(TwilioSmsSender.class, factories.get("twilio").create(null));
        assertInstanceOf(ConsoleSmsSender.class, factories.get("console").create(null));
    }

    @Test
    void httpDescribesItsAuthOption() {
        List<ProviderConfigProperty> properties = configured("http").getConfigProperties();
        assertEquals(List.of("auth"), properties.stream().map(ProviderConfigProperty::getName).toList());
        ProviderConfigProperty auth = properties.get(0);
        assertEquals(ProviderConfigProperty.LIST_TYPE, auth.getType());
        assertEquals(List.of("bearer", "hmac", "none"), auth.getOptions());
        assertEquals("bearer", auth.getDefaultValue());
    }

    @Test
    void twilioDescribesItsOptions() {
        List<ProviderConfigProperty> properties = configured("twilio").getConfigProperties();
        assertEquals(List.of("accountSid", "messagingServiceSid"),
                properties.stream().map(ProviderConfigProperty::getName).toList());
        assertTrue(properties.get(0).isRequired());
        assertFalse(properties.get(1).isRequired());
    }

    @Test
    void optionKeysAreTheDocumentedNamesAndHelpTextIsSet() {
        assertEquals("auth", HttpSmsSenderFactory.OPTION_AUTH);
        assertEquals("accountSid", TwilioSmsSenderFactory.OPTION_ACCOUNT_SID);
        assertEquals("messagingServiceSid", TwilioSmsSenderFactory.OPTION_MESSAGING_SERVICE_SID);
        for (String id : List.of("http", "twilio")) {
            assertFalse(configured(id).getHelpText().isBlank(), id);
        }
    }

    private static ConfiguredProvider configured(String id) {
        return assertInstanceOf(ConfiguredProvider.class, discovered().get(id));
    }
}
