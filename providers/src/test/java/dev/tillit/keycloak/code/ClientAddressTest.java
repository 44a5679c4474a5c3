package dev.tillit.keycloak.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

    @Test
    void ipv6ClientsCountPerSlash64() {
        assertEquals("2001:db8:1:2::/64", ClientAddress.normalise("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
        assertEquals(ClientAddress.normalise("2001:db8:1:2::1"), ClientAddress.normalise("2001:0db8:0001:0002:ffff::9"));
        assertEquals("2001:db8:1:2::/64", ClientAddress.normalise("[2001:db8:1:2::1]"));
        assertEquals("2001:db8:1:3::/64", ClientAddress.normalise("2001:db8:1:3::1%eth0"));
    }

    @Test
    void ipv4ClientsCountPerAddress() {
        assertEquals("203.0.113.7", ClientAddress.normalise("203.0.113.7"));
        assertEquals("203.0.113.7", ClientAddress.normalise(" 203.0.113.7 "));
    }

    @Test
    void noAddressMeansNoCounter() {
        assertNull(ClientAddress.normalise(null));
        assertNull(ClientAddress.normalise(" "));
    }
}
