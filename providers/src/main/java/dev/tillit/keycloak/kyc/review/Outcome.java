package dev.tillit.keycloak.kyc.review;

import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.TillitMessages;

/** What a reviewer can decide: the case's and the user's new {@code kyc_status}, the event and the email. */
public enum Outcome {
    APPROVED("approved", TillitEvents.KYC_APPROVED, TillitMessages.KYC_MAIL_APPROVED_SUBJECT, "tillit-kyc-approved.ftl"),
    REJECTED("rejected", TillitEvents.KYC_REJECTED, TillitMessages.KYC_MAIL_REJECTED_SUBJECT, "tillit-kyc-rejected.ftl"),
    RESUBMISSION_REQUIRED("resubmission_required", TillitEvents.KYC_RESUBMISSION_REQUESTED,
            TillitMessages.KYC_MAIL_RESUBMISSION_SUBJECT, "tillit-kyc-resubmission.ftl");

    private final String status;
    private final String event;
    private final String subjectKey;
    private final String template;

    Outcome(String status, String event, String subjectKey, String template) {
        this.status = status;
        this.event = event;
        this.subjectKey = subjectKey;
        this.template = template;
    }

    /** The value of {@code kyc_status} and of the case's status. */
    public String status() {
        return status;
    }

    public String event() {
        return event;
    }

    public String subjectKey() {
        return subjectKey;
    }

    public String template() {
        return template;
    }
}
