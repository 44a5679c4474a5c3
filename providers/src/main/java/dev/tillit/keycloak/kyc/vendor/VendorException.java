package dev.tillit.keycloak.kyc.vendor;

/** A vendor did not take a request (unreachable, an error answer, missing configuration); the message is for the operator. */
public class VendorException extends Exception {

    public VendorException(String message) {
        super(message);
    }

    public VendorException(String message, Throwable cause) {
        super(message, cause);
    }
}
