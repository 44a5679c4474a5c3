package dev.tillit.keycloak.code;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import org.keycloak.common.ClientConnection;

/**
 * The client address that per-IP limits count against. An IPv6 subscriber usually holds a whole
 * /64 and can rotate through 2^64 addresses for free, so IPv6 is counted per /64 network; IPv4
 * per address. The address itself is Keycloak's view of the client: behind a proxy, it is only
 * trustworthy with {@code proxy-headers} and {@code proxy-trusted-addresses} set (see the README).
 */
final class ClientAddress {

    private ClientAddress() {
    }

    /** The counting key for the request's client, or null when Keycloak knows no address. */
    static String of(ClientConnection connection) {
        return connection == null ? null : normalise(connection.getRemoteAddr());
    }

    static String normalise(String address) {
        if (address == null || address.isBlank()) {
            return null;
        }
        String literal = address.trim();
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        if (!literal.matches("[0-9A-Fa-f:.]+")) {
            return literal; // not an IP literal (never resolved: no DNS lookups on this path)
        }
        try {
            InetAddress parsed = InetAddress.getByName(literal);
            if (parsed instanceof Inet6Address) {
                byte[] bytes = parsed.getAddress();
                StringBuilder network = new StringBuilder();
                for (int i = 0; i < 8; i += 2) {
                    network.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
                }
                return network.append(":/64").toString();
            }
            return parsed.getHostAddress();
        } catch (UnknownHostException e) {
            return literal;
        }
    }
}
