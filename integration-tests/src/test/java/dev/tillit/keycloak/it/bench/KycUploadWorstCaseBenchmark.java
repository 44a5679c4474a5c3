package dev.tillit.keycloak.it.bench;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import dev.tillit.keycloak.it.support.DemoWebClient;
import dev.tillit.keycloak.it.support.HttpLoginFlow;
import dev.tillit.keycloak.it.support.KycPages;
import dev.tillit.keycloak.it.support.TestUsers;
import dev.tillit.keycloak.it.support.TillitRealm;
import dev.tillit.keycloak.it.support.TillitServerConfig;
import dev.tillit.keycloak.kyc.ImageChecks;
import dev.tillit.keycloak.kyc.KycUploadResource;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.injection.LifeCycle;
import org.keycloak.testframework.realm.ManagedRealm;

/**
 * What the worst picture of each encoding costs, at the largest size the default settings allow
 * (10 MB, 50 megapixels), and what 8 uploads at once do to a sign-in beside them. Figures, not
 * pass/fail; the targets of issue 19 are printed beside them. Run: {@code ./bench.sh -Dit.test=KycUploadWorstCaseBenchmark}.
 * <ul>
 * <li>Per encoding, in this JVM (the exact code the endpoint runs, {@link ImageChecks#check}): CPU time of
 * the check, heap allocated by it (an upper bound on its peak), and growth of this process's peak
 * resident memory (heap and native, e.g. libjpeg's buffers) over its resident memory before.</li>
 * <li>On the real server: 8 sessions at the front step each upload the costliest picture that is
 * refused late (a 48-megapixel photo too dark to accept: a full decode every time, and the refusal
 * brings the next token) in a loop, while a ninth signs in again and again. The server's CPU time
 * and peak RSS come from /proc.</li>
 * </ul>
 */
@KeycloakIntegrationTest(config = TillitServerConfig.class)
class KycUploadWorstCaseBenchmark {

    private static final String PASSWORD = "Bench-Passw0rd!";
    private static final int SIGN_INS = 40;
    private static final int UPLOADERS = 8;
    private static final Pattern DATA_URL = Pattern.compile("data-url=\"([^\"]+)\"");
    private static final Pattern DATA_TOKEN = Pattern.compile("data-token=\"([^\"]+)\"");

    @InjectRealm(ref = "tillit", fromJson = TillitRealm.JSON, config = TillitRealm.class, lifecycle = LifeCycle.GLOBAL)
    ManagedRealm realm;

