package dev.tillit.keycloak.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests leave what a person reviews afterwards (screenshots): integration-tests/target/artifacts. */
public final class Artifacts {

    private Artifacts() {
    }

    public static Path dir(String name) {
        Path dir = Path.of(System.getProperty("tillit.artifacts", "target/artifacts"), name);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
