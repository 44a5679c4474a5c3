package dev.tillit.keycloak.kyc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

class ImageChecksTest {

    private static final ImageChecks.Limits LIMITS = new ImageChecks.Limits(10_000_000, 50_000_000, 480, 100, 2400);

    @Test
    void aSharpPhotoIsStoredAsAJpegWithoutItsMetadata() throws Exception {
        byte[] withGps = withExifGps(jpeg(card(1600, 1000, Color.WHITE)));
        assertTrue(contains(withGps, "Exif".getBytes(StandardCharsets.US_ASCII)), "the test picture carries EXIF");

        ImageChecks.Checked checked = ImageChecks.check(withGps, LIMITS);

        assertFalse(contains(checked.jpeg(), "Exif".getBytes(StandardCharsets.US_ASCII)), "EXIF survived");
        assertFalse(contains(checked.jpeg(), "GPS".getBytes(StandardCharsets.US_ASCII)), "GPS survived");
        BufferedImage stored = ImageIO.read(new ByteArrayInputStream(checked.jpeg()));
        assertEquals(1600, stored.getWidth());
        assertEquals(ImageChecks.sha256(checked.jpeg()), checked.sha256());
    }

    @Test
    void aPngWithTransparencyIsAccepted() throws Exception {
        BufferedImage argb = new BufferedImage(1200, 800, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = argb.createGraphics();
        g.drawImage(card(1200, 800, Color.WHITE), 0, 0, null);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(argb, "png", png);
        assertEquals(1200, ImageChecks.check(png.toByteArray(), LIMITS).width());
    }

    @Test
    void aHugePhotoIsStoredScaledDown() throws Exception {
        ImageChecks.Checked checked = ImageChecks.check(jpeg(card(4800, 3200, Color.WHITE)), LIMITS);
        assertEquals(2400, Math.max(checked.width(), checked.height()));
    }

    @Test
    void textNamedJpgIsNotAnImage() {
        assertRefused(ImageProblem.NOT_AN_IMAGE, "Hello, I am a text file named id.jpg\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aTruncatedJpegIsDamaged() throws Exception {
        byte[] whole = jpeg(card(1600, 1000, Color.WHITE));
        assertRefused(ImageProblem.DAMAGED, Arrays.copyOf(whole, whole.length / 2));
    }

    @Test
    void aTruncatedPngIsDamaged() throws Exception {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(card(1200, 800, Color.WHITE), "png", png);
        assertRefused(ImageProblem.DAMAGED, Arrays.copyOf(png.toByteArray(), png.size() / 2));
    }

    @Test
    void aFileOverTheLimitIsRefusedBeforeDecoding() {
        byte[] big = new byte[10_000_001];
        big[0] = (byte) 0xFF;
        big[1] = (byte) 0xD8;
        assertRefused(ImageProblem.TOO_LARGE_FILE, big);
    }

    @Test
    void aDecompressionBombIsRefusedFromItsHeader() throws Exception {
        byte[] bomb = pngBomb(30_000, 30_000);
        assertTrue(bomb.length < 1_000_000, "the bomb is small on disk: " + bomb.length);
        long before = usedHeap();
        assertRefused(ImageProblem.TOO_MANY_PIXELS, bomb);
        assertTrue(usedHeap() - before < 200_000_000L, "the bomb was not decoded");
    }

    @Test
    void aTinyPictureIsTooSmall() throws Exception {
        assertRefused(ImageProblem.TOO_SMALL, jpeg(card(400, 300, Color.WHITE)));
    }

    @Test
    void aDarkPictureIsTooDark() throws Exception {
        BufferedImage dark = card(1600, 1000, Color.WHITE);
        BufferedImage dimmed = new java.awt.image.RescaleOp(0.08f, 0f, null).filter(dark, null);
        assertRefused(ImageProblem.TOO_DARK, jpeg(dimmed));
    }

    @Test
    void aBlurryPictureIsTooBlurry() throws Exception {
        assertRefused(ImageProblem.TOO_BLURRY, jpeg(blur(card(1600, 1000, Color.WHITE), 16)));
    }

    @Test
    void theUploadIsReadNoFurtherThanTheLimit() throws IOException {
        byte[] body = new byte[5000];
        assertArrayEquals(body, KycUploadResource.readAtMost(new ByteArrayInputStream(body), 5000));
        assertEquals(null, KycUploadResource.readAtMost(new ByteArrayInputStream(body), 4999));
    }

    private static void assertRefused(ImageProblem expected, byte[] bytes) {
        ImageChecks.Refused refused = assertThrows(ImageChecks.Refused.class, () -> ImageChecks.check(bytes, LIMITS));
        assertEquals(expected, refused.problem(), refused.getMessage());
    }

    /** A card-like picture: text, lines and noise, as sharp as a good phone photo. */
    static BufferedImage card(int w, int h, Color paper) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setColor(paper);
        g.fillRect(0, 0, w, h);
        Random random = new Random(7);
        g.setColor(new Color(30, 60, 120));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, h / 18)));
        for (int line = 1; line < 10; line++) {
            g.drawString("IDENTITY CARD  SVENSSON ANNA  19900101-1234  " + line, w / 20, line * h / 10);
        }
        for (int i = 0; i < w * h / 50; i++) {
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
            g.fillRect(random.nextInt(w), random.nextInt(h), 2, 2);
        }
        g.dispose();
        return image;
    }

    /** Out of focus: the picture scaled down by {@code factor} and back up, smoothly, edges included. */
    static BufferedImage blur(BufferedImage image, int factor) {
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage small = new BufferedImage(w / factor, h / factor, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = small.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image.getScaledInstance(w / factor, h / factor, java.awt.Image.SCALE_AREA_AVERAGING), 0, 0, null);
        g.dispose();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        g = out.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(small, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    static byte[] jpeg(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    /** Inserts an APP1 Exif segment with a GPS IFD (latitude ref N) after SOI, as a phone camera writes. */
    static byte[] withExifGps(byte[] jpeg) throws IOException {
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        DataOutputStream t = new DataOutputStream(tiff);
        t.writeBytes("MM");
        t.writeShort(42);
        t.writeInt(8);
        t.writeShort(1);                 // IFD0: one entry
        t.writeShort(0x8825);            // GPSInfo
        t.writeShort(4);                 // LONG
        t.writeInt(1);
        t.writeInt(26);                  // offset of the GPS IFD
        t.writeInt(0);                   // no next IFD
        t.writeShort(1);                 // GPS IFD: one entry
        t.writeShort(1);                 // GPSLatitudeRef
        t.writeShort(2);                 // ASCII
        t.writeInt(2);
        t.writeBytes("N\0\0\0");
        t.writeInt(0);
        byte[] payload = tiff.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xE1);
        int length = 2 + 6 + payload.length;
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.write("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
        out.write(payload);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** A valid grey PNG of w×h zero pixels: a few hundred kilobytes that would decode to w×h bytes. */
    static byte[] pngBomb(int w, int h) throws IOException {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9))) {
            byte[] row = new byte[w + 1];
            for (int y = 0; y < h; y++) {
                z.write(row);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(w);
        d.writeInt(h);
        d.write(new byte[] {8, 0, 0, 0, 0});
        chunk(png, "IHDR", ihdr.toByteArray());
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(png);
        d.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
