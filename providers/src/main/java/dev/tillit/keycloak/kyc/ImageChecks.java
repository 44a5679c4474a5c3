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
 */
public final class ImageChecks {

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

    public static Checked check(byte[] bytes, Limits limits) throws Refused {
        if (bytes.length > limits.maxBytes()) {
            throw new Refused(ImageProblem.TOO_LARGE_FILE, bytes.length + " bytes");
        }
        BufferedImage decoded;
        if (isJpeg(bytes)) {
            // The JDK's decoder subsamples while it decodes (a 17-megapixel photo never exists in
            // memory at full size); TwelveMonkeys', which decodes in full first, takes what it refuses
            // (CMYK and other files phones and scanners write that the JDK cannot read).
            try {
                decoded = decode(bytes, jdkJpegReader(), limits);
            } catch (Refused refused) {
                if (refused.problem() != ImageProblem.DAMAGED) {
                    throw refused;
                }
                decoded = decode(bytes, twelveMonkeysJpegReader(), limits);
            }
        } else {
            decoded = decode(bytes, readerFor(bytes), limits);
        }
        BufferedImage rgb = opaqueRgb(decoded);
        checkQuality(rgb, limits);
        byte[] jpeg = encodeJpeg(rgb);
        return new Checked(jpeg, rgb.getWidth(), rgb.getHeight(), sha256(jpeg));
    }

    private static BufferedImage decode(byte[] bytes, ImageReader reader, Limits limits) throws Refused {
        AtomicBoolean warned = new AtomicBoolean();
        reader.addIIOReadWarningListener((source, warning) -> warned.set(true));
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
            throw new Refused(ImageProblem.DAMAGED, String.valueOf(e.getMessage()));
        } finally {
            reader.dispose();
        }
        // The JPEG decoder reports a truncated file as a warning and fills the rest with grey.
        if (warned.get()) {
            throw new Refused(ImageProblem.DAMAGED, "decoder warning");
        }
        return decoded;
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
