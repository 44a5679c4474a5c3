package dev.tillit.keycloak.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.openqa.selenium.WebDriver;

/**
 * Deque's axe-core on the page in the browser, against WCAG 2.1 A and AA. Every report is kept
 * next to the screenshots ({@code artifacts/axe/...}); any violation fails the test.
 */
public final class Accessibility {

    private static final List<String> WCAG_21_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Accessibility() {
    }

    /** Checks the current page, keeps the report as {@code axe/<dir>/<name>.json}. */
    public static void check(WebDriver driver, String dir, String name) {
        Results results = new AxeBuilder().withTags(WCAG_21_AA).analyze(driver);
        Path report = Artifacts.dir("axe/" + dir).resolve(name + ".json");
        try {
            JSON.writeValue(report.toFile(), results);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Rule> violations = results.getViolations();
        if (!violations.isEmpty()) {
            throw new AssertionError("WCAG 2.1 A/AA violations on " + dir + "/" + name + " (" + driver.getCurrentUrl()
                    + "), report " + report + ":\n" + violations.stream()
                    .map(v -> "  " + v.getId() + ": " + v.getHelp() + " — " + v.getNodes().stream()
                            .map(n -> String.valueOf(n.getTarget())).limit(4).collect(Collectors.joining(", ")))
                    .collect(Collectors.joining("\n")));
        }
    }
}
