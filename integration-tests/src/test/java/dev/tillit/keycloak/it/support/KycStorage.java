package dev.tillit.keycloak.it.support;

import java.nio.charset.StandardCharsets;
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

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads what the pack stored for identity verification straight from the suite's PostgreSQL
 * database, and opens it with the vault key the suite gave the server: proof that what is at
 * rest is ciphertext, and that it is the checked, metadata-free picture.
 */
public final class KycStorage {

    public record Case(String id, String status, String country, String documentType, byte[] details, String keyId, int attempt) {
    }

    public record Document(String kind, String contentType, long size, String sha256, String keyId, byte[] content) {
    }

    private KycStorage() {
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(System.getProperty("kc.test.database.url"), "postgres", "postgres");
    }

    public static List<Case> casesOf(String realmId, String userId) throws SQLException {
        try (Connection db = connect();
             PreparedStatement q = db.prepareStatement("select id, status, country, document_type, details, key_id, attempt"
                     + " from tillit_kyc_case where realm_id = ? and user_id = ? order by created_at")) {
            q.setString(1, realmId);
            q.setString(2, userId);
            List<Case> cases = new ArrayList<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    cases.add(new Case(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getBytes(5),
                            r.getString(6), r.getInt(7)));
                }
            }
            return cases;
        }
    }

    public static Map<String, Document> documentsOf(String caseId) throws SQLException {
        try (Connection db = connect();
             PreparedStatement q = db.prepareStatement("select kind, content_type, size_bytes, sha256, key_id, content"
                     + " from tillit_kyc_document where case_id = ?")) {
            q.setString(1, caseId);
            Map<String, Document> documents = new LinkedHashMap<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    documents.put(r.getString(1), new Document(r.getString(1), r.getString(2), r.getLong(3), r.getString(4),
                            r.getString(5), r.getBytes(6)));
                }
            }
            return documents;
        }
    }

    /** Column name → PostgreSQL data type of one of our tables, from the catalogue. */
    public static Map<String, String> columns(String table) throws SQLException {
        try (Connection db = connect();
             PreparedStatement q = db.prepareStatement("select column_name, data_type from information_schema.columns"
                     + " where table_name = ? order by ordinal_position")) {
            q.setString(1, table);
            Map<String, String> columns = new LinkedHashMap<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    columns.put(r.getString(1), r.getString(2));
                }
            }
            return columns;
        }
    }

    /** Opens {@code iv || ciphertext || tag} with the suite's KYC key and the row's associated data. */
    public static byte[] open(byte[] sealed, String realmId, String caseId, String field) throws Exception {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(TillitServerConfig.KYC_KEY_BASE64), "AES"),
                new GCMParameterSpec(128, sealed, 0, 12));
        cipher.updateAAD(("tillit-kyc|" + realmId + "|" + caseId + "|" + field).getBytes(StandardCharsets.UTF_8));
        return cipher.doFinal(sealed, 12, sealed.length - 12);
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

    /** Sets a case's status as a reviewer's decision would (the review API is issue 12's). */
    public static void decide(String caseId, String status) throws SQLException {
        try (Connection db = connect();
             PreparedStatement u = db.prepareStatement("update tillit_kyc_case set status = ? where id = ?")) {
            u.setString(1, status);
            u.setString(2, caseId);
            if (u.executeUpdate() != 1) {
                throw new AssertionError("no case " + caseId);
            }
        }
    }

    /** When the case's account was recorded as closed (change set tillit-kyc-retention-1), or null. */
    public static Long accountClosedAt(String caseId) throws SQLException {
        try (Connection db = connect();
             PreparedStatement q = db.prepareStatement("select account_closed_at from tillit_kyc_case where id = ?")) {
            q.setString(1, caseId);
            try (ResultSet r = q.executeQuery()) {
                if (!r.next()) {
                    throw new AssertionError("no case " + caseId);
                }
                long at = r.getLong(1);
                return r.wasNull() ? null : at;
            }
        }
    }

    /**
     * The test's clock for retention: moves the recorded account closure of one case back in time,
     * as if that many days had passed since. The server's own clock and every other row stay as they are.
     */
    public static void accountClosedDaysAgo(String caseId, double days) throws SQLException {
        backdate("account_closed_at", caseId, days);
    }

    /** The test's clock for unfinished drafts: the case was last touched this many days ago. */
    public static void touchedDaysAgo(String caseId, double days) throws SQLException {
        backdate("updated_at", caseId, days);
    }

    private static void backdate(String column, String caseId, double days) throws SQLException {
        try (Connection db = connect();
             PreparedStatement u = db.prepareStatement("update tillit_kyc_case set " + column + " = ? where id = ?")) {
            u.setLong(1, System.currentTimeMillis() - (long) (days * 86_400_000L));
            u.setString(2, caseId);
            if (u.executeUpdate() != 1) {
                throw new AssertionError("no case " + caseId);
            }
        }
    }
}
