package dev.tillit.keycloak.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Opens the JAR operators will drop into Keycloak and checks what is (and is not) inside. */
class JarContentsIT {

    private static JarFile jar;
    private static List<String> names;

    @BeforeAll
    static void open() throws IOException {
        Path path = Path.of(System.getProperty("tillit.jar", "target/tillit-keycloak.jar"));
        assertTrue(Files.isRegularFile(path), "built JAR not found: " + path);
        assertTrue(path.getFileName().toString().matches("tillit-keycloak-.+\\.jar"), "JAR name: " + path);
        jar = new JarFile(path.toFile());
        names = Collections.list(jar.entries()).stream().map(JarEntry::getName).toList();
    }

    @AfterAll
    static void close() throws IOException {
        jar.close();
    }

    @Test
    void containsNoKeycloakClasses() {
        List<String> leaked = names.stream().filter(n -> n.startsWith("org/keycloak/")).toList();
        assertEquals(List.of(), leaked, "Keycloak is provided by the server and must not be bundled");
    }

    @Test
    void everyServiceEntryNamesAClassInTheJar() throws IOException {
        List<String> services = names.stream()
                .filter(n -> n.startsWith("META-INF/services/") && !n.endsWith("/")).toList();
        assertFalse(services.isEmpty(), "no META-INF/services entries: no provider would load");
        List<String> dangling = new ArrayList<>();
        for (String service : services) {
            for (String impl : readLines(service)) {
                if (!names.contains(impl.replace('.', '/') + ".class")) {
                    dangling.add(service + " -> " + impl);
                }
            }
        }
        assertEquals(List.of(), dangling);
    }

    @Test
    void themesArePackaged() throws IOException {
        assertNotNull(jar.getEntry("META-INF/keycloak-themes.json"));
        String descriptor = String.join("\n", readLines("META-INF/keycloak-themes.json"));
        assertTrue(descriptor.contains("\"tillit\""), descriptor);
        for (String required : List.of(
                "theme/tillit/login/theme.properties",
                "theme/tillit/login/messages/messages_en.properties",
                "theme/tillit/login/messages/messages_sv.properties",
                "theme/tillit/login/resources/css/tillit.css",
                "theme/tillit/email/theme.properties",
                "theme/tillit/email/messages/messages_en.properties",
                "theme/tillit/email/messages/messages_sv.properties",
                "theme/tillit/account/theme.properties",
                "theme/tillit/account/messages/messages_sv.properties",
                "theme/tillit/account/resources/img/logo.svg",
                "theme/tillit/admin/theme.properties",
                "theme/tillit/admin/messages/messages_sv.properties")) {
            assertNotNull(jar.getEntry(required), "missing " + required);
        }
    }

    @Test
    void thirdPartyLibrariesAreRelocated() {
        assertTrue(names.stream().anyMatch(n -> n.startsWith("dev/tillit/keycloak/shaded/phonenumbers/")),
                "libphonenumber must be shaded under dev/tillit/keycloak/shaded");
        List<String> unrelocated = names.stream()
                .filter(n -> n.endsWith(".class"))
                .filter(n -> !n.startsWith("dev/tillit/keycloak/"))
                .toList();
        assertEquals(List.of(), unrelocated, "classes outside our namespace would clash with Keycloak's");
    }

    @Test
    void jaxRsResourcesAreDiscoverable() {
        // Without beans.xml Keycloak answers 404/405 for realm and admin resource providers.
        assertNotNull(jar.getEntry("META-INF/beans.xml"));
    }

    private static List<String> readLines(String entry) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                jar.getInputStream(jar.getEntry(entry)), StandardCharsets.UTF_8))) {
            return r.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        }
    }
}
