package dev.tillit.keycloak.lock;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

import dev.tillit.keycloak.TillitAttributes;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.userprofile.AttributeContext;
import org.keycloak.userprofile.UserProfileAttributeValidationContext;
import org.keycloak.validate.SimpleValidator;
import org.keycloak.validate.ValidationContext;
import org.keycloak.validate.ValidatorConfig;

/**
 * User-profile validator {@code tillit-contact-change} for {@code email} and {@code phone_number}.
 * It never refuses anything: it notes, for the rest of the request, the value stored before a
 * proposed change, because the user profile is the only place where Keycloak shows the stored
 * and the proposed value side by side. Keycloak 26.7 fires no model event for a changed email or
 * attribute, and the admin API's update ({@code PUT /admin/realms/{realm}/users/{id}}) reports no
 * previous values (its admin event carries only the new representation); the withdrawal-lock
 * listener reads this note when that admin event arrives, in the same request and transaction,
 * and compares it with what was actually written.
 */
public class ContactChangeValidator implements SimpleValidator {

    public static final String ID = "tillit-contact-change";
    private static final String NOTE = "tillit.contact-change.";

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public ValidationContext validate(Object input, String inputHint, ValidationContext context, ValidatorConfig config) {
        AttributeContext attribute = UserProfileAttributeValidationContext.from(context).getAttributeContext();
        UserModel user = attribute.getUser();
        if (user == null) {
            return context; // a new account: nothing changes
        }
        String name = attribute.getMetadata().getName();
        String stored = stored(user, name);
        if (!same(name, stored, first(input))) {
            boolean verified = TillitAttributes.PHONE_NUMBER.equals(name) && TillitAttributes.phoneVerified(user);
            context.getSession().setAttribute(NOTE + user.getId() + "." + name,
                    new PreviousContact(UserModel.EMAIL.equals(name) ? stored : null,
                            TillitAttributes.PHONE_NUMBER.equals(name) ? stored : null, verified));
        }
        return context;
    }

    /**
     * The stored value noted earlier in this request for {@code attribute} ({@code email} or
     * {@code phone_number}) when it differs from what the user now has, else null.
     */
    static PreviousContact changed(KeycloakSession session, UserModel user, String attribute) {
        Object note = session.getAttribute(NOTE + user.getId() + "." + attribute);
        if (!(note instanceof PreviousContact previous)) {
            return null;
        }
        session.removeAttribute(NOTE + user.getId() + "." + attribute);
        String before = UserModel.EMAIL.equals(attribute) ? previous.email() : previous.phone();
        return same(attribute, before, stored(user, attribute)) ? null : previous;
    }

    static String stored(UserModel user, String attribute) {
        return UserModel.EMAIL.equals(attribute) ? user.getEmail() : user.getFirstAttribute(attribute);
    }

    static boolean same(String attribute, String a, String b) {
        a = blankToNull(a);
        b = blankToNull(b);
        if (UserModel.EMAIL.equals(attribute)) {
            // Keycloak stores emails in lower case.
            return Objects.equals(a == null ? null : a.toLowerCase(Locale.ROOT), b == null ? null : b.toLowerCase(Locale.ROOT));
        }
        return Objects.equals(a, b);
    }

    private static String first(Object input) {
        if (input instanceof List<?> values) {
            return values.isEmpty() || values.get(0) == null ? null : values.get(0).toString();
        }
        return input == null ? null : input.toString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
