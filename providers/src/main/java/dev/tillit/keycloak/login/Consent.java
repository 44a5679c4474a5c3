package dev.tillit.keycloak.login;

import java.util.ArrayList;
import java.util.List;

import dev.tillit.keycloak.TillitMessages;
import dev.tillit.keycloak.settings.TillitSettings;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.utils.FormMessage;

/**
 * Consent to the user agreement and the privacy policy, the same wherever an account is made
 * (sign-up, first sign-in with an identity provider): two boxes the form must tick, the page's
 * links and ticks, and the value recorded in {@code terms_accepted} / {@code privacy_accepted}
 * ({@code <document version>@<epoch seconds>}).
 */
public final class Consent {

    public static final String TERMS_FIELD = "acceptTerms";
    public static final String PRIVACY_FIELD = "acceptPrivacy";

    private Consent() {
    }

    /** One error per box the submitted form left unticked (none when both are ticked). */
    public static List<FormMessage> missing(MultivaluedMap<String, String> form) {
        List<FormMessage> errors = new ArrayList<>();
        if (!ticked(form, TERMS_FIELD)) {
            errors.add(new FormMessage(TERMS_FIELD, TillitMessages.TERMS_REQUIRED));
        }
        if (!ticked(form, PRIVACY_FIELD)) {
            errors.add(new FormMessage(PRIVACY_FIELD, TillitMessages.PRIVACY_REQUIRED));
        }
        return errors;
    }

    /** The page's two boxes (ticked again as {@code submitted} had them; may be null) and the documents' links. */
    public static LoginFormsProvider show(LoginFormsProvider forms, TillitSettings settings, MultivaluedMap<String, String> submitted) {
        return forms.setAttribute(TERMS_FIELD, ticked(submitted, TERMS_FIELD))
                .setAttribute(PRIVACY_FIELD, ticked(submitted, PRIVACY_FIELD))
                .setAttribute("termsUrl", settings.termsUrl())
                .setAttribute("privacyUrl", settings.privacyUrl());
    }

    /** The value of {@code terms_accepted} for an acceptance at {@code epochSeconds}. */
    public static String terms(TillitSettings settings, long epochSeconds) {
        return settings.termsVersion() + "@" + epochSeconds;
    }

    /** The value of {@code privacy_accepted} for an acceptance at {@code epochSeconds}. */
    public static String privacy(TillitSettings settings, long epochSeconds) {
        return settings.privacyVersion() + "@" + epochSeconds;
    }

    private static boolean ticked(MultivaluedMap<String, String> form, String field) {
        return form != null && "on".equals(form.getFirst(field));
    }
}