    @Test
    void worstCasePerEncodingAndSignInsBesideUploads() throws Exception {
        ImageChecks.Limits limits = new ImageChecks.Limits(10_000_000, 50_000_000, 480, 100, KycUploadResource.STORED_LONG_SIDE);
        Map<String, byte[]> files = new LinkedHashMap<>();
        BufferedImage big = photo(8160, 6120, 6);
        files.put("baseline JPEG 8160x6120 (50 MP)", fit(q -> jpeg(big, q, false)));
        files.put("progressive JPEG 8160x6120 (50 MP)", fit(q -> jpeg(big, q, true)));
        BufferedImage sixteen = photo(4896, 3264, 6);
        files.put("progressive JPEG 4896x3264 (16 MP, the largest accepted)", fit(q -> jpeg(sixteen, q, true)));
        files.put("CMYK JPEG 8160x6120 (50 MP)", fit(q -> cmyk(big, q)));
        BufferedImage flat = photo(8160, 6120, 0);
        files.put("PNG 8160x6120 (50 MP)", png(flat, false));
        files.put("interlaced PNG 8160x6120 (50 MP)", png(flat, true));

        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%n| file | size | verdict | CPU | heap allocated | peak RSS growth | budget (3x file + 64 MB) |%n"
                + "|---|---:|---|---:|---:|---:|---:|%n"));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            byte[] bytes = file.getValue();
            long cpu = Long.MAX_VALUE;
            long allocated = 0;
            long rss = 0;
            String verdict = "";
            for (int run = 0; run < 3; run++) {
                System.gc();
                Files.writeString(Path.of("/proc/self/clear_refs"), "5");
                long rssBefore = status("VmRSS:");
                long cpuBefore = threads.getCurrentThreadCpuTime();
                long allocBefore = threads.getCurrentThreadAllocatedBytes();
                try {
                    ImageChecks.Checked checked = ImageChecks.check(bytes, limits, Duration.ofSeconds(5));
                    verdict = "accepted (" + checked.width() + "x" + checked.height() + ")";
                } catch (ImageChecks.Refused refused) {
                    verdict = "refused: " + refused.problem().name().toLowerCase(Locale.ROOT);
                }
                cpu = Math.min(cpu, threads.getCurrentThreadCpuTime() - cpuBefore);
                allocated = Math.max(allocated, threads.getCurrentThreadAllocatedBytes() - allocBefore);
                rss = Math.max(rss, status("VmHWM:") - rssBefore);
            }
            table.append(String.format(Locale.ROOT, "| %s | %.1f MB | %s | %d ms | %.0f MB | %.0f MB | %.0f MB |%n", file.getKey(),
                    bytes.length / 1e6, verdict, cpu / 1_000_000, allocated / 1e6, Math.max(0, rss) / 1e6, (3.0 * bytes.length + 64e6) / 1e6));
        }

        // ---- On the server: sign-ins alone, then beside 8 uploads in a loop.
        byte[] dark = fit(q -> jpeg(darken(big), q, false));
        String signInEmail = user("bench-signin", true);
        List<Double> idle = signIns(signInEmail, SIGN_INS);

        List<String[]> targets = new ArrayList<>();
        List<HttpLoginFlow> sessions = new ArrayList<>();
        for (int i = 0; i < UPLOADERS; i++) {
            HttpLoginFlow flow = toFrontStep(user("bench-upload-" + i, true));
            sessions.add(flow);
            targets.add(new String[] {html(match(DATA_URL, flow.page())), match(DATA_TOKEN, flow.page())});
        }
        long serverPid = serverPid();
        long serverCpuBefore = serverPid > 0 ? cpuTicks(serverPid) : 0;
        long serverRssBefore = serverPid > 0 ? status(serverPid, "VmRSS:") : 0;
        if (serverPid > 0) {
            try {
                Files.writeString(Path.of("/proc/" + serverPid + "/clear_refs"), "5");   // resets VmHWM to the current RSS
            } catch (java.io.IOException notAllowed) {
                System.out.println("(cannot reset the server's peak RSS: its figure is its peak since start)");
            }
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger decoded = new AtomicInteger();
        AtomicInteger busy = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(UPLOADERS);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < UPLOADERS; i++) {
            HttpLoginFlow flow = sessions.get(i);
            String[] target = targets.get(i);
            running.add(pool.submit(() -> {
                String token = target[1];
                while (!stop.get()) {
                    HttpResponse<String> answer = flow.postBytes(target[0],
                            Map.of("Content-Type", "application/octet-stream", "X-Tillit-Upload-Token", token), dark);
                    if (answer.statusCode() == 422) {
                        decoded.incrementAndGet();
                    } else if (answer.statusCode() == 503) {
                        busy.incrementAndGet();
                        Thread.sleep(1000L * Integer.parseInt(answer.headers().firstValue("Retry-After").orElse("1")));
                    } else {
                        other.incrementAndGet();
                    }
                    String next = KycPages.nextToken(answer);
                    if (next == null) {
                        return null;
                    }
                    token = next;
                }
                return null;
            }));
        }
        long loadStart = System.nanoTime();
        List<Double> loaded = signIns(signInEmail, SIGN_INS);
        stop.set(true);
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - loadStart) / 1e9;
        long serverCpu = serverPid > 0 ? cpuTicks(serverPid) - serverCpuBefore : 0;
        long serverPeak = serverPid > 0 ? status(serverPid, "VmHWM:") - serverRssBefore : 0;

        Collections.sort(idle);
        Collections.sort(loaded);
        System.out.println();
        System.out.printf(Locale.ROOT, "KYC upload worst cases on %d cores, %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
                java.time.LocalDate.now(), System.getProperty("java.version"));
        System.out.println(table);
        System.out.printf(Locale.ROOT, "Sign-in (login page + password) alone:            p50 %.0f ms, p95 %.0f ms (n=%d)%n",
                pct(idle, 50), pct(idle, 95), idle.size());
        System.out.printf(Locale.ROOT, "Sign-in beside %d uploads in a loop:               p50 %.0f ms, p95 %.0f ms (n=%d) = %.1f x idle p95"
                + " (target <= 2 x)%n", UPLOADERS, pct(loaded, 50), pct(loaded, 95), loaded.size(), pct(loaded, 95) / pct(idle, 95));
        System.out.printf(Locale.ROOT, "Uploads meanwhile (%.0f s): %d checked and refused late (too dark), %d answered 503, %d other%n",
                seconds, decoded.get(), busy.get(), other.get());
        if (serverPid > 0) {
            System.out.printf(Locale.ROOT, "Server (pid %d): CPU %.1f s in that time = %.2f s per checked upload; peak RSS %.0f MB over its RSS before%n",
                    serverPid, serverCpu / 100.0, decoded.get() == 0 ? 0 : serverCpu / 100.0 / decoded.get(), serverPeak / 1e6);
        }
    }

    // ---- sign-ins and sessions over HTTP

    private List<Double> signIns(String email, int n) throws Exception {
        List<Double> millis = new ArrayList<>();
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                HttpLoginFlow flow = new HttpLoginFlow().get(client.authorizationUrl("en"));
                flow.submitForm("kc-form-login", Map.of("username", email, "password", PASSWORD));
                if (!flow.page().contains("tillit-kyc-form")) {
                    throw new AssertionError("sign-in did not reach the verification page");
                }
                millis.add((System.nanoTime() - start) / 1e6);
            }
        }
        return millis;
    }

    private HttpLoginFlow toFrontStep(String email) throws Exception {
        try (DemoWebClient client = new DemoWebClient(realm.getBaseUrl())) {
            HttpLoginFlow flow = new HttpLoginFlow().get(client.authorizationUrl("en"));
            flow.submitForm("kc-form-login", Map.of("username", email, "password", PASSWORD));
            flow.submitForm("tillit-kyc-form", Map.of("step", "overview"));
            flow.submitForm("tillit-kyc-form", Map.of("step", "country", "country", "SE"));
            flow.submitForm("tillit-kyc-form", Map.of("step", "document", "documentType", "id_card", "documentCountry", "SE"));
            flow.submitForm("tillit-kyc-form", Map.of("step", "details", "fullName", "Anna Svensson", "birthDate", "1990-01-01",
                    "street", "Storgatan 1", "postalCode", "111 22", "city", "Stockholm"));
            if (!flow.page().contains("tillit-kyc-upload")) {
                throw new AssertionError("not at the front step");
            }
            return flow;
        }
    }

    private String user(String prefix, boolean kyc) {
        String email = TestUsers.freshEmail(prefix);
        String id = TestUsers.create(realm, email, null, PASSWORD);
        if (kyc) {
            UserRepresentation rep = realm.admin().users().get(id).toRepresentation();
            rep.setRequiredActions(List.of(KycPages.ACTION));
            realm.admin().users().get(id).update(rep);
        }
        return email;
    }

    private static String match(Pattern pattern, String page) {
        Matcher m = pattern.matcher(page);
        if (!m.find()) {
            throw new AssertionError("not on the page: " + pattern);
        }
        return m.group(1);
    }

    private static String html(String attribute) {
        return attribute.replace("&amp;", "&");
    }

    private static double pct(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    // ---- /proc

    private static long status(String field) throws Exception {
        return status(-1, field);
    }

    private static long status(long pid, String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + (pid < 0 ? "self" : String.valueOf(pid)) + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }

    /** The Keycloak server this suite started: the Java process running Quarkus' entry point. */
    private static long serverPid() throws Exception {
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                if (!p.getFileName().toString().matches("\\d+")) {
                    continue;
                }
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")));
                    if (cmd.contains("kc-test-framework") && cmd.contains("quarkus")) {
                        return Long.parseLong(p.getFileName().toString());
                    }
                } catch (java.io.IOException gone) {
                    // a process that ended meanwhile
                }
            }
        }
        return -1;
    }

    /** utime + stime of a process, in clock ticks (1/100 s). */
    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    // ---- pictures

    private interface Encoder {
        byte[] encode(float quality) throws Exception;
    }

    /** The best quality that fits the 10 MB limit. */
    private static byte[] fit(Encoder encoder) throws Exception {
        for (float q = 0.9f; ; q -= 0.1f) {
            byte[] bytes = encoder.encode(q);
            if (bytes.length <= 9_900_000 || q < 0.15f) {
                return bytes;
            }
        }
    }

    private static BufferedImage photo(int w, int h, int noise) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setPaint(new java.awt.GradientPaint(0, 0, new Color(220, 228, 236), w, h, new Color(120, 130, 150)));
        g.fillRect(0, 0, w, h);
        g.setColor(new Color(20, 40, 80));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, h / 40));
        for (int line = 1; line < 36; line++) {
            g.drawString("IDENTITY CARD SVENSSON ANNA 19900101 " + line, w / 20, line * h / 36);
        }
        g.dispose();
        if (noise > 0) {
            byte[] px = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
            Random random = new Random(1);
            for (int i = 0; i < px.length; i++) {
                px[i] = (byte) Math.max(0, Math.min(255, (px[i] & 0xFF) + random.nextInt(2 * noise + 1) - noise));
            }
        }
        return image;
    }

    private static BufferedImage darken(BufferedImage image) {
        return new java.awt.image.RescaleOp(0.08f, 0f, null).filter(image, null);
    }

    private static byte[] jpeg(BufferedImage image, float quality, boolean progressive) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static byte[] cmyk(BufferedImage image, float quality) throws Exception {
        int w = image.getWidth();
        int h = image.getHeight();
        java.awt.image.WritableRaster raster = java.awt.image.Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, w, h, 4, null);
        byte[] bgr = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
        byte[] px = ((java.awt.image.DataBufferByte) raster.getDataBuffer()).getData();
        for (int i = 0, j = 0; i < bgr.length; i += 3, j += 4) {
            int b = bgr[i] & 0xFF;
            int g = bgr[i + 1] & 0xFF;
            int r = bgr[i + 2] & 0xFF;
            int k = 255 - Math.max(r, Math.max(g, b));
            px[j] = (byte) (255 - r - k);
            px[j + 1] = (byte) (255 - g - k);
            px[j + 2] = (byte) (255 - b - k);
            px[j + 3] = (byte) k;
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(raster, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static byte[] png(BufferedImage image, boolean interlaced) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(interlaced ? ImageWriteParam.MODE_DEFAULT : ImageWriteParam.MODE_DISABLED);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
