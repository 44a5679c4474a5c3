package dev.tillit.keycloak.it.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.keycloak.testframework.mail.MailServer;

/** Reading what the server mailed to the suite's GreenMail, as a mail client would. */
public final class Mails {

    private Mails() {
    }

    /** The message to {@code address} with {@code subject}, waiting up to 20 s (other tests' mail may be there too). */
    public static MimeMessage to(MailServer mail, String address, String subject) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        List<String> seen = List.of();
        while (System.nanoTime() < deadline) {
            List<String> now = new ArrayList<>();
            for (MimeMessage m : mail.getReceivedMessages()) {
                String to = m.getAllRecipients()[0].toString();
                now.add(to + ": " + m.getSubject());
                if (to.equalsIgnoreCase(address) && subject.equals(m.getSubject())) {
                    return m;
                }
            }
            seen = now;
            Thread.sleep(250);
        }
        throw new AssertionError("no mail \"" + subject + "\" to " + address + "; seen: " + seen);
    }

    /** How many messages to {@code address} with {@code subject} arrived so far. */
    public static int count(MailServer mail, String address, String subject) throws MessagingException {
        int n = 0;
        for (MimeMessage m : mail.getReceivedMessages()) {
            if (m.getAllRecipients()[0].toString().equalsIgnoreCase(address) && subject.equals(m.getSubject())) {
                n++;
            }
        }
        return n;
    }

    /** The body of the message's part of this MIME type ({@code text/plain}, {@code text/html}). */
    public static String part(MimeMessage message, String type) throws MessagingException, IOException {
        Multipart multipart = (Multipart) message.getContent();
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.isMimeType(type)) {
                return (String) part.getContent();
            }
        }
        throw new AssertionError("no " + type + " part");
    }
}
