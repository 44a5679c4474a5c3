package dev.tillit.keycloak.kyc;

/** Why a picture was refused, as the message the user sees (theme keys). */
public enum ImageProblem {
    /** Not a JPEG or PNG by its content, whatever its name or declared type. */
    NOT_AN_IMAGE("tillitKycImageNotImage"),
    /** Starts like a picture but does not decode to the end (truncated, damaged). */
    DAMAGED("tillitKycImageDamaged"),
    TOO_LARGE_FILE("tillitKycImageTooLarge"),
    /** More pixels than allowed, read from the header before decoding: a decompression bomb or a panorama. */
    TOO_MANY_PIXELS("tillitKycImageTooManyPixels"),
    TOO_SMALL("tillitKycImageTooSmall"),
    /**
     * Costs more to check than its size warrants: a progressive JPEG with many pixels (its decoder
     * buffers the whole image), or any file whose decoding ran out of time.
     */
    TOO_COSTLY("tillitKycImageTooCostly"),
    TOO_DARK("tillitKycImageTooDark"),
    TOO_BLURRY("tillitKycImageTooBlurry");

    private final String messageKey;

    ImageProblem(String messageKey) {
        this.messageKey = messageKey;
    }

    public String messageKey() {
        return messageKey;
    }
}
