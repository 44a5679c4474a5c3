package dev.tillit.keycloak.password;

import dev.tillit.keycloak.TillitMessages;
import dev.tillit.keycloak.TillitAttributes;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.policy.PasswordPolicyProvider;
import org.keycloak.policy.PolicyError;

/**
 * The password must not contain the mobile number's subscriber digits (e.g. {@code 701234567} of
 * {@code +46701234567}), however it is written: a number is public knowledge, not a secret.
 */
public class NotPhoneNumberPolicy implements PasswordPolicyProvider {

    public static final String ERROR = TillitMessages.PASSWORD_CONTAINS_PHONE;

    @Override
    public PolicyError validate(RealmModel realm, UserModel user, String password) {
        return check(user == null ? null : user.getFirstAttribute(TillitAttributes.PHONE_NUMBER), password);
    }

    /** At sign-up by phone the "username" handed in is the E.164 number being registered. */
    @Override
    public PolicyError validate(String username, String password) {
        return username != null && username.startsWith("+") ? check(username, password) : null;
    }

    static PolicyError check(String e164, String password) {
        if (e164 == null || password == null) {
            return null;
        }
        try {
            String national = Long.toString(PhoneNumberUtil.getInstance().parse(e164, null).getNationalNumber());
            return password.replaceAll("\\D", "").contains(national) ? new PolicyError(ERROR) : null;
        } catch (NumberParseException e) {
            return null;
        }
    }

    @Override
    public Object parseConfig(String value) {
        return null;
    }

    @Override
    public void close() {
    }
}
