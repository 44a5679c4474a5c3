package dev.tillit.keycloak.kyc.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tillit.keycloak.kyc.DocumentKind;
import dev.tillit.keycloak.settings.DocumentType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reviewers' page shows texts its script picks at run time (a status, a reason, a picture):
 * each one the script or the server can ask for must be in both bundles, or a reviewer would read
 * a raw key. And the script must stay what the page's CSP allows.
 */
class KycReviewPageTextsTest {

    private static final Path LOGIN = Path.of(System.getProperty("tillit.themes", "../themes"), "tillit", "login");
    private static final Pattern LITERAL = Pattern.compile("'(tillitReviewer[A-Za-z0-9_.]*[A-Za-z0-9_])'");

    @ParameterizedTest
    @ValueSource(strings = {"en", "sv"})
    void everyTextThePageCanShowExists(String language) throws IOException {
        Properties bundle = new Properties();
        try (Reader in = Files.newBufferedReader(LOGIN.resolve("messages/messages_" + language + ".properties"), StandardCharsets.UTF_8)) {
            bundle.load(in);
        }
        List<String> wanted = new ArrayList<>();
        Matcher literal = LITERAL.matcher(Files.readString(LOGIN.resolve("resources/js/tillit-kyc-review.js")));
        while (literal.find()) {
            wanted.add(literal.group(1));
        }
        assertTrue(wanted.size() > 20, "the script's literal keys were not found: " + wanted);
        for (String status : KycReviewResource.QUEUE_STATUSES) {
            wanted.add("tillitReviewerStatus." + status);
        }
        for (Outcome outcome : Outcome.values()) {
            wanted.add("tillitReviewerDone." + outcome.status());
        }
        for (String path : List.of("approve", "reject", "resubmission")) {
            wanted.add("tillitReviewerConfirm." + path);
        }
        for (ReasonCode reason : ReasonCode.values()) {
            wanted.add("tillitReviewerReason." + reason.id());
        }
        for (DocumentKind kind : DocumentKind.values()) {
            wanted.add("tillitReviewerPicture." + kind.id());
        }
        for (DocumentType type : DocumentType.values()) {
            wanted.add("tillitReviewerDocType." + type.id());
        }
        for (String field : List.of("fullName", "birthDate", "address", "country", "documentType", "documentCountry", "email",
                "username", "submittedAt", "attempt", "levelRequested", "decidedAt", "levelGranted", "reasons", "resubmitDocuments")) {
            wanted.add("tillitReviewerField." + field);
        }
        wanted.add("tillitReviewerLevel.1");
        wanted.add("tillitReviewerLevel.2");
        List<String> missing = wanted.stream().filter(k -> !bundle.containsKey(k)).distinct().toList();
        assertEquals(List.of(), missing, language + ": texts of the reviewers' page missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tillit-kyc-review.ftl", "resources/js/tillit-kyc-review.js"})
    void nothingTheCspWouldBlock(String file) throws IOException {
        String text = Files.readString(LOGIN.resolve(file));
        // No inline handlers or styles, no eval, and the token never in web storage.
        assertFalse(Pattern.compile("\\son[a-z]+=").matcher(text).find(), file + ": inline event handler");
        assertFalse(text.contains("style=\""), file + ": inline style");
        assertFalse(text.contains("eval(") || text.contains("new Function"), file + ": eval");
        assertFalse(text.contains("localStorage.setItem"), file + ": token in localStorage");
        assertFalse(text.contains("innerHTML"), file + ": HTML built from data");
    }
}
