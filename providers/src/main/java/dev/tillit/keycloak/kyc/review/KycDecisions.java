package dev.tillit.keycloak.kyc.review;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.tillit.keycloak.AfterCommit;
import dev.tillit.keycloak.TillitAttributes;
import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.code.CodeDelivery;
import dev.tillit.keycloak.code.DeliveryFailedException;
import dev.tillit.keycloak.code.RenderedMessage;
import dev.tillit.keycloak.kyc.DocumentKind;
import dev.tillit.keycloak.kyc.KycCaseEntity;
import dev.tillit.keycloak.kyc.KycRequiredActionFactory;
import dev.tillit.keycloak.settings.TillitSettings;
import org.jboss.logging.Logger;
import org.keycloak.common.ClientConnection;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Applies a reviewer's decision: the case, the user's {@code kyc_status}/{@code kyc_level}, the
 * user event, and the email in the user's language. The email is rendered in the request (the
 * user's locale, the realm's theme) and sent only after the decision committed, on a session of
 * its own: a rolled-back decision sends nothing, and a slow SMTP server does not hold the row lock.
 */
final class KycDecisions {

    private static final Logger LOG = Logger.getLogger(KycDecisions.class);

    /** What was decided; also the admin event's representation, so nothing personal goes in here. */
    record Decision(String caseId, String status, Integer level, List<String> reasons, List<String> documents) {
    }

    private final KeycloakSession session;
    private final RealmModel realm;
    private final DecisionWebhook webhook;

    KycDecisions(KeycloakSession session, RealmModel realm, DecisionWebhook webhook) {
        this.session = session;
        this.realm = realm;
        this.webhook = webhook;
    }

    Decision decide(KycCaseEntity c, UserModel user, String reviewerId, Outcome outcome, Integer level,
                    List<ReasonCode> reasons, List<DocumentKind> documents) {
        return decide(c, user, reviewerId, outcome, level, reasons, documents, null);
    }

    /** {@code verifier}: the KycVerifier that decided instead of a person (named in the event), else null. */
    Decision decide(KycCaseEntity c, UserModel user, String reviewerId, Outcome outcome, Integer level,
                    List<ReasonCode> reasons, List<DocumentKind> documents, String verifier) {
        long now = System.currentTimeMillis();
        c.setStatus(outcome.status());
        c.setDecidedAt(now);
        c.setDecidedBy(reviewerId);
        c.setUpdatedAt(now);
        c.setLevelGranted(outcome == Outcome.APPROVED ? level : null);
        c.setDecisionReasons(reasons.isEmpty() ? null : reasons.stream().map(ReasonCode::id).collect(Collectors.joining(",")));
        c.setResubmitKinds(documents.isEmpty() ? null : documents.stream().map(DocumentKind::id).collect(Collectors.joining(",")));

        user.setSingleAttribute(TillitAttributes.KYC_STATUS, outcome.status());
        if (outcome == Outcome.APPROVED) {
            user.setSingleAttribute(TillitAttributes.KYC_LEVEL, String.valueOf(level));
        }
        if (outcome == Outcome.RESUBMISSION_REQUIRED) {
            user.addRequiredAction(KycRequiredActionFactory.ID);
        }

        Decision decision = new Decision(c.getId(), outcome.status(), outcome == Outcome.APPROVED ? level : null,
                reasons.stream().map(ReasonCode::id).toList(), documents.stream().map(DocumentKind::id).toList());
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.CUSTOM_REQUIRED_ACTION).user(user)
                .detail(Details.CUSTOM_REQUIRED_ACTION, KycRequiredActionFactory.ID)
                .detail(TillitEvents.DETAIL, outcome.event())
                .detail(TillitEvents.KYC_CASE, c.getId());
        if (decision.level() != null) {
            event.detail(TillitEvents.KYC_LEVEL, String.valueOf(decision.level()));
        }
        if (!decision.reasons().isEmpty()) {
            event.detail(TillitEvents.KYC_REASONS, c.getDecisionReasons());
        }
        if (!decision.documents().isEmpty()) {
            event.detail(TillitEvents.KYC_DOCUMENTS, c.getResubmitKinds());
        }
        if (verifier != null) {
            event.detail(TillitEvents.KYC_VERIFIER, verifier);
        }
        event.success();

        mailAfterCommit(user, outcome, decision, reasons, documents);
        webhook.publishAfterCommit(session, realm, user.getId(), outcome, decision);
        return decision;
    }

    private void mailAfterCommit(UserModel user, Outcome outcome, Decision decision, List<ReasonCode> reasons,
                                 List<DocumentKind> documents) {
        if (user.getEmail() == null) {
            return;
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("kycLevel", decision.level() == null ? "" : String.valueOf(decision.level()));
        attributes.put("reasonKeys", reasons.stream().map(ReasonCode::messageKey).toList());
        attributes.put("documentKeys", documents.stream().map(KycDecisions::documentKey).toList());
        RenderedMessage message;
        try {
            message = new CodeDelivery(session, realm, TillitSettings.of(realm))
                    .renderEmail(user.getEmail(), user, outcome.subjectKey(), outcome.template(), attributes);
        } catch (DeliveryFailedException e) {
            LOG.errorf("KYC decision mail for user %s not rendered: %s", user.getId(), e.getMessage());
            return;
        }
        String userId = user.getId();
        ClientConnection connection = session.getContext().getConnection();
        // No decision (rolled back), no mail.
        AfterCommit.inOwnTransaction(session, realm.getId(), (s, r) -> {
            try {
                CodeDelivery.send(s, r, message);
            } catch (DeliveryFailedException e) {
                new EventBuilder(r, s, connection).event(EventType.CUSTOM_REQUIRED_ACTION_ERROR)
                        .user(userId).detail(Details.CUSTOM_REQUIRED_ACTION, KycRequiredActionFactory.ID)
                        .detail(TillitEvents.DETAIL, outcome.event()).detail(TillitEvents.KYC_CASE, decision.caseId())
                        .detail(Details.REASON, e.getMessage()).error(Errors.EMAIL_SEND_FAILED);
            }
        });
    }

    /** The email's name for a document to redo. */
    static String documentKey(DocumentKind kind) {
        return switch (kind) {
            case FRONT -> "tillitKycMailDocumentFront";
            case BACK -> "tillitKycMailDocumentBack";
            default -> "tillitKycMailDocumentSelfie";
        };
    }
}
