package dev.tillit.keycloak.kyc;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ServiceRegistry;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;

/**
 * Decides whether an uploaded picture may be stored, and makes the copy that is. The content
 * decides, never the name or the declared type: the bytes must decode as JPEG or PNG to the
 * end. The pixel count comes from the header before any decoding (a 30000×30000 PNG is a few
 * hundred kilobytes). The stored copy is re-encoded from pixels, so nothing of the original
 * file survives: no EXIF, no GPS position, no hidden payload. It is scaled to at most
 * {@link Limits#storedLongSide()} pixels on its long side by subsampled decoding, which keeps
 * the heap near the size of the upload whatever the camera's resolution.
 *
 * <p>What a decode costs depends on the encoding, so the header is read first ({@link #inspect}):
 * baseline JPEGs and PNGs (plain or interlaced) decode row by row with subsampling, so their
 * memory is bounded by the stored size whatever their pixel count. A progressive JPEG cannot be
 * decoded that way: the JDK's decoder (libjpeg) buffers every DCT coefficient of the whole image
 * outside the heap, 128 bytes per 8×8 block and component, before the first row comes out; such
 * files are refused when that buffer would exceed {@link #PROGRESSIVE_BUFFER_BYTES}. CMYK and YCCK
 * JPEGs are read as a subsampled raster and converted here, never decoded at full size. Only the
 * sequential and progressive Huffman JPEG processes are accepted: lossless and arithmetic-coded
 * files (which phones do not write) would be decoded at full size by the fallback reader.
 */
public final class ImageChecks {

    /**
     * The most a progressive JPEG may make the decoder buffer outside the heap: 32 MiB, so that
     * even a small file stays within the upload budget (3× the file + 64 MB) with the decoded
     * copy beside it. That is about 11 megapixels in the usual 4:2:0 colour, 5.5 in 4:4:4. At
     * 48 MiB (16 megapixels) a 1 MB file raised the peak RSS by 81 MB: over budget (docs/benchmarks.md).
     */
    public static final long PROGRESSIVE_BUFFER_BYTES = 32L * 1024 * 1024;

    private static final int QUALITY_SAMPLE_SIDE = 800;
    private static final int DARK_MEAN_LUMINANCE = 40;
    private static final float STORED_JPEG_QUALITY = 0.9f;

    /** What a picture must satisfy; sharpness 0 turns the blur check off. */
    public record Limits(long maxBytes, long maxPixels, int minSide, int minSharpness, int storedLongSide) {
    }

    /** The copy to store: a JPEG without metadata. */
    public record Checked(byte[] jpeg, int width, int height, String sha256) {
    }

    /** The picture was refused for {@link #problem()}. */
    public static final class Refused extends Exception {
        private final ImageProblem problem;

        public Refused(ImageProblem problem, String detail) {
            super(problem + ": " + detail, null, false, false);
            this.problem = problem;
        }

        public ImageProblem problem() {
            return problem;
        }
    }

    private ImageChecks() {
    }

