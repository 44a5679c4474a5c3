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

    // ---- What each encoding costs: the header decides before anything is decoded

    @Test
    void theHeaderTellsABaselineJpegFromAProgressiveOneAndCountsItsCoefficients() throws Exception {
        ImageChecks.Header baseline = ImageChecks.inspect(withExifGps(jpeg(card(1600, 1000, Color.WHITE))));
        assertEquals("jpeg", baseline.format());
        assertEquals(1600, baseline.width());
        assertEquals(1000, baseline.height());
        assertFalse(baseline.progressive());
        assertEquals(3, baseline.components());

        ImageChecks.Header progressive = ImageChecks.inspect(progressiveJpeg(card(1600, 1000, Color.WHITE)));
        assertTrue(progressive.progressive());
        // 4:2:0: luma 200×125 blocks, each chroma 100×63 (rounded up): 128 bytes a block.
        assertEquals((200L * 125 + 2 * 100 * 63) * 128, progressive.coefficientBytes());
    }

    @Test
    void aSmallProgressiveJpegIsAccepted() throws Exception {
        assertEquals(1600, ImageChecks.check(progressiveJpeg(card(1600, 1000, Color.WHITE)), LIMITS).width());
    }

    @Test
    void aLargeProgressiveJpegIsRefusedFromItsHeaderAsTooCostly() throws Exception {
        // The 376 KB file of issue 19: 7000×7000 progressive, 4:2:0. Its header is all it takes.
        byte[] header = sof(0xC2, 7000, 7000, 0x22, 0x11, 0x11);
        ImageChecks.Header inspected = ImageChecks.inspect(header);
        assertTrue(inspected.coefficientBytes() > ImageChecks.PROGRESSIVE_BUFFER_BYTES, String.valueOf(inspected.coefficientBytes()));
        assertRefused(ImageProblem.TOO_COSTLY, header);
        // 4:4:4 counts four times the chroma: 8 megapixels (3264×2448) fit in 4:2:0, not in 4:4:4.
        assertTrue(ImageChecks.inspect(sof(0xC2, 3264, 2448, 0x22, 0x11, 0x11)).coefficientBytes() <= ImageChecks.PROGRESSIVE_BUFFER_BYTES);
        assertRefused(ImageProblem.TOO_COSTLY, sof(0xC2, 3264, 2448, 0x11, 0x11, 0x11));
    }

    @Test
    void losslessAndArithmeticJpegsAreNotAccepted() {
        assertRefused(ImageProblem.NOT_AN_IMAGE, sof(0xC3, 2000, 1500, 0x11, 0x11, 0x11));
        assertRefused(ImageProblem.NOT_AN_IMAGE, sof(0xC9, 2000, 1500, 0x11, 0x11, 0x11));
    }

    @Test
    void aCmykJpegIsDecodedSubsampledWithItsColours() throws Exception {
        BufferedImage card = card(4000, 2500, Color.WHITE);
        byte[] cmyk = cmykJpeg(card);
        ImageChecks.Header header = ImageChecks.inspect(cmyk);
        assertEquals(4, header.components());

        long before = usedHeap();
        ImageChecks.Checked checked = ImageChecks.check(cmyk, LIMITS);
        assertEquals(2000, checked.width(), "decoded at half size, not at full size first");
        BufferedImage stored = ImageIO.read(new ByteArrayInputStream(checked.jpeg()));
        int paper = stored.getRGB(5, 5);
        assertTrue(((paper >> 16) & 0xFF) > 200 && ((paper >> 8) & 0xFF) > 200 && (paper & 0xFF) > 200,
                "white paper stays white: " + Integer.toHexString(paper));
        assertTrue(usedHeap() - before < 200_000_000L, "no full-size CMYK raster");
    }

    @Test
    void anInterlacedPngIsRecognisedAndAccepted() throws Exception {
        byte[] png = interlacedPng(card(1600, 1000, Color.WHITE));
        assertTrue(ImageChecks.inspect(png).progressive());
        assertEquals(1600, ImageChecks.check(png, LIMITS).width());
    }

    @Test
    void aDecodeThatRunsOutOfTimeIsRefusedAsTooCostly() throws Exception {
        byte[] photo = jpeg(card(4000, 2500, Color.WHITE));
        ImageChecks.Refused refused = assertThrows(ImageChecks.Refused.class,
                () -> ImageChecks.check(photo, LIMITS, java.time.Duration.ofNanos(1)));
        assertEquals(ImageProblem.TOO_COSTLY, refused.problem(), refused.getMessage());
        assertEquals(2000, ImageChecks.check(photo, LIMITS, java.time.Duration.ofSeconds(30)).width());
    }

    @Test
    void pictureCheckSlotsRefuseBeyondTheLimitAndComeBack() {
        PictureCheckSlots slots = new PictureCheckSlots(1, java.time.Duration.ofSeconds(5));
        assertTrue(slots.tryAcquire());
        assertFalse(slots.tryAcquire());
        slots.release();
        assertTrue(slots.tryAcquire());
        assertThrows(IllegalArgumentException.class, () -> new PictureCheckSlots(0, java.time.Duration.ofSeconds(5)));
    }

    /** SOI and a frame header with the given components' sampling factors, as the decoder's first look sees a file. */
    private static byte[] sof(int marker, int width, int height, int... sampling) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        out.write(0xFF);
        out.write(marker);
        int length = 8 + 3 * sampling.length;
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.write(8);
        out.write(height >> 8);
        out.write(height & 0xFF);
        out.write(width >> 8);
        out.write(width & 0xFF);
        out.write(sampling.length);
        for (int c = 0; c < sampling.length; c++) {
            out.write(c + 1);
            out.write(sampling[c]);
            out.write(0);
        }
        out.write(0xFF);
        out.write(0xD9);
        return out.toByteArray();
    }

    static byte[] progressiveJpeg(BufferedImage image) throws IOException {
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    static byte[] interlacedPng(BufferedImage image) throws IOException {
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** The picture as a 4-channel CMYK JPEG (no Adobe marker: plain ink amounts), as print workflows write. */
    static byte[] cmykJpeg(BufferedImage image) throws IOException {
        int w = image.getWidth();
        int h = image.getHeight();
        java.awt.image.WritableRaster cmyk = java.awt.image.Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, w, h, 4, null);
        int[] row = new int[w];
        byte[] px = new byte[w * 4];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int r = (row[x] >> 16) & 0xFF;
                int g = (row[x] >> 8) & 0xFF;
                int b = row[x] & 0xFF;
                int k = 255 - Math.max(r, Math.max(g, b));
                px[x * 4] = (byte) (255 - r - k);
                px[x * 4 + 1] = (byte) (255 - g - k);
                px[x * 4 + 2] = (byte) (255 - b - k);
                px[x * 4 + 3] = (byte) k;
            }
            cmyk.setDataElements(0, y, w, 1, px);
        }
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new javax.imageio.IIOImage(cmyk, null, null), writer.getDefaultWriteParam());
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
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
