package dev.tillit.keycloak.kyc;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import dev.tillit.keycloak.TillitMessages;

/**
 * Turns an untrusted upload into a clean image fit for review, or refuses it with a message the
 * user can act on. The content decides, never the file name or the declared type: the bytes must
 * decode as JPEG or PNG with the JDK's own decoders (no native code, no further library).
 *
 * <p>Order matters against abuse: the byte limit is counted while the upload streams in (the
 * stream is read on past the image to the end, so trailing bytes count too); the header's
 * dimensions are checked against the pixel limit before a single pixel is decoded (a 100-byte PNG
 * can claim 30000×30000 pixels, 2.7 GB decoded); large photos are decoded subsampled, so no more
 * than {@code maxStoredPixels} are ever held. A decoder warning (a truncated JPEG decodes with a grey
 * bottom) refuses the upload. What is stored is a fresh JPEG encoded from the pixels alone, so EXIF
 * (GPS position, camera serial) and every other piece of metadata is gone.
 */
public final class ImageChecks {

    public static final String CONTENT_TYPE = "image/jpeg";
    private static final Set<String> FORMATS = Set.of("jpeg", "png");

    /**
     * @param maxBytes        upload size limit
     * @param maxPixels       limit on width × height as the header declares it
     * @param maxStoredPixels larger images are decoded subsampled to at most about this many pixels
     * @param minSide         the shorter side must have at least this many pixels ("too small")
     * @param minBrightness   mean luminance 0–255 below which the image is "too dark"
     * @param minSharpness    variance of the Laplacian below which the image is "too blurry"
     */
    public record Limits(long maxBytes, long maxPixels, long maxStoredPixels, int minSide, double minBrightness,
                         double minSharpness) {

        public static Limits defaults(long maxBytes) {
            return new Limits(maxBytes, 50_000_000L, 6_000_000L, 600, 40, 25);
        }
    }

    /** A clean image: JPEG bytes, its size, SHA-256 and the measures the checks took. */
    public record CleanImage(byte[] jpeg, int width, int height, String sha256, double brightness, double sharpness) {
    }

    private final Limits limits;

    public ImageChecks(Limits limits) {
        this.limits = limits;
    }

