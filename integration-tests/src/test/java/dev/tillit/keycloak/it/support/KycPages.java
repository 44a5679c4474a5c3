package dev.tillit.keycloak.it.support;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.imageio.ImageIO;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.Select;

/** The identity verification screens (required action tillit-kyc), its test pictures and its tables. */
public final class KycPages {

    public static final String ACTION = "tillit-kyc";

    private KycPages() {
    }

    public static String title(WebDriver browser) {
        return Browser.waitFor(browser, By.id("kc-page-title")).getText().trim();
    }

    /** The step the page's form was rendered for (a hidden field: waited for by presence, not visibility). */
    public static String step(WebDriver browser) {
        return new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(15))
                .until(org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated(
                        By.cssSelector("#tillit-kyc-form input[name=step]")))
                .getAttribute("value");
    }

    public static void start(WebDriver browser) {
        Browser.waitFor(browser, By.id("tillit-kyc-start")).click();
    }

    public static void next(WebDriver browser) {
        Browser.waitFor(browser, By.id("tillit-kyc-continue")).click();
    }

    public static void country(WebDriver browser, String code) {
        new Select(Browser.waitFor(browser, By.id("country"))).selectByValue(code);
        next(browser);
    }

    public static void region(WebDriver browser, String code) {
        new Select(Browser.waitFor(browser, By.id("region"))).selectByValue(code);
        next(browser);
    }

    /** Posts a value the page does not offer (as an attacker editing the form would). */
    public static void forceOption(WebDriver browser, String selectId, String value) {
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "var s = document.getElementById(arguments[0]); var o = document.createElement('option');"
                        + " o.value = arguments[1]; o.text = arguments[1]; s.appendChild(o); s.value = arguments[1];",
                selectId, value);
        next(browser);
    }

    public static void document(WebDriver browser, String issuing, String type) {
        new Select(Browser.waitFor(browser, By.id("issuingCountry"))).selectByValue(issuing);
        browser.findElement(By.id("documentType-" + type)).click();
        next(browser);
    }

    public static void details(WebDriver browser, String name, String birthDate, String street, String postalCode, String city) {
        Browser.waitFor(browser, By.id("fullName")).sendKeys(name);
        // A date input takes the date typed in the browser's locale order; set it directly.
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "document.getElementById('birthDate').value = arguments[0];", birthDate);
        browser.findElement(By.id("street")).sendKeys(street);
        browser.findElement(By.id("postalCode")).sendKeys(postalCode);
        browser.findElement(By.id("city")).sendKeys(city);
        next(browser);
    }

    public static void upload(WebDriver browser, Path file) {
        Browser.waitFor(browser, By.id("image")).sendKeys(file.toAbsolutePath().toString());
        next(browser);
    }

    public static String fieldError(WebDriver browser, String field) {
        return Browser.waitFor(browser, By.id("input-error-" + field)).getText().trim();
    }

    // ---- pictures

    /** A light card with text, lines and noise: passes the size, light and sharpness checks. */
    public static byte[] cardJpeg(long seed) {
        return jpeg(card(1200, 800, seed));
    }

    public static BufferedImage card(int width, int height, long seed) {
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
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, height / 14));
        g.drawString("TILLIT TEST ID " + seed, width / 12, height / 6);
        g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, height / 22));
        for (int line = 0; line < 6; line++) {
            g.drawString("IDSWE" + Long.toHexString(random.nextLong()).toUpperCase() + "<<<<<<" + line, width / 12,
                    height / 3 + line * height / 11);
        }
        g.setColor(new Color(90, 90, 90));
        g.fillOval(width * 2 / 3, height / 4, width / 5, height / 3);
        g.dispose();
        return image;
    }

    public static byte[] jpeg(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpeg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A PNG whose header claims width × height pixels, in a few dozen bytes. */
    public static byte[] pngBomb(int width, int height) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            chunk(out, "IHDR", java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 6)
                    .put((byte) 0).put((byte) 0).put((byte) 0).array());
            java.util.zip.Deflater deflater = new java.util.zip.Deflater();
            deflater.setInput(new byte[65536]);
            deflater.finish();
            byte[] buffer = new byte[1024];
            int n = deflater.deflate(buffer);
            chunk(out, "IDAT", java.util.Arrays.copyOf(buffer, n));
            chunk(out, "IEND", new byte[0]);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        out.write(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(t);
        crc.update(data);
        out.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    public static Path file(String name, byte[] content) {
        try {
            Path dir = Files.createDirectories(Artifacts.dir("kyc-uploads"));
            Path file = dir.resolve(name);
            Files.write(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean contains(byte[] haystack, byte[] needle) {
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

    // ---- the server's database (the suite's fresh PostgreSQL database)

    public static Connection database() throws SQLException {
        return DriverManager.getConnection(System.getProperty("kc.test.database.url"),
                System.getProperty("kc.test.database.user", "postgres"), System.getProperty("kc.test.database.password", "postgres"));
    }

    public static List<Map<String, Object>> query(String sql, Object... args) throws SQLException {
        try (Connection c = database(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                        row.put(r.getMetaData().getColumnLabel(i).toLowerCase(), r.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    public static List<Map<String, Object>> cases(String userId) throws SQLException {
        return query("select * from tillit_kyc_case where user_id = ? order by created_at", userId);
    }

    public static List<Map<String, Object>> documents(String userId) throws SQLException {
        return query("select d.* from tillit_kyc_document d join tillit_kyc_case c on c.id = d.case_id"
                + " where c.user_id = ? order by d.created_at", userId);
    }

    /** Opens a sealed value with the suite's vault key: version 1, 12-byte nonce, AES-GCM with the row binding. */
    public static byte[] open(byte[] sealed, String binding) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(TillitServerConfig.VAULT_KYC_SECRET), "AES"),
                new GCMParameterSpec(128, sealed, 1, 12));
        cipher.updateAAD(binding.getBytes(StandardCharsets.UTF_8));
        return cipher.doFinal(sealed, 13, sealed.length - 13);
    }
}
