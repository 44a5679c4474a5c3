package dev.tillit.keycloak.kyc.review;

import java.util.Arrays;
import java.util.Optional;

/**
 * Why a reviewer rejected a case or asked for new pictures. The id is what the API takes and the
 * case stores; the message key is the sentence the user's email shows (email theme, en and sv).
 */
public enum ReasonCode {
    BLURRY("blurry", "tillitKycMailReasonBlurry"),
    GLARE("glare", "tillitKycMailReasonGlare"),
    CROPPED("cropped", "tillitKycMailReasonCropped"),
    EXPIRED_DOCUMENT("expired_document", "tillitKycMailReasonExpiredDocument"),
    NAME_MISMATCH("name_mismatch", "tillitKycMailReasonNameMismatch"),
    BIRTH_DATE_MISMATCH("birth_date_mismatch", "tillitKycMailReasonBirthDateMismatch"),
    FACE_MISMATCH("face_mismatch", "tillitKycMailReasonFaceMismatch"),
    EDITED_DOCUMENT("edited_document", "tillitKycMailReasonEditedDocument"),
    UNSUPPORTED_DOCUMENT("unsupported_document", "tillitKycMailReasonUnsupportedDocument");

    private final String id;
    private final String messageKey;

    ReasonCode(String id, String messageKey) {
        this.id = id;
        this.messageKey = messageKey;
    }

    public String id() {
        return id;
    }

    public String messageKey() {
        return messageKey;
    }

    public static Optional<ReasonCode> of(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
    }
}
