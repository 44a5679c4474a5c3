import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the server's CPU went during ./load-bench.sh (TILLIT_BENCH_JFR=1): of the JFR execution
 * samples on request threads, the share with a Tillit frame anywhere on the stack (our code and what it
 * calls), the share in password hashing, and the Tillit methods and leaf methods seen most.
 * Usage: {@code java bench/JfrTop.java <recording.jfr>}.
 */
public class JfrTop {

    public static void main(String[] args) throws Exception {
        long all = 0;
        long tillit = 0;
        long hashing = 0;
        long tillitOwn = 0;
        Map<String, Long> ownLeaves = new HashMap<>();
        Map<String, Long> tillitMethods = new HashMap<>();
        Map<String, Long> leaves = new HashMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            String thread = e.getThread("sampledThread") == null ? "" : String.valueOf(e.getThread("sampledThread").getJavaName());
            if (!thread.startsWith("executor-thread")) {
                continue; // request threads only: not the JIT, GC, Infinispan or JGroups
            }
            all++;
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (!frames.isEmpty()) {
                leaves.merge(name(frames.get(0)), 1L, Long::sum);
            }
            boolean ours = false;
            boolean hash = false;
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (n.startsWith("dev.tillit.")) {
                    ours = true;
                    if (seen.add(n)) {
                        tillitMethods.merge(n, 1L, Long::sum);
                    }
                }
                if (n.contains("PasswordHashProvider") || n.contains("argon2") || n.contains("Argon2") || n.contains("Pbkdf2")) {
                    hash = true;
                }
            }
            tillit += ours ? 1 : 0;
            hashing += hash ? 1 : 0;
            if (ours && !hash) {
                // Our code's own cost: under a Tillit frame but not in the password check it hands to Keycloak.
                tillitOwn++;
                ownLeaves.merge(name(frames.get(0)), 1L, Long::sum);
            }
        }
        System.out.printf(Locale.ROOT, "JFR: %d execution samples on request threads%n", all);
        System.out.printf(Locale.ROOT, "  password hashing on the stack: %5.1f %%%n", 100.0 * hashing / all);
        System.out.printf(Locale.ROOT, "  a Tillit frame on the stack:   %5.1f %% (our code and everything it calls)%n", 100.0 * tillit / all);
        System.out.printf(Locale.ROOT, "  Tillit frame, not hashing:     %5.1f %% (our code's own cost)%n", 100.0 * tillitOwn / all);
        System.out.println("  leaf methods under a Tillit frame, not hashing (% of all samples):");
        top(ownLeaves, 8, all);
        System.out.println("  Tillit methods seen most (inclusive, % of all samples):");
        top(tillitMethods, 12, all);
        System.out.println("  leaf methods seen most (% of all samples):");
        top(leaves, 12, all);
    }

    static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    static void top(Map<String, Long> counts, int n, long all) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .forEach(e -> System.out.printf(Locale.ROOT, "    %5.1f %%  %s%n", 100.0 * e.getValue() / all, e.getKey()));
    }
}
