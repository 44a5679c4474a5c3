import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's mail server: accepts SMTP on 127.0.0.1 (port 2525 unless given) and prints each
 * message's recipients, subject and plain-text body to the console, so whoever tries the demo
 * sees the codes and links Keycloak mails, through Keycloak's real SMTP sender. Development
 * only: it keeps nothing and relays nothing. Run with {@code java demo/DevMailSink.java}.
 */
public class DevMailSink {

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 2525;
        try (ServerSocket server = new ServerSocket(port, 16, InetAddress.getLoopbackAddress())) {
            System.out.println("[mail] demo SMTP sink listening on 127.0.0.1:" + port);
            while (true) {
                Socket client = server.accept();
                new Thread(() -> serve(client)).start();
            }
        }
    }

    private static void serve(Socket socket) {
        try (socket;
             BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
             OutputStream out = socket.getOutputStream()) {
            reply(out, "220 tillit-demo-mail ESMTP");
            List<String> recipients = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line.toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> reply(out, "250-tillit-demo-mail\r\n250-8BITMIME\r\n250 SMTPUTF8");
                    case "HELO" -> reply(out, "250 tillit-demo-mail");
                    case "MAIL" -> { recipients.clear(); reply(out, "250 OK"); }
                    case "RCPT" -> { recipients.add(line.replaceAll("(?i)^RCPT TO:\\s*", "")); reply(out, "250 OK"); }
                    case "DATA" -> {
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        StringBuilder data = new StringBuilder();
                        while ((line = in.readLine()) != null && !line.equals(".")) {
                            data.append(line.startsWith("..") ? line.substring(1) : line).append('\n');
                        }
                        print(recipients, data.toString());
                        reply(out, "250 OK: printed");
                    }
                    case "QUIT" -> { reply(out, "221 Bye"); return; }
                    case "RSET", "NOOP" -> reply(out, "250 OK");
                    default -> reply(out, "502 Command not implemented");
                }
            }
        } catch (IOException e) {
            System.out.println("[mail] connection failed: " + e.getMessage());
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void print(List<String> recipients, String message) {
        String subject = decodeHeader(header(message, "Subject"));
        System.out.println("\n===== MAIL to " + String.join(", ", recipients) + " =====");
        System.out.println("Subject: " + subject);
        System.out.println(plainText(message).strip());
        System.out.println("===== end of mail =====\n");
    }

    private static String header(String message, String name) {
        Matcher m = Pattern.compile("(?im)^" + name + ":\\s*(.*(?:\\n[ \\t].*)*)").matcher(message);
        return m.find() ? m.group(1).replaceAll("\\n[ \\t]+", " ") : "";
    }

    /** The text/plain part, with its transfer encoding undone; the whole body when not multipart. */
    private static String plainText(String message) {
        int headerEnd = message.indexOf("\n\n");
        String headers = message.substring(0, Math.max(headerEnd, 0));
        String body = headerEnd < 0 ? "" : message.substring(headerEnd + 2);
        Matcher boundary = Pattern.compile("(?i)boundary=\"?([^\";\\n]+)\"?").matcher(headers);
        if (!boundary.find()) {
            return decodeBody(header(message, "Content-Transfer-Encoding"), body);
        }
        for (String part : body.split(Pattern.quote("--" + boundary.group(1)))) {
            String trimmed = part.stripLeading();
            if (trimmed.toLowerCase(Locale.ROOT).contains("multipart/")) {
                String nested = plainText(trimmed);
                if (!nested.isBlank()) {
                    return nested;
                }
            } else if (trimmed.toLowerCase(Locale.ROOT).startsWith("content-type: text/plain")
                    || header(trimmed, "Content-Type").toLowerCase(Locale.ROOT).startsWith("text/plain")) {
                int split = trimmed.indexOf("\n\n");
                return decodeBody(header(trimmed, "Content-Transfer-Encoding"), split < 0 ? "" : trimmed.substring(split + 2));
            }
        }
        return "";
    }

    private static String decodeBody(String encoding, String body) {
        String enc = encoding.trim().toLowerCase(Locale.ROOT);
        if (enc.equals("base64")) {
            return new String(Base64.getMimeDecoder().decode(body.trim()), StandardCharsets.UTF_8);
        }
        if (enc.equals("quoted-printable")) {
            return quotedPrintable(body.replace("=\n", ""));
        }
        return body;
    }

    private static String quotedPrintable(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '=' && i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
                bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    /** RFC 2047 encoded words (=?UTF-8?B?...?= / =?UTF-8?Q?...?=), as Keycloak writes non-ASCII subjects. */
    private static String decodeHeader(String value) {
        Matcher m = Pattern.compile("=\\?([^?]+)\\?([BbQq])\\?([^?]*)\\?=").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String decoded = m.group(2).equalsIgnoreCase("B")
                    ? new String(Base64.getDecoder().decode(m.group(3)), StandardCharsets.UTF_8)
                    : quotedPrintable(m.group(3).replace('_', ' '));
            m.appendReplacement(out, Matcher.quoteReplacement(decoded));
        }
        m.appendTail(out);
        return out.toString().replaceAll("\\?=\\s+=\\?", "");
    }
}