    /**
     * Stops a decode that has used more than its CPU time: the readers report progress row by row on
     * the decoding thread, and it aborts them there (the JDK's JPEG reader refuses an abort from
     * another thread while it decodes). CPU time, not wall time: on a node busy with other work a
     * good picture takes longer by the clock, not more CPU, and must not be refused for it.
     */
    private static final class Timer implements javax.imageio.event.IIOReadProgressListener,
            javax.imageio.event.IIOReadUpdateListener {
        private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
        private final long deadline;
        private final boolean bounded;
        private boolean aborted;

        Timer(java.time.Duration limit) {
            this.bounded = limit != null;
            this.deadline = bounded ? THREADS.getCurrentThreadCpuTime() + limit.toNanos() : 0;
        }

        void attach(ImageReader reader) {
            reader.addIIOReadProgressListener(this);
            if (bounded) {
                reader.addIIOReadUpdateListener(this);
            }
        }

        private void tick(ImageReader reader) {
            if (bounded && !aborted && THREADS.getCurrentThreadCpuTime() - deadline > 0) {
                aborted = true;
                reader.abort();
            }
        }

        @Override
        public void imageProgress(ImageReader source, float percentageDone) {
            tick(source);
        }

        @Override
        public void readAborted(ImageReader source) {
            aborted = true;
        }

        @Override
        public void sequenceStarted(ImageReader source, int minIndex) {
        }

        @Override
        public void sequenceComplete(ImageReader source) {
        }

        @Override
        public void imageStarted(ImageReader source, int imageIndex) {
        }

        @Override
        public void imageComplete(ImageReader source) {
        }

        @Override
        public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {
        }

        @Override
        public void thumbnailProgress(ImageReader source, float percentageDone) {
        }

        @Override
        public void thumbnailComplete(ImageReader source) {
        }

        @Override
        public void imageUpdate(ImageReader source, BufferedImage theImage, int minX, int minY, int width, int height,
                                int periodX, int periodY, int[] bands) {
            tick(source);
        }

        @Override
        public void passStarted(ImageReader source, BufferedImage theImage, int pass, int minPass, int maxPass, int minX,
                                int minY, int periodX, int periodY, int[] bands) {
            tick(source);
        }

        @Override
        public void passComplete(ImageReader source, BufferedImage theImage) {
            tick(source);
        }

        @Override
        public void thumbnailPassStarted(ImageReader source, BufferedImage theThumbnail, int pass, int minPass, int maxPass,
                                         int minX, int minY, int periodX, int periodY, int[] bands) {
        }

        @Override
        public void thumbnailUpdate(ImageReader source, BufferedImage theThumbnail, int minX, int minY, int width, int height,
                                    int periodX, int periodY, int[] bands) {
        }

        @Override
        public void thumbnailPassComplete(ImageReader source, BufferedImage theThumbnail) {
        }
    }

    /**
     * What the header says, read before anything is decoded: the encoding, the size, and for a
     * JPEG its colour components and the bytes a progressive decode would buffer.
     */
    public record Header(String format, int width, int height, boolean progressive, int components, boolean adobe,
                         long coefficientBytes) {
        public long pixels() {
            return (long) width * height;
        }
    }

    public static Checked check(byte[] bytes, Limits limits) throws Refused {
        return check(bytes, limits, null);
    }

    /** As {@link #check(byte[], Limits)}, and a decode that uses more CPU time than {@code decodeTime} is refused as too costly. */
    public static Checked check(byte[] bytes, Limits limits, java.time.Duration decodeTime) throws Refused {
        if (bytes.length > limits.maxBytes()) {
            throw new Refused(ImageProblem.TOO_LARGE_FILE, bytes.length + " bytes");
        }
        Header header = inspect(bytes);
        if (header.pixels() > limits.maxPixels()) {
            throw new Refused(ImageProblem.TOO_MANY_PIXELS, header.width() + "x" + header.height());
        }
        if (Math.min(header.width(), header.height()) < limits.minSide()) {
            throw new Refused(ImageProblem.TOO_SMALL, header.width() + "x" + header.height());
        }
        if (header.progressive() && header.coefficientBytes() > PROGRESSIVE_BUFFER_BYTES) {
            throw new Refused(ImageProblem.TOO_COSTLY, "progressive " + header.width() + "x" + header.height());
        }
        BufferedImage decoded;
        if ("jpeg".equals(header.format()) && header.components() == 4) {
            decoded = decodeCmyk(bytes, header, limits, decodeTime);
        } else if ("jpeg".equals(header.format())) {
            // The JDK's decoder subsamples while it decodes (a 17-megapixel photo never exists in
            // memory at full size); TwelveMonkeys', which decodes in full first, takes what it refuses
            // (CMYK and other files phones and scanners write that the JDK cannot read).
            try {
                decoded = decode(bytes, jdkJpegReader(), limits, decodeTime);
            } catch (Refused refused) {
                if (refused.problem() != ImageProblem.DAMAGED) {
                    throw refused;
                }
                decoded = decode(bytes, twelveMonkeysJpegReader(), limits, decodeTime);
            }
        } else {
            decoded = decode(bytes, readerFor(bytes), limits, decodeTime);
        }
        BufferedImage rgb = opaqueRgb(decoded);
        checkQuality(rgb, limits);
        byte[] jpeg = encodeJpeg(rgb);
        return new Checked(jpeg, rgb.getWidth(), rgb.getHeight(), sha256(jpeg));
    }

