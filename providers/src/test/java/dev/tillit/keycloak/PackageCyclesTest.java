package dev.tillit.keycloak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * No package of the providers imports a package that imports it back, however long the way round
 * (e.g. {@code mfa → lock → mfa}). It reads the sources under {@code src/main/java}: each file's
 * package, and every {@code dev.tillit.keycloak…} name it uses outside comments (imports, static
 * imports, names written out in full); the packages and these uses make a graph that must have no
 * cycle. A failure names each cycle and, for every step of it, the files and names that make it.
 */
class PackageCyclesTest {

    private static final Path SOURCES = Path.of(System.getProperty("tillit.sources", "src/main/java"));
    private static final String ROOT = "dev.tillit.keycloak";
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    /** A use of one of our names: the package part (lower-case segments), then a type or {@code *}. */
    private static final Pattern USE = Pattern.compile("\\b(dev\\.tillit\\.keycloak(?:\\.[a-z_][\\w]*)*)\\.([A-Z]\\w*|\\*)");

    @Test
    void noPackageImportsOneThatImportsItBack() {
        Map<String, Map<String, Set<String>>> graph = graph(SOURCES);
        assertTrue(graph.size() > 10, "expected the providers' packages under " + SOURCES.toAbsolutePath());
        List<List<String>> cycles = cycles(graph);
        assertTrue(cycles.isEmpty(), () -> describe(cycles, graph));
    }

    /** The check itself finds a cycle, long or short, and only where there is one. */
    @Test
    void findsCyclesAndOnlyCycles() {
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        edge(graph, "a", "b");
        edge(graph, "b", "c");
        edge(graph, "a", "c");
        assertEquals(List.of(), cycles(graph));
        edge(graph, "c", "a");
        assertEquals(List.of(List.of("a", "b", "c")), cycles(graph));
    }

    private static void edge(Map<String, Map<String, Set<String>>> graph, String from, String to) {
        graph.computeIfAbsent(from, k -> new TreeMap<>()).computeIfAbsent(to, k -> new TreeSet<>()).add(from + "->" + to);
        graph.computeIfAbsent(to, k -> new TreeMap<>());
    }

    /** package → package it uses → "File.java: Name" that make the use. */
    static Map<String, Map<String, Set<String>>> graph(Path sources) {
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        Map<Path, String> packageOf = new HashMap<>();
        Map<Path, String> code = new HashMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = withoutComments(Files.readString(file));
                Matcher pkg = PACKAGE.matcher(text);
                if (pkg.find()) {
                    packageOf.put(file, pkg.group(1));
                    code.put(file, text);
                    graph.computeIfAbsent(pkg.group(1), k -> new TreeMap<>());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<Path, String> file : code.entrySet()) {
            String from = packageOf.get(file.getKey());
            Matcher use = USE.matcher(file.getValue());
            while (use.find()) {
                String to = use.group(1);
                if (!to.equals(from) && graph.containsKey(to)) {
                    graph.get(from).computeIfAbsent(to, k -> new TreeSet<>())
                            .add(file.getKey().getFileName() + ": " + use.group(2));
                }
            }
        }
        return graph;
    }

    /**
     * Each strongly connected set of more than one package (Tarjan), sorted: every package in one
     * reaches every other, so each such set holds at least one cycle.
     */
    static List<List<String>> cycles(Map<String, Map<String, Set<String>>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> found = new ArrayList<>();
        for (String start : graph.keySet()) {
            if (!index.containsKey(start)) {
                connect(start, graph, index, low, stack, onStack, found);
            }
        }
        return found;
    }

    private static void connect(String node, Map<String, Map<String, Set<String>>> graph, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<List<String>> found) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        onStack.add(node);
        for (String next : graph.getOrDefault(node, Map.of()).keySet()) {
            if (!index.containsKey(next)) {
                connect(next, graph, index, low, stack, onStack, found);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                found.add(List.copyOf(component));
            }
        }
    }

    private static String describe(List<List<String>> cycles, Map<String, Map<String, Set<String>>> graph) {
        StringBuilder out = new StringBuilder("Packages that import each other (directly or round a loop):");
        for (List<String> cycle : cycles) {
            out.append("\n  ").append(String.join(", ", cycle.stream().map(PackageCyclesTest::shortName).toList()));
            for (String from : cycle) {
                for (Map.Entry<String, Set<String>> to : graph.get(from).entrySet()) {
                    if (cycle.contains(to.getKey())) {
                        out.append("\n    ").append(shortName(from)).append(" -> ").append(shortName(to.getKey()))
                                .append(": ").append(to.getValue());
                    }
                }
            }
        }
        return out.toString();
    }

    private static String shortName(String pkg) {
        return pkg.equals(ROOT) ? "(root)" : pkg.substring(ROOT.length() + 1);
    }

    /** The source with comments blanked out; string, text-block and character literals kept as they are. */
    static String withoutComments(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                while (i < n && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                int stop = end < 0 ? n : end + 3;
                out.append(source, i, stop);
                i = stop;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && source.charAt(j) != c && source.charAt(j) != '\n') {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                int stop = Math.min(n, j + 1);
                out.append(source, i, stop);
                i = stop;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