    public CleanImage check(InputStream upload) throws UploadRefusedException, IOException {
        CountingLimit counted = new CountingLimit(upload, limits.maxBytes());
        BufferedImage image;
        int width;
        int height;
        try (ImageInputStream in = new MemoryCacheImageInputStream(counted)) {
            ImageReader reader = readerFor(in);
            try {
                reader.setInput(in, true, true);
                width = reader.getWidth(0);
                height = reader.getHeight(0);
                if (width <= 0 || height <= 0 || (long) width * height > limits.maxPixels()) {
                    throw new UploadRefusedException(TillitMessages.KYC_UPLOAD_TOO_MANY_PIXELS, "too_many_pixels");
                }
                if (Math.min(width, height) < limits.minSide()) {
                    throw new UploadRefusedException(TillitMessages.KYC_UPLOAD_TOO_SMALL, "too_small");
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int step = subsampling(width, height, limits.maxStoredPixels());
                param.setSourceSubsampling(step, step, 0, 0);
                boolean[] warned = {false};
                reader.addIIOReadWarningListener((source, warning) -> warned[0] = true);
                image = reader.read(0, param);
                if (warned[0]) {
                    throw new UploadRefusedException(TillitMessages.KYC_UPLOAD_DAMAGED, "damaged");
                }
            } catch (TooLargeException e) {
                throw new UploadRefusedException(TillitMessages.KYC_UPLOAD_TOO_LARGE, "too_large");
            } catch (IOException | RuntimeException e) {
                // Truncated or malformed data, an unsupported colour model (CMYK JPEG): nothing to review.
                if (e.getCause() instanceof TooLargeException) {
                    throw new UploadRefusedException(TillitMessages.KYC_UPLOAD_TOO_LARGE, "too_large");
                }
                throw new UploadRefusedException(TillitMessages.KYC_UPLOAD_DAMAGED, "damaged");
            } finally {
                reader.dispose();
            }
        }
        try {
            // Whatever follows the image counts against the limit as well.
            counted.drain();
        } catch (TooLargeException e) {
            throw new UploadRefusedException(TillitMessages.KYC_UPLOAD_TOO_LARGE, "too_large");
        }
        BufferedImage rgb = toRgb(image);
        image = null;
        double[] measures = measure(rgb);
        if (measures[0] < limits.minBrightness()) {
            throw new UploadRefusedException(TillitMessages.KYC_UPLOAD_TOO_DARK, "too_dark");
        }
        if (measures[1] < limits.minSharpness()) {
            throw new UploadRefusedException(TillitMessages.KYC_UPLOAD_TOO_BLURRY, "too_blurry");
        }
        byte[] jpeg = encode(rgb);
        return new CleanImage(jpeg, rgb.getWidth(), rgb.getHeight(), sha256(jpeg), measures[0], measures[1]);
    }

    private static ImageReader readerFor(ImageInputStream in) throws UploadRefusedException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            try {
                if (FORMATS.contains(reader.getFormatName().toLowerCase(Locale.ROOT))) {
                    return reader;
                }
            } catch (IOException e) {
                // fall through to the next reader
            }
            reader.dispose();
        }
        throw new UploadRefusedException(TillitMessages.KYC_UPLOAD_NOT_IMAGE, "not_an_image");
    }

    /** The smallest whole step that keeps a subsampled image within {@code maxPixels}. */
    static int subsampling(int width, int height, long maxPixels) {
        int step = 1;
        while ((long) Math.ceil(width / (double) step) * (long) Math.ceil(height / (double) step) > maxPixels) {
            step++;
        }
        return step;
    }

    /** Three bytes per pixel, no alpha (transparent areas become white, as on paper). */
    private static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }

    /**
     * Mean luminance and variance of the 4-neighbour Laplacian, on a grey copy at most 1024 pixels
     * on its longer side (the size a reviewer's screen shows; sharpness is judged at that scale).
     */
    static double[] measure(BufferedImage rgb) {
        double scale = Math.min(1.0, 1024.0 / Math.max(rgb.getWidth(), rgb.getHeight()));
        int w = Math.max(3, (int) Math.round(rgb.getWidth() * scale));
        int h = Math.max(3, (int) Math.round(rgb.getHeight() * scale));
        BufferedImage grey = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = grey.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(rgb, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        byte[] px = ((DataBufferByte) grey.getRaster().getDataBuffer()).getData();
        double sum = 0;
        for (byte b : px) {
            sum += b & 0xff;
        }
        double mean = sum / px.length;
        double lapSum = 0;
        double lapSq = 0;
        long n = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int i = y * w + x;
                int lap = (px[i - 1] & 0xff) + (px[i + 1] & 0xff) + (px[i - w] & 0xff) + (px[i + w] & 0xff) - 4 * (px[i] & 0xff);
                lapSum += lap;
                lapSq += (double) lap * lap;
                n++;
            }
        }
        double lapMean = lapSum / n;
        return new double[]{mean, lapSq / n - lapMean * lapMean};
    }

    private static byte[] encode(BufferedImage rgb) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            // No metadata passed: the writer emits a bare JFIF header, nothing of the upload's.
            writer.write(null, new IIOImage(rgb, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Thrown by the stream once more than the limit has been read. */
    static final class TooLargeException extends IOException {
        TooLargeException() {
            super("upload exceeds the size limit");
        }
    }

    /** Counts bytes as they stream in and fails the read that crosses the limit. */
    static final class CountingLimit extends FilterInputStream {
        private final long limit;
        private long count;

        CountingLimit(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            add(skipped);
            return skipped;
        }

        private void add(long n) throws TooLargeException {
            count += n;
            if (count > limit) {
                throw new TooLargeException();
            }
        }

        /** Reads (and counts) the rest of the stream. */
        void drain() throws IOException {
            byte[] buffer = new byte[8192];
            while (read(buffer, 0, buffer.length) >= 0) {
                // counted by read
            }
        }

        @Override
        public void close() {
            // The caller owns the upload stream; closing the image stream must not end it before drain().
        }
    }
}
