package dev.tillit.keycloak.it.support;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.RescaleOp;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import javax.imageio.ImageIO;

/**
 * Pictures for the identity-verification tests, generated (no real person's ID in the repo):
 * a photographed ID card (front with a portrait and the holder's name, back with a barcode), a
 * selfie, and the hostile files a careless or malicious client sends. Written once to
 * {@code target/kyc-images}, so Chromium's file input can pick them.
 */
public final class IdImages {

    /** The GPS marker written into {@link #frontWithGps()}: the stored copy must not contain it. */
    public static final String GPS_MARKER = "GPS-59.3293N-18.0686E";

    private static final Path DIR = Path.of("target", "kyc-images");

    private IdImages() {
    }

    public static Path front(String holder) {
        return write("front.jpg", jpeg(card(holder, true)));
    }

    /** The front as a phone writes it: an Exif APP1 segment with a GPS IFD naming where it was taken. */
    public static Path frontWithGps(String holder) {
        return write("front-gps.jpg", withExifGps(jpeg(card(holder, true))));
    }

    public static Path back() {
        return write("back.jpg", jpeg(card(null, false)));
    }

    public static Path selfie() {
        BufferedImage image = new BufferedImage(1080, 1440, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = graphics(image);
        g.setPaint(new java.awt.GradientPaint(0, 0, new Color(214, 226, 236), 0, 1440, new Color(160, 178, 196)));
        g.fillRect(0, 0, 1080, 1440);
        g.setColor(new Color(60, 72, 90));
        g.fillRoundRect(240, 1020, 600, 500, 300, 300);
        g.setColor(new Color(236, 196, 164));
        g.fillOval(330, 420, 420, 540);
        g.setColor(new Color(70, 48, 30));
        g.fillArc(310, 360, 460, 320, 0, 180);
        g.setColor(Color.DARK_GRAY);
        g.fillOval(430, 640, 50, 30);
        g.fillOval(600, 640, 50, 30);
        g.setStroke(new BasicStroke(8));
        g.drawArc(470, 800, 140, 60, 200, 140);
        noise(image, 11);
        g.dispose();
        return write("selfie.jpg", jpeg(image));
    }

    public static Path textNamedJpg() {
        return write("not-a-photo.jpg", "id card, honest! (a text file)\n".getBytes(StandardCharsets.UTF_8));
    }

    public static Path truncatedJpeg() {
        byte[] whole = jpeg(card("Trunc Ated", true));
        return write("truncated.jpg", Arrays.copyOf(whole, whole.length / 2));
    }

    public static Path dark() {
        return write("dark.jpg", jpeg(new RescaleOp(0.08f, 0f, null).filter(card("Dark Room", true), null)));
    }

    public static Path blurry() {
        BufferedImage sharp = card("Blurry Shot", true);
        BufferedImage small = new BufferedImage(sharp.getWidth() / 16, sharp.getHeight() / 16, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = graphics(small);
        g.drawImage(sharp.getScaledInstance(small.getWidth(), small.getHeight(), Image.SCALE_AREA_AVERAGING), 0, 0, null);
        g.dispose();
        BufferedImage out = new BufferedImage(sharp.getWidth(), sharp.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        g = graphics(out);
        g.drawImage(small, 0, 0, out.getWidth(), out.getHeight(), null);
        g.dispose();
        return write("blurry.jpg", jpeg(out));
    }

    /** 20 MB: a JPEG start and then filler; the size must stop it before anything is decoded. */
    public static Path twentyMegabytes() {
        byte[] big = new byte[20_000_000];
        new Random(3).nextBytes(big);
        big[0] = (byte) 0xFF;
        big[1] = (byte) 0xD8;
        big[2] = (byte) 0xFF;
        return write("twenty-mb.jpg", big);
    }

    /** A valid 30000×30000 grey PNG of a few hundred kilobytes, which would decode to 900 megapixels. */
    public static Path pngBomb() {
        int w = 30_000;
        int h = 30_000;
        try {
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
            return write("bomb.png", png.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A progressive JPEG of 6000×4000 (4:2:0), a few hundred kilobytes: decoding it would buffer every
     * coefficient of the image (72 MB) outside the heap, so the server refuses it from its header.
     */
    public static Path largeProgressive() {
        BufferedImage image = new BufferedImage(6000, 4000, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = graphics(image);
        g.setPaint(new java.awt.GradientPaint(0, 0, new Color(220, 228, 236), 6000, 4000, new Color(120, 130, 150)));
        g.fillRect(0, 0, 6000, 4000);
        g.setColor(new Color(20, 40, 80));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 160));
        g.drawString("IDENTITY CARD SVENSSON ANNA", 300, 2000);
        g.dispose();
        return write("large-progressive.jpg", encode(image, "jpeg", true));
    }

    /** The front as a print workflow saves it: a CMYK JPEG (four ink channels, as Photoshop's "CMYK" mode). */
    public static Path cmykFront(String holder) {
        BufferedImage card = card(holder, true);
        int w = card.getWidth();
        int h = card.getHeight();
        java.awt.image.WritableRaster cmyk = java.awt.image.Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE,
                w, h, 4, null);
        int[] row = new int[w];
        byte[] px = new byte[w * 4];
        for (int y = 0; y < h; y++) {
            card.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int r = (row[x] >> 16) & 0xFF;
                int gr = (row[x] >> 8) & 0xFF;
                int b = row[x] & 0xFF;
                int k = 255 - Math.max(r, Math.max(gr, b));
                px[x * 4] = (byte) (255 - r - k);
                px[x * 4 + 1] = (byte) (255 - gr - k);
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return write("front-cmyk.jpg", out.toByteArray());
    }

    /**
     * A sharp 48-megapixel photo (8000×6000 with sensor noise) just under 10 MB: accepted, and the
     * costliest picture the default settings let through, to keep a picture check busy for a while.
     */
    public static Path heavyPhoto() {
        Path file = DIR.resolve("heavy.jpg").toAbsolutePath();
        if (Files.exists(file)) {
            return file;
        }
        BufferedImage image = new BufferedImage(8000, 6000, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = graphics(image);
        g.setPaint(new java.awt.GradientPaint(0, 0, new Color(220, 228, 236), 8000, 6000, new Color(120, 130, 150)));
        g.fillRect(0, 0, 8000, 6000);
        g.setColor(new Color(20, 40, 80));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 140));
        for (int line = 1; line < 40; line++) {
            g.drawString("IDENTITY CARD SVENSSON ANNA 19900101 " + line, 300, line * 150);
        }
        g.dispose();
        noise(image, 13);
        for (float quality = 0.75f; ; quality -= 0.1f) {
            byte[] jpeg = encodeQuality(image, quality);
            if (jpeg.length <= 9_500_000) {
                return write("heavy.jpg", jpeg);
            }
        }
    }

    private static byte[] encode(BufferedImage image, String format, boolean progressive) {
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(progressive ? javax.imageio.ImageWriteParam.MODE_DEFAULT : javax.imageio.ImageWriteParam.MODE_DISABLED);
            writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static byte[] encodeQuality(BufferedImage image, float quality) {
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** A card photographed on a dark desk: a light card with text, a portrait box and fine print. */
    private static BufferedImage card(String holder, boolean front) {
        BufferedImage image = new BufferedImage(1600, 1000, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = graphics(image);
        g.setColor(new Color(40, 44, 52));
        g.fillRect(0, 0, 1600, 1000);
        g.setColor(new Color(232, 238, 244));
        g.fillRoundRect(120, 110, 1360, 780, 60, 60);
        g.setColor(new Color(20, 70, 130));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 54));
        g.drawString(front ? "IDENTITETSKORT · IDENTITY CARD" : "SVERIGE · SWEDEN", 170, 200);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 40));
        if (front) {
            g.setColor(new Color(180, 190, 200));
            g.fillRect(180, 260, 330, 420);
            g.setColor(new Color(236, 196, 164));
            g.fillOval(250, 320, 190, 240);
            g.setColor(new Color(20, 30, 40));
            String[] lines = {"Efternamn / Surname", holder.substring(holder.indexOf(' ') + 1).toUpperCase(),
                    "Förnamn / Given names", holder.substring(0, holder.indexOf(' ')).toUpperCase(),
                    "Födelsedatum / Date of birth  01 01 1990", "Nummer / No  AB1234567"};
            for (int i = 0; i < lines.length; i++) {
                g.drawString(lines[i], 570, 300 + i * 70);
            }
        } else {
            g.setColor(new Color(20, 30, 40));
            for (int x = 180; x < 1420; x += 6) {
                g.fillRect(x, 300, (x * 7 % 5) + 1, 180);
            }
            g.setFont(new Font(Font.MONOSPACED, Font.BOLD, 44));
            g.drawString("IDSWE<<AB1234567<<<<<<<<<<<<<<", 180, 640);
            g.drawString("9001012F3012319SWE<<<<<<<<<<<8", 180, 710);
        }
        noise(image, 5);
        g.dispose();
        return image;
    }

    private static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        return g;
    }

    /** Sensor noise, as in a real photo. */
    private static void noise(BufferedImage image, long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < image.getWidth() * image.getHeight() / 40; i++) {
            int x = random.nextInt(image.getWidth());
            int y = random.nextInt(image.getHeight());
            int rgb = image.getRGB(x, y);
            int d = random.nextInt(41) - 20;
            int r = clamp(((rgb >> 16) & 0xFF) + d);
            int gr = clamp(((rgb >> 8) & 0xFF) + d);
            int b = clamp((rgb & 0xFF) + d);
            image.setRGB(x, y, (r << 16) | (gr << 8) | b);
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static byte[] jpeg(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "jpeg", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] withExifGps(byte[] jpeg) {
        try {
            ByteArrayOutputStream tiff = new ByteArrayOutputStream();
            DataOutputStream t = new DataOutputStream(tiff);
            byte[] marker = (GPS_MARKER + "\0").getBytes(StandardCharsets.US_ASCII);
            t.writeBytes("MM");
            t.writeShort(42);
            t.writeInt(8);
            t.writeShort(1);            // IFD0: GPSInfo pointer
            t.writeShort(0x8825);
            t.writeShort(4);
            t.writeInt(1);
            t.writeInt(26);
            t.writeInt(0);
            t.writeShort(1);            // GPS IFD: GPSAreaInformation-like ASCII entry (tag 0x1B)
            t.writeShort(0x1B);
            t.writeShort(2);
            t.writeInt(marker.length);
            t.writeInt(44);
            t.writeInt(0);
            t.write(marker);
            byte[] payload = tiff.toByteArray();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(jpeg, 0, 2);
            int length = 2 + 6 + payload.length;
            out.write(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (length >> 8), (byte) length});
            out.write("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.write(jpeg, 2, jpeg.length - 2);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    private static Path write(String name, byte[] bytes) {
        try {
            Files.createDirectories(DIR);
            Path file = DIR.resolve(name).toAbsolutePath();
            Files.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
