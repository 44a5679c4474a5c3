package dev.tillit.keycloak.kyc;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

/** Pictures made for the tests: an ID-card-like image, a blurred one, a dark one, a PNG bomb header, EXIF with GPS. */
final class TestImages {

    private TestImages() {
    }

    /** A light card with text, lines and fine noise: sharp, bright, 1200×800 unless told. */
    static BufferedImage card(int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(236, 240, 245));
        g.fillRect(0, 0, width, height);
        Random random = new Random(seed);
        for (int i = 0; i < width * height / 20; i++) {
            int v = 200 + random.nextInt(50);
            image.setRGB(random.nextInt(width), random.nextInt(height), new Color(v, v, v).getRGB());
        }
        g.setColor(new Color(20, 60, 120));
        g.setStroke(new BasicStroke(4));
        g.drawRect(20, 20, width - 40, height - 40);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, height / 14)));
        g.drawString("TILLIT IDENTITY CARD", width / 12, height / 6);
        g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, Math.max(10, height / 22)));
        for (int line = 0; line < 6; line++) {
            g.drawString("IDSWE" + Long.toHexString(random.nextLong()).toUpperCase() + "<<<<<<" + line,
                    width / 12, height / 3 + line * height / 11);
        }
        g.setColor(new Color(90, 90, 90));
        g.fillOval(width * 2 / 3, height / 4, width / 5, height / 3);
        g.dispose();
        return image;
    }

    static BufferedImage blurred(BufferedImage image, int radius) {
        int size = radius * 2 + 1;
        float[] kernel = new float[size * size];
        java.util.Arrays.fill(kernel, 1f / kernel.length);
        BufferedImage out = new ConvolveOp(new Kernel(size, size, kernel), ConvolveOp.EDGE_NO_OP, null).filter(image, null);
        return out;
    }

    static BufferedImage darkened(BufferedImage image, double factor) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                Color c = new Color(image.getRGB(x, y));
                out.setRGB(x, y, new Color((int) (c.getRed() * factor), (int) (c.getGreen() * factor), (int) (c.getBlue() * factor)).getRGB());
            }
        }
        return out;
    }

    static byte[] jpeg(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /**
     * A PNG that claims {@code width × height} pixels (8-bit RGBA: 3.6 GB decoded for 30000×30000) in a
     * few dozen bytes: the signature, an IHDR with those dimensions and a tiny IDAT. A decoder that
     * trusted it would allocate the whole raster before finding the data short.
     */
    static byte[] pngBomb(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 6)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        java.util.zip.Deflater deflater = new java.util.zip.Deflater();
        deflater.setInput(new byte[64 * 1024]);
        deflater.finish();
        byte[] buffer = new byte[1024];
        int n = deflater.deflate(buffer);
        chunk(out, "IDAT", java.util.Arrays.copyOf(buffer, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.write(typeBytes);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** The marker text put into the EXIF block, to find it again in the output. */
    static final String GPS_MARKER = "GPSLatitude59N20.3293";

    /**
     * A JPEG with an APP1 Exif segment carrying a GPS IFD (latitude 59°19'46" N, Stockholm) and a
     * maker note holding {@link #GPS_MARKER}, inserted right after SOI as cameras write it.
     */
    static byte[] jpegWithGpsExif(BufferedImage image) throws IOException {
        byte[] plain = jpeg(image);
        ByteBuffer tiff = ByteBuffer.allocate(256);
        tiff.put(new byte[]{'M', 'M', 0, 42}).putInt(8);
        // IFD0: one entry, GPSInfo pointer (0x8825) → offset 26
        tiff.putShort((short) 1).putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(26).putInt(0);
        // GPS IFD at 26: GPSLatitudeRef 'N', GPSLatitude rationals at 68, then the marker as an ASCII tag
        tiff.putShort((short) 3);
        tiff.putShort((short) 1).putShort((short) 2).putInt(2).put(new byte[]{'N', 0, 0, 0});
        tiff.putShort((short) 2).putShort((short) 5).putInt(3).putInt(68);
        byte[] marker = (GPS_MARKER + "\0").getBytes(StandardCharsets.US_ASCII);
        tiff.putShort((short) 0x1b).putShort((short) 2).putInt(marker.length).putInt(92);
        tiff.putInt(0);
        tiff.position(68);
        tiff.putInt(59).putInt(1).putInt(19).putInt(1).putInt(46).putInt(1);
        tiff.position(92);
        tiff.put(marker);
        int tiffLength = tiff.position();
        ByteArrayOutputStream app1 = new ByteArrayOutputStream();
        app1.write("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
        app1.write(tiff.array(), 0, tiffLength);
        byte[] payload = app1.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(plain, 0, 2); // SOI
        out.write(0xFF);
        out.write(0xE1);
        out.write(ByteBuffer.allocate(2).putShort((short) (payload.length + 2)).array());
        out.write(payload);
        out.write(plain, 2, plain.length - 2);
        return out.toByteArray();
    }

    static boolean contains(byte[] haystack, byte[] needle) {
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
}
