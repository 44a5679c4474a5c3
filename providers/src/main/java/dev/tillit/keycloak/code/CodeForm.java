package dev.tillit.keycloak.code;

import java.util.List;
import java.util.Locale;

import jakarta.ws.rs.core.Response;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.utils.FormMessage;

/**
 * The "enter your code" page ({@code tillit-code.ftl}) as every step that sends codes shows it:
 * where the code went, the lead text, the resend countdown, "didn't get the code?" help (with the
 * realm's support address when one is set), and an error or an info line.
 */
public final class CodeForm {

    public static final String TEMPLATE = "tillit-code.ftl";

    private CodeForm() {
    }

    /**
     * @param recipient what the page may repeat back (a masked number, a typed address)
     * @param leadKey   message key of the lead text, with the recipient as {0}; null for the default
     */
    public static Response render(LoginFormsProvider forms, OneTimeCodes codes, String purpose, CodeChannel channel,
                                  String recipient, String leadKey, FormMessage error, String info) {
        forms.setAttribute("codeChannel", channel.name().toLowerCase(Locale.ROOT))
                .setAttribute("codeRecipient", recipient)
                .setAttribute("resendIn", codes.secondsUntilResend(purpose))
                .setAttribute("codePurpose", purpose);
        String support = codes.settings().supportEmail();
        if (support != null) {
            forms.setAttribute("codeSupportEmail", support);
        }
        if (leadKey != null) {
            forms.setAttribute("codeLead", leadKey);
        }
        if (error != null) {
            forms.setErrors(List.of(error));
        } else if (info != null) {
            forms.setInfo(info, recipient);
        }
        return forms.createForm(TEMPLATE);
    }
}
