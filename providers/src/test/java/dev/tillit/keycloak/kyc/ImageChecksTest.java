package dev.tillit.keycloak.kyc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import dev.tillit.keycloak.TillitMessages;

class ImageChecksTest {

    private static final long TEN_MB = 10L * 1024 * 1024;
    private final ImageChecks checks = new ImageChecks(ImageChecks.Limits.defaults(TEN_MB));

    private UploadRefusedException refused(byte[] upload) {
        return assertThrows(UploadRefusedException.class, () -> checks.check(new ByteArrayInputStream(upload)));
    }

    @Test
    void aGoodJpegIsReEncodedAndMeasured() throws Exception {
        byte[] upload = TestImages.jpeg(TestImages.card(1200, 800, 1));
        ImageChecks.CleanImage clean = checks.check(new ByteArrayInputStream(upload));
        assertEquals(1200, clean.width());
        assertEquals(800, clean.height());
        assertEquals(64, clean.sha256().length());
        assertEquals(ImageChecks.sha256(clean.jpeg()), clean.sha256());
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(clean.jpeg()));
        assertEquals(1200, decoded.getWidth());
        assertTrue(clean.brightness() > 150, "brightness " + clean.brightness());
        assertTrue(clean.sharpness() > 100, "sharpness " + clean.sharpness());
    }

    @Test
    void aPngIsAcceptedAndStoredAsJpeg() throws Exception {
        ImageChecks.CleanImage clean = checks.check(new ByteArrayInputStream(TestImages.png(TestImages.card(1000, 700, 2))));
        assertEquals((byte) 0xFF, clean.jpeg()[0]);
        assertEquals((byte) 0xD8, clean.jpeg()[1]);
    }

    @Test
    void textRenamedJpgIsNotAnImage() {
        UploadRefusedException e = refused("This is not a picture, just text saved as passport.jpg\n".repeat(50)
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(TillitMessages.KYC_UPLOAD_NOT_IMAGE, e.messageKey());
        assertEquals("not_an_image", e.reason());
    }

    @Test
    void anEmptyUploadIsNotAnImage() {
        assertEquals(TillitMessages.KYC_UPLOAD_NOT_IMAGE, refused(new byte[0]).messageKey());
    }

    @Test
    void aTruncatedJpegIsDamaged() throws Exception {
        byte[] whole = TestImages.jpeg(TestImages.card(1200, 800, 3));
        UploadRefusedException e = refused(Arrays.copyOf(whole, whole.length / 2));
        assertEquals(TillitMessages.KYC_UPLOAD_DAMAGED, e.messageKey());
    }

    @Test
    void aJpegHeaderWithNothingAfterIsDamaged() throws Exception {
        byte[] whole = TestImages.jpeg(TestImages.card(1200, 800, 3));
        assertEquals(TillitMessages.KYC_UPLOAD_DAMAGED, refused(Arrays.copyOf(whole, 700)).messageKey());
    }

    @Test
    void twentyMegabytesAreRefusedWhileStreamingWithoutReadingThemAll() {
        // A valid JPEG followed by padding up to 20 MB: the image alone would pass, the upload must not.
        long size = 20L * 1024 * 1024;
        CountingStream upload = new CountingStream(size);
        UploadRefusedException e = assertThrows(UploadRefusedException.class, () -> checks.check(upload));
        assertEquals(TillitMessages.KYC_UPLOAD_TOO_LARGE, e.messageKey());
        assertTrue(upload.served <= TEN_MB + 64 * 1024, "read " + upload.served + " bytes of a 20 MB upload");
    }

    @Test
    void trailingBytesPastTheLimitCount() throws Exception {
        byte[] image = TestImages.jpeg(TestImages.card(1200, 800, 4));
        byte[] padded = Arrays.copyOf(image, (int) TEN_MB + 1);
        assertEquals(TillitMessages.KYC_UPLOAD_TOO_LARGE, refused(padded).messageKey());
        byte[] justFits = Arrays.copyOf(image, (int) TEN_MB);
        checks.check(new ByteArrayInputStream(justFits));
    }

    @Test
    void aPngBombIsRefusedFromItsHeaderBeforeDecoding() throws Exception {
        byte[] bomb = TestImages.pngBomb(30000, 30000);
        assertTrue(bomb.length < 200, "the bomb is " + bomb.length + " bytes");
        Runtime runtime = Runtime.getRuntime();
        long before = runtime.totalMemory() - runtime.freeMemory();
        long started = System.nanoTime();
        UploadRefusedException e = refused(bomb);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(TillitMessages.KYC_UPLOAD_TOO_MANY_PIXELS, e.messageKey());
        assertTrue(millis < 2000, "took " + millis + " ms");
        long grown = runtime.totalMemory() - runtime.freeMemory() - before;
        assertTrue(grown < 200L * 1024 * 1024, "heap grew by " + grown);
    }

    @Test
    void gpsExifIsStripped() throws Exception {
        byte[] upload = TestImages.jpegWithGpsExif(TestImages.card(1200, 800, 5));
        byte[] marker = TestImages.GPS_MARKER.getBytes(StandardCharsets.US_ASCII);
        assertTrue(TestImages.contains(upload, marker), "the test upload carries the GPS block");
        assertTrue(TestImages.contains(upload, "Exif\0\0".getBytes(StandardCharsets.US_ASCII)));
        // The JDK decodes it (the EXIF block is well-formed enough to be skipped)...
        ImageChecks.CleanImage clean = checks.check(new ByteArrayInputStream(upload));
        // ...and nothing of it reaches storage.
        assertFalse(TestImages.contains(clean.jpeg(), marker));
        assertFalse(TestImages.contains(clean.jpeg(), "Exif".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(TestImages.contains(clean.jpeg(), new byte[]{(byte) 0xFF, (byte) 0xE1}), "no APP1 segment");
    }

    @Test
    void tooSmall() throws Exception {
        assertEquals(TillitMessages.KYC_UPLOAD_TOO_SMALL, refused(TestImages.jpeg(TestImages.card(500, 400, 6))).messageKey());
    }

    @Test
    void tooDark() throws Exception {
        BufferedImage dark = TestImages.darkened(TestImages.card(1000, 700, 7), 0.12);
        assertEquals(TillitMessages.KYC_UPLOAD_TOO_DARK, refused(TestImages.jpeg(dark)).messageKey());
    }

    @Test
    void tooBlurry() throws Exception {
        BufferedImage blurry = TestImages.blurred(TestImages.card(1000, 700, 8), 6);
        UploadRefusedException e = refused(TestImages.jpeg(blurry));
        assertEquals(TillitMessages.KYC_UPLOAD_TOO_BLURRY, e.messageKey());
    }

    @Test
    void largePhotosAreDecodedSubsampled() throws Exception {
        byte[] upload = TestImages.jpeg(TestImages.card(4000, 3000, 9));
        ImageChecks.CleanImage clean = checks.check(new ByteArrayInputStream(upload));
        assertTrue((long) clean.width() * clean.height() <= 6_000_000L, clean.width() + "x" + clean.height());
        assertEquals(2000, clean.width());
        assertEquals(1500, clean.height());
    }

    @Test
    void subsamplingStep() {
        assertEquals(1, ImageChecks.subsampling(2000, 3000, 6_000_000));
        assertEquals(2, ImageChecks.subsampling(4000, 3000, 6_000_000));
        assertEquals(3, ImageChecks.subsampling(6000, 5000, 6_000_000));
    }

    @Test
    void theSameUploadGivesTheSameStoredBytes() throws Exception {
        byte[] upload = TestImages.jpeg(TestImages.card(1200, 800, 10));
        assertArrayEquals(checks.check(new ByteArrayInputStream(upload)).jpeg(),
                checks.check(new ByteArrayInputStream(upload)).jpeg());
    }

    /** A valid JPEG followed by zeros up to {@code size}, generated as it is read; counts what was served. */
    static final class CountingStream extends InputStream {
        private final byte[] head;
        private final long size;
        long served;

        CountingStream(long size) {
            try {
                this.head = TestImages.jpeg(TestImages.card(1200, 800, 11));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            this.size = size;
        }

        @Override
        public int read() {
            if (served >= size) {
                return -1;
            }
            int b = served < head.length ? head[(int) served] & 0xff : 0;
            served++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (served >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - served);
            for (int i = 0; i < n; i++) {
                b[off + i] = served + i < head.length ? head[(int) (served + i)] : 0;
            }
            served += n;
            return n;
        }
    }
}
