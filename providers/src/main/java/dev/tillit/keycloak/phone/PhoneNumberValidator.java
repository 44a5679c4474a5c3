package dev.tillit.keycloak.phone;

import dev.tillit.keycloak.TillitMessages;
import java.util.List;

import dev.tillit.keycloak.settings.TillitSettings;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.userprofile.UserProfileAttributeValidationContext;
import org.keycloak.validate.SimpleValidator;
import org.keycloak.validate.ValidationContext;
import org.keycloak.validate.ValidationError;
import org.keycloak.validate.ValidatorConfig;

/**
 * User-profile validator {@code tillit-phone-number} for {@code phone_number}: the value must be a
 * mobile number already in E.164 form and no other account of the realm may carry it. Because it
 * sits in the user profile, it holds for every writer — admin console, admin and account REST APIs.
 */
public class PhoneNumberValidator implements SimpleValidator {

    public static final String ID = "tillit-phone-number";
    public static final String NUMBER_TAKEN = TillitMessages.PHONE_TAKEN;

    @Override
    public String getId() {
        return ID;
    }

    /** New realms whose user profile declares {@code phone_number} get a {@code phone} scope that reads it. */
    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(StandardPhoneClaims::onEvent);
    }

    @Override
    public ValidationContext validate(Object input, String inputHint, ValidationContext context, ValidatorConfig config) {
        @SuppressWarnings("unchecked")
        List<String> values = input instanceof List ? (List<String>) input : List.of(String.valueOf(input));
        if (values.isEmpty() || values.get(0) == null || values.get(0).isBlank()) {
            return context;
        }
        String value = values.get(0);
        KeycloakSession session = context.getSession();
        RealmModel realm = session.getContext().getRealm();

        PhoneNumberResult parsed = PhoneNumbers.parse(value, TillitSettings.of(realm).phoneDefaultRegion());
        if (!parsed.isValid() || !parsed.e164().equals(value)) {
            context.addError(new ValidationError(ID, inputHint, parsed.isValid() ? PhoneNumbers.ERROR_INVALID : parsed.error()));
            return context;
        }
        UserModel user = UserProfileAttributeValidationContext.from(context).getAttributeContext().getUser();
        if (user != null && value.equals(user.getFirstAttribute(PhoneUserLookup.PHONE_NUMBER))) {
            return context;
        }
        if (PhoneUserLookup.isTaken(session, realm, value, user == null ? null : user.getId())) {
            context.addError(new ValidationError(ID, inputHint, NUMBER_TAKEN).setStatusCode(Response.Status.CONFLICT));
        }
        return context;
    }
}