    private static BufferedImage decode(byte[] bytes, ImageReader reader, Limits limits, java.time.Duration decodeTime) throws Refused {
        AtomicBoolean warned = new AtomicBoolean();
        reader.addIIOReadWarningListener((source, warning) -> warned.set(true));
        Timer timer = new Timer(decodeTime);
        timer.attach(reader);
        BufferedImage decoded;
        // Read in place: ImageIO's own stream over a byte array would copy it into a cache first.
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            // Metadata is never read: it is not needed, and its parsers are attack surface.
            reader.setInput(in, true, true);
            long width = reader.getWidth(0);
            long height = reader.getHeight(0);
            if (width * height > limits.maxPixels()) {
                throw new Refused(ImageProblem.TOO_MANY_PIXELS, width + "x" + height);
            }
            if (Math.min(width, height) < limits.minSide()) {
                throw new Refused(ImageProblem.TOO_SMALL, width + "x" + height);
            }
            ImageReadParam param = reader.getDefaultReadParam();
            int step = (int) Math.max(1, (Math.max(width, height) + limits.storedLongSide() - 1) / limits.storedLongSide());
            param.setSourceSubsampling(step, step, 0, 0);
            decoded = reader.read(0, param);
        } catch (IOException | RuntimeException e) {
            throw new Refused(timer.aborted ? ImageProblem.TOO_COSTLY : ImageProblem.DAMAGED, String.valueOf(e.getMessage()));
        } finally {
            reader.dispose();
        }
        if (timer.aborted) {
            throw new Refused(ImageProblem.TOO_COSTLY, "decoding took too long");
        }
        // The JPEG decoder reports a truncated file as a warning and fills the rest with grey.
        if (warned.get()) {
            throw new Refused(ImageProblem.DAMAGED, "decoder warning");
        }
        return decoded;
    }

    /**
     * CMYK and YCCK JPEGs (print workflows, some scanners): the JDK's reader decodes them only as a
     * raster, which it subsamples like any other; the colours are converted here without the
     * embedded profile (good enough to read a document). TwelveMonkeys' reader would decode the
     * whole image first to apply the profile.
     */
    private static BufferedImage decodeCmyk(byte[] bytes, Header header, Limits limits, java.time.Duration decodeTime) throws Refused {
        ImageReader reader = jdkJpegReader();
        AtomicBoolean warned = new AtomicBoolean();
        reader.addIIOReadWarningListener((source, warning) -> warned.set(true));
        Timer timer = new Timer(decodeTime);
        timer.attach(reader);
        java.awt.image.Raster raster;
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            reader.setInput(in, true, true);
            ImageReadParam param = reader.getDefaultReadParam();
            int step = subsampling(header.width(), header.height(), limits);
            param.setSourceSubsampling(step, step, 0, 0);
            raster = reader.readRaster(0, param);
        } catch (IOException | RuntimeException e) {
            throw new Refused(timer.aborted ? ImageProblem.TOO_COSTLY : ImageProblem.DAMAGED, String.valueOf(e.getMessage()));
        } finally {
            reader.dispose();
        }
        if (timer.aborted) {
            throw new Refused(ImageProblem.TOO_COSTLY, "decoding took too long");
        }
        if (warned.get() || raster.getNumBands() != 4) {
            throw new Refused(ImageProblem.DAMAGED, "CMYK raster");
        }
        int w = raster.getWidth();
        int h = raster.getHeight();
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] out = ((java.awt.image.DataBufferByte) rgb.getRaster().getDataBuffer()).getData();
        int[] row = new int[w * 4];
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            for (int x = 0; x < w; x++) {
                int c = row[x * 4];
                int m = row[x * 4 + 1];
                int ye = row[x * 4 + 2];
                int k = row[x * 4 + 3];
                if (header.adobe()) {
                    // Adobe's writers store CMYK inverted (and YCCK, which the decoder has made CMYK, too).
                    c = 255 - c;
                    m = 255 - m;
                    ye = 255 - ye;
                    k = 255 - k;
                }
                int i = (y * w + x) * 3;
                out[i] = (byte) (255 - Math.min(255, ye + k));
                out[i + 1] = (byte) (255 - Math.min(255, m + k));
                out[i + 2] = (byte) (255 - Math.min(255, c + k));
            }
        }
        return rgb;
    }

    private static int subsampling(long width, long height, Limits limits) {
        return (int) Math.max(1, (Math.max(width, height) + limits.storedLongSide() - 1) / limits.storedLongSide());
    }

    /**
     * Reads the header: a JPEG's markers up to its frame header (SOF), or a PNG's IHDR. Only what
     * decides the cost is read; metadata segments are skipped by their length, never parsed.
     */
    public static Header inspect(byte[] bytes) throws Refused {
        if (isJpeg(bytes)) {
            return inspectJpeg(bytes);
        }
        if (startsWith(bytes, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            if (bytes.length < 33 || !(bytes[12] == 'I' && bytes[13] == 'H' && bytes[14] == 'D' && bytes[15] == 'R')) {
                throw new Refused(ImageProblem.DAMAGED, "PNG without IHDR");
            }
            long width = u32(bytes, 16);
            long height = u32(bytes, 20);
            if (width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
                throw new Refused(ImageProblem.DAMAGED, "PNG size " + width + "x" + height);
            }
            return new Header("png", (int) width, (int) height, bytes[28] == 1, 0, false, 0);
        }
        throw new Refused(ImageProblem.NOT_AN_IMAGE, "magic number");
    }

    private static Header inspectJpeg(byte[] bytes) throws Refused {
        boolean adobe = false;
        int i = 2;
        while (i + 4 <= bytes.length) {
            if ((bytes[i] & 0xFF) != 0xFF) {
                throw new Refused(ImageProblem.DAMAGED, "JPEG marker expected at " + i);
            }
            int marker = bytes[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++;                        // fill byte
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2;                     // markers without a length
                continue;
            }
            int length = u16(bytes, i + 2);
            if (length < 2 || i + 2 + length > bytes.length) {
                throw new Refused(ImageProblem.DAMAGED, "JPEG segment length");
            }
            int segment = i + 4;
            if (marker == 0xEE && length >= 7 && bytes[segment] == 'A' && bytes[segment + 1] == 'd' && bytes[segment + 2] == 'o'
                    && bytes[segment + 3] == 'b' && bytes[segment + 4] == 'e') {
                adobe = true;
            }
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                if (marker != 0xC0 && marker != 0xC1 && marker != 0xC2) {
                    // Lossless, hierarchical or arithmetic-coded: no camera writes them.
                    throw new Refused(ImageProblem.NOT_AN_IMAGE, String.format("JPEG process SOF%d", marker - 0xC0));
                }
                if (length < 8) {
                    throw new Refused(ImageProblem.DAMAGED, "short SOF");
                }
                int height = u16(bytes, segment + 1);
                int width = u16(bytes, segment + 3);
                int components = bytes[segment + 5] & 0xFF;
                if (width == 0 || height == 0 || components == 0 || length < 8 + 3 * components) {
                    throw new Refused(ImageProblem.DAMAGED, "SOF " + width + "x" + height + " components " + components);
                }
                int hMax = 1;
                int vMax = 1;
                for (int c = 0; c < components; c++) {
                    int sampling = bytes[segment + 7 + 3 * c] & 0xFF;
                    hMax = Math.max(hMax, sampling >> 4);
                    vMax = Math.max(vMax, sampling & 0x0F);
                }
                long blocks = 0;
                for (int c = 0; c < components; c++) {
                    int sampling = bytes[segment + 7 + 3 * c] & 0xFF;
                    int hs = Math.max(1, sampling >> 4);
                    int vs = Math.max(1, sampling & 0x0F);
                    long cw = ((long) width * hs + hMax - 1) / hMax;
                    long ch = ((long) height * vs + vMax - 1) / vMax;
                    blocks += ((cw + 7) / 8) * ((ch + 7) / 8);
                }
                // 64 coefficients of 2 bytes per block: what libjpeg keeps for a progressive image.
                return new Header("jpeg", width, height, marker == 0xC2, components, adobe, blocks * 128);
            }
            if (marker == 0xDA || marker == 0xD9) {
                break;                      // scan data before any frame header
            }
            i += 2 + length;
        }
        throw new Refused(ImageProblem.DAMAGED, "no JPEG frame header");
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    private static long u32(byte[] b, int i) {
        return ((long) u16(b, i) << 16) | u16(b, i + 2);
    }

    private static boolean isJpeg(byte[] bytes) {
        return startsWith(bytes, 0xFF, 0xD8, 0xFF);
    }

    private static ImageReader jdkJpegReader() {
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("jpeg"); it.hasNext(); ) {
            ImageReader reader = it.next();
            if (reader.getOriginatingProvider() != null
                    && reader.getOriginatingProvider().getClass().getName().startsWith("com.sun.imageio.plugins.jpeg")) {
                return reader;
            }
        }
        return twelveMonkeysJpegReader();
    }

    /** Picks the decoder from the file's first bytes (its magic number), not from anything the client said. */
    private static ImageReader readerFor(byte[] bytes) throws Refused {
        if (startsWith(bytes, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
            if (readers.hasNext()) {
                return readers.next();
            }
        }
        throw new Refused(ImageProblem.NOT_AN_IMAGE, "magic number");
    }

    /**
     * TwelveMonkeys' reader wraps the JDK's JPEG decoder, which it finds at registration. It is
     * registered in a registry of its own: in the JVM-wide one it would change how Keycloak
     * itself reads every JPEG.
     */
    private static ImageReader twelveMonkeysJpegReader() {
        ImageReaderSpi jdk = null;
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("jpeg"); it.hasNext(); ) {
            ImageReaderSpi spi = it.next().getOriginatingProvider();
            if (spi != null && spi.getClass().getName().startsWith("com.sun.imageio.plugins.jpeg")) {
                jdk = spi;
            }
        }
        ServiceRegistry registry = new ServiceRegistry(List.<Class<?>>of(ImageReaderSpi.class).iterator());
        if (jdk != null) {
            registry.registerServiceProvider(jdk, ImageReaderSpi.class);
        }
        JPEGImageReaderSpi spi = new JPEGImageReaderSpi();
        registry.registerServiceProvider(spi, ImageReaderSpi.class);
        try {
            return spi.createReaderInstance(null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean startsWith(byte[] bytes, int... magic) {
        if (bytes.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((bytes[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** Transparency is flattened onto white, as a reviewer would see a scan on paper. */
    private static BufferedImage opaqueRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR || image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = rgb.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return rgb;
    }

    /**
     * Darkness by mean luminance; blur by the variance of the Laplacian, both on a grey sample of
     * about 800 px, taken pixel by pixel from the decoded picture (no scaled copy of it is made).
     */
    static void checkQuality(BufferedImage image, Limits limits) throws Refused {
        int step = Math.max(1, (Math.max(image.getWidth(), image.getHeight()) + QUALITY_SAMPLE_SIDE - 1) / QUALITY_SAMPLE_SIDE);
        int w = Math.max(3, image.getWidth() / step);
        int h = Math.max(3, image.getHeight() / step);
        byte[] px = new byte[w * h];
        byte[] bgr = image.getType() == BufferedImage.TYPE_3BYTE_BGR
                ? ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData() : null;
        int width = image.getWidth();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sx = Math.min(width - 1, x * step);
                int sy = Math.min(image.getHeight() - 1, y * step);
                int r;
                int g;
                int b;
                if (bgr != null) {
                    int i = (sy * width + sx) * 3;
                    b = bgr[i] & 0xFF;
                    g = bgr[i + 1] & 0xFF;
                    r = bgr[i + 2] & 0xFF;
                } else {
                    int rgb = image.getRGB(sx, sy);
                    r = (rgb >> 16) & 0xFF;
                    g = (rgb >> 8) & 0xFF;
                    b = rgb & 0xFF;
                }
                px[y * w + x] = (byte) ((299 * r + 587 * g + 114 * b) / 1000);
            }
        }

        long sum = 0;
        for (byte v : px) {
            sum += v & 0xFF;
        }
        double mean = (double) sum / px.length;
        if (mean < DARK_MEAN_LUMINANCE) {
            throw new Refused(ImageProblem.TOO_DARK, "mean luminance " + Math.round(mean));
        }
        if (limits.minSharpness() > 0) {
            double variance = laplacianVariance(px, w, h);
            if (variance < limits.minSharpness()) {
                throw new Refused(ImageProblem.TOO_BLURRY, "laplacian variance " + Math.round(variance));
            }
        }
    }

    static double laplacianVariance(byte[] px, int w, int h) {
        double sum = 0;
        double sumSq = 0;
        long n = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int i = y * w + x;
                int lap = (px[i - 1] & 0xFF) + (px[i + 1] & 0xFF) + (px[i - w] & 0xFF) + (px[i + w] & 0xFF) - 4 * (px[i] & 0xFF);
                sum += lap;
                sumSq += (double) lap * lap;
                n++;
            }
        }
        double mean = sum / n;
        return sumSq / n - mean * mean;
    }

    private static byte[] encodeJpeg(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 * 1024);
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(STORED_JPEG_QUALITY);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new IllegalStateException("JPEG encoding failed", e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
