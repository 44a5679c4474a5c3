package dev.tillit.keycloak.kyc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.junit.jupiter.api.Test;

/**
 * Not a test (Surefire's default includes skip it): prints what one large upload costs, from the
 * bytes in to the sealed bytes out — decode (subsampled), quality checks, re-encode without
 * metadata, AES-GCM. Targets (issue 11): under 1 s on 2 cores, peak extra heap at most 3× the file.
 *
 * <pre>mvn -o -q -pl providers test -Dtest=UploadBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * Peak heap is measured as the rise of the heap pools' peak usage over a collected baseline, which
 * counts garbage not yet collected too: an upper bound of what the upload needs.
 */
class UploadBenchmark {

    @Test
    void tenMegabyteUpload() throws Exception {
        byte[] upload = photo(10L * 1024 * 1024);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        KycCipher cipher = new KycCipher("kyc-key", name -> Optional.of(Base64.getEncoder().encodeToString(key)));
        ImageChecks checks = new ImageChecks(ImageChecks.Limits.defaults(10L * 1024 * 1024));
        System.out.printf("upload: %.2f MB JPEG%n", upload.length / 1048576.0);

        for (int warm = 0; warm < 2; warm++) {
            cipher.seal(checks.check(new ByteArrayInputStream(upload)).jpeg(), "warm-up");
        }
        long best = Long.MAX_VALUE;
        long worstPeak = 0;
        for (int run = 1; run <= 5; run++) {
            System.gc();
            Thread.sleep(100);
            List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).toList();
            long baseline = pools.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
            pools.forEach(MemoryPoolMXBean::resetPeakUsage);
            long started = System.nanoTime();
            ImageChecks.CleanImage clean = checks.check(new ByteArrayInputStream(upload));
            byte[] sealed = cipher.seal(clean.jpeg(), "bench");
            long nanos = System.nanoTime() - started;
            long peak = pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() - baseline;
            best = Math.min(best, nanos);
            worstPeak = Math.max(worstPeak, peak);
            System.out.printf("run %d: %d ms, peak extra heap %.1f MB (%.1f× the file), stored %dx%d, %.2f MB sealed%n",
                    run, nanos / 1_000_000, peak / 1048576.0, peak / (double) upload.length, clean.width(), clean.height(),
                    sealed.length / 1048576.0);
        }
        System.out.printf("best: %d ms; worst rise of the heap pools' peak (garbage included): %.1f MB = %.1f× the upload%n",
                best / 1_000_000, worstPeak / 1048576.0, worstPeak / (double) upload.length);

        // The heap an upload really needs: the smallest -Xmx under which a fresh JVM processes it,
        // less the smallest under which the same JVM only holds the upload and loads the classes.
        java.nio.file.Path file = java.nio.file.Files.createTempFile("tillit-upload", ".jpg");
        java.nio.file.Files.write(file, upload);
        try {
            int needed = smallestHeap(file, "upload");
            int baseline = smallestHeap(file, "baseline");
            long extra = (needed - baseline) * 1048576L;
            System.out.printf("smallest heap: %d MB with the upload processed, %d MB holding it only:"
                            + " extra heap needed %d MB = %.1f× the upload%n",
                    needed, baseline, needed - baseline, extra / (double) upload.length);
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
        assertTrue(best > 0);
    }

    /** Smallest -Xmx (MB, 2 MB steps) under which {@code Child <mode>} succeeds. */
    private static int smallestHeap(java.nio.file.Path file, String mode) throws Exception {
        int low = 4;
        int high = 256;
        if (!runs(file, mode, high)) {
            throw new IllegalStateException(mode + " fails even with " + high + " MB");
        }
        while (high - low > 2) {
            int mid = (low + high) / 2;
            if (runs(file, mode, mid)) {
                high = mid;
            } else {
                low = mid;
            }
        }
        return high;
    }

    private static boolean runs(java.nio.file.Path file, String mode, int heapMb) throws Exception {
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(javaBin, "-Xmx" + heapMb + "m", "-Xms" + Math.min(heapMb, 4) + "m",
                "-XX:+UseSerialGC", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), mode, file.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor() == 0;
    }

    /** Run in a child JVM: "baseline" holds the upload and loads the classes; "upload" processes it too. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            byte[] upload = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(args[1]));
            byte[] key = new byte[32];
            KycCipher cipher = new KycCipher("kyc-key", name -> Optional.of(Base64.getEncoder().encodeToString(key)));
            ImageChecks checks = new ImageChecks(ImageChecks.Limits.defaults(10L * 1024 * 1024));
            if (args[0].equals("baseline")) {
                // Load what processing loads, on a tiny picture.
                ByteArrayOutputStream small = new ByteArrayOutputStream();
                ImageIO.write(TestImages.card(700, 700, 1), "jpeg", small);
                cipher.seal(checks.check(new ByteArrayInputStream(small.toByteArray())).jpeg(), "b");
            } else {
                cipher.seal(checks.check(new ByteArrayInputStream(upload)).jpeg(), "b");
            }
            System.exit(upload.length > 0 ? 0 : 1);
        }
    }

    /** A camera-like JPEG just under {@code maxBytes}: a card with fine noise, high quality. */
    static byte[] photo(long maxBytes) throws Exception {
        int width = 4624;
        int height = 3472;
        BufferedImage image = TestImages.card(width, height, 42);
        Random random = new Random(7);
        byte[] pixels = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < pixels.length; i++) {
            int v = (pixels[i] & 0xff) + random.nextInt(61) - 30;
            pixels[i] = (byte) Math.max(0, Math.min(255, v));
        }
        for (float quality = 1.0f; quality > 0.3f; quality -= 0.05f) {
            byte[] jpeg = encode(image, quality);
            if (jpeg.length <= maxBytes) {
                return jpeg;
            }
        }
        throw new IllegalStateException("could not make a photo under " + maxBytes);
    }

    private static byte[] encode(BufferedImage image, float quality) throws Exception {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        }
        writer.dispose();
        return out.toByteArray();
    }
}
