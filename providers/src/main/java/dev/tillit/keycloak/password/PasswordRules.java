package dev.tillit.keycloak.password;

import dev.tillit.keycloak.TillitMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.PasswordPolicy;
import org.keycloak.models.RealmModel;

/**
 * The realm's password policy as a checklist for the password screens ({@code tillitPasswordRules}):
 * each rule with its message and what the page's script checks while the user types. The
 * server's policy check is the one that counts; this only helps people get it right first time.
 */
public final class PasswordRules {

    private PasswordRules() {
    }

    public static LoginFormsProvider describe(LoginFormsProvider forms, RealmModel realm) {
        return forms.setAttribute("tillitPasswordRules", rules(realm.getPasswordPolicy()));
    }

    static List<Map<String, Object>> rules(PasswordPolicy policy) {
        List<Map<String, Object>> rules = new ArrayList<>();
        Integer min = policy.getPolicyConfig("length");
        Integer max = policy.getPolicyConfig("maxLength");
        if (min != null && max != null) {
            rules.add(rule("length", TillitMessages.RULE_LENGTH_BETWEEN, min + "-" + max, min, max));
        } else if (min != null) {
            rules.add(rule("length", TillitMessages.RULE_LENGTH_MIN, min + "-", min));
        } else if (max != null) {
            rules.add(rule("length", TillitMessages.RULE_LENGTH_MAX, "-" + max, max));
        }
        add(rules, policy, "digits", TillitMessages.RULE_DIGITS);
        add(rules, policy, "upperCase", TillitMessages.RULE_UPPER_CASE);
        add(rules, policy, "lowerCase", TillitMessages.RULE_LOWER_CASE);
        add(rules, policy, "specialChars", TillitMessages.RULE_SPECIAL);
        if (policy.getPolicies().contains(AllowedCharactersPolicyFactory.ID)) {
            String specials = policy.getPolicyConfig(AllowedCharactersPolicyFactory.ID);
            rules.add(rule("allowed", TillitMessages.RULE_ALLOWED_CHARACTERS, specials, specials));
        }
        return rules;
    }

    private static void add(List<Map<String, Object>> rules, PasswordPolicy policy, String id, String key) {
        Integer count = policy.getPolicyConfig(id);
        if (count != null && count > 0) {
            rules.add(rule(id, key, String.valueOf(count), count));
        }
    }

    private static Map<String, Object> rule(String check, String messageKey, String value, Object... args) {
        return Map.of("check", check, "messageKey", messageKey, "value", value, "args", List.of(args));
    }
}
