package dev.tillit.keycloak.mfa;

import java.util.List;
import java.util.Locale;

import dev.tillit.keycloak.TillitAttributes;
import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.TillitMessages;
import dev.tillit.keycloak.code.CodeChannel;
import dev.tillit.keycloak.code.CodeRecipient;
import dev.tillit.keycloak.code.CodeStepRequiredAction;
import dev.tillit.keycloak.code.Masking;
import dev.tillit.keycloak.code.OneTimeCodes;
import dev.tillit.keycloak.login.Identifier;
import dev.tillit.keycloak.phone.PhoneNumberResult;
import dev.tillit.keycloak.phone.PhoneNumbers;
import dev.tillit.keycloak.phone.PhoneUserLookup;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.CredentialRegistrator;
import org.keycloak.authentication.InitiatedActionSupport;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.credential.CredentialModel;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.events.Details;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.services.messages.Messages;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Sets up the SMS or email second factor (required action; also {@code kc_action} from the
 * account console's "Set up"). The number or address is proved by a code before anything is
 * stored, through the code engine like every other code step:
 * <ul>
 * <li>An account that already holds a verified number (address) uses it: the code goes there at
 *     once. Changing it is a contact change, which has its own verified path; this step never
 *     replaces a verified contact.</li>
 * <li>Otherwise the user types one: for SMS a mobile number (the same parsing as sign-in and
 *     sign-up; the realm's SMS country allow-list applies when the code is sent), for email an
 *     address. One that belongs to another account gets the decoy — the same pages, and nothing
 *     sent — so this step tells nobody who else is a customer.</li>
 * <li>When the code is right, the contact is stored as the account's verified
 *     {@code phone_number} / email (the factor and the attribute are one fact), and the
 *     credential replaces any earlier one of its type.</li>
 * </ul>
 */
public class ContactFactorSetup extends CodeStepRequiredAction implements CredentialRegistrator {

    static final String FORM = "tillit-mfa-setup.ftl";

    private final ContactFactor factor;

    ContactFactorSetup(ContactFactor factor) {
        this.factor = factor;
    }

    @Override
    protected String purpose() {
        return factor.setupPurpose();
    }

    @Override
    protected CodeRecipient knownRecipient(RequiredActionContext context, OneTimeCodes codes) {
        UserModel user = context.getUser();
        String contact = factor.verifiedContact(user);
        return contact == null ? null
                : CodeRecipient.account(factor.channel(), contact, user.getId(), Masking.recipient(factor.channel(), contact));
    }

    /** A verified contact is the factor's: "use another number" would be a contact change, which is not this step. */
    @Override
    protected boolean offersRestart(RequiredActionContext context) {
        return factor.verifiedContact(context.getUser()) == null;
    }

    @Override
    protected Response firstScreen(RequiredActionContext context, MultivaluedMap<String, String> submitted,
                                   List<FormMessage> errors) {
        String typed = submitted == null ? unverifiedContact(context.getUser()) : submitted.getFirst(FIELD_IDENTIFIER);
        LoginFormsProvider forms = context.form()
                .setAttribute("factor", factor.name().toLowerCase(Locale.ROOT))
                .setAttribute("identifier", typed == null ? "" : typed.trim());
        if (!errors.isEmpty()) {
            forms.setErrors(errors);
        }
        return forms.createForm(FORM);
    }

    @Override
    protected CodeRecipient identify(RequiredActionContext context, MultivaluedMap<String, String> form, OneTimeCodes codes) {
        String typed = form.getFirst(FIELD_IDENTIFIER);
        String value;
        if (factor.channel() == CodeChannel.SMS) {
            PhoneNumberResult phone = PhoneNumbers.parse(typed, codes.settings().phoneDefaultRegion());
            value = phone.e164();
            if (value == null) {
                context.challenge(firstScreen(context, form, List.of(new FormMessage(FIELD_IDENTIFIER, phone.error()))));
                return null;
            }
        } else {
            Identifier email = Identifier.parse(typed, null);
            if (email.channel() != CodeChannel.EMAIL) {
                String error = email.valid() || TillitMessages.IDENTIFIER_INVALID.equals(email.error()) ? Messages.INVALID_EMAIL : email.error();
                context.challenge(firstScreen(context, form, List.of(new FormMessage(FIELD_IDENTIFIER, error))));
                return null;
            }
            value = email.value();
        }
        String shown = Masking.recipient(factor.channel(), value);
        UserModel user = context.getUser();
        return heldByAnother(context.getSession(), context.getRealm(), user, value)
                ? CodeRecipient.decoy(factor.channel(), value, shown)
                : CodeRecipient.account(factor.channel(), value, user.getId(), shown);
    }

    @Override
    protected void verified(RequiredActionContext context, CodeRecipient recipient) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        UserModel user = context.getUser();
        if (!user.getId().equals(recipient.userId()) || heldByAnother(session, realm, user, recipient.target())
                || (!recipient.target().equalsIgnoreCase(unverifiedContact(user)) && !claim(session, realm, recipient.target()))) {
            // A decoy, or the contact was taken by another account after the code went out.
            failLikeAWrongCode(context, recipient);
            return;
        }
        storeContact(context, user, recipient.target());

        ContactFactorCredentialProvider provider =
                (ContactFactorCredentialProvider) session.getProvider(CredentialProvider.class, factor.credentialType());
        user.credentialManager().getStoredCredentialsByTypeStream(factor.credentialType()).map(CredentialModel::getId).toList()
                .forEach(id -> user.credentialManager().removeStoredCredentialById(id));
        CredentialModel credential = provider.createCredential(realm, user, provider.newCredential(label(recipient)));

        context.getEvent().clone().event(EventType.UPDATE_CREDENTIAL).user(user)
                .detail(Details.CREDENTIAL_TYPE, factor.credentialType())
                .detail(Details.CREDENTIAL_ID, credential.getId())
                .detail(TillitEvents.DETAIL, TillitEvents.SECOND_FACTOR_ADDED)
                .detail(TillitEvents.CHANNEL, factor.channel().name().toLowerCase(Locale.ROOT))
                .success();
        forget(context.getAuthenticationSession());
        context.success();
    }

    /**
     * The credential's name in the account console and on Keycloak's "delete" page: the masked
     * number behind "SMS" (the same word in both languages), or the address.
     */
    private static String label(CodeRecipient recipient) {
        return recipient.channel() == CodeChannel.SMS ? "SMS " + recipient.shown() : recipient.shown();
    }

    /**
     * Writes the proved contact as the account's verified number or address. Nothing changes for
     * a contact the account already held verified; a new one is an event of its own (Keycloak's
     * attribute-change details), which the withdrawal-lock listener may act on.
     */
    private void storeContact(RequiredActionContext context, UserModel user, String contact) {
        if (factor.channel() == CodeChannel.SMS) {
            String previous = user.getFirstAttribute(TillitAttributes.PHONE_NUMBER);
            boolean wasVerified = TillitAttributes.phoneVerified(user);
            user.setSingleAttribute(TillitAttributes.PHONE_NUMBER, contact);
            user.setSingleAttribute(TillitAttributes.PHONE_NUMBER_VERIFIED, "true");
            if (!(wasVerified && contact.equals(previous))) {
                var event = context.getEvent().clone().event(EventType.UPDATE_PROFILE).user(user)
                        .detail(Details.PREF_UPDATED + TillitAttributes.PHONE_NUMBER, contact)
                        .detail(TillitEvents.DETAIL, TillitEvents.CONTACT_ADDED)
                        .detail(TillitEvents.CHANNEL, "sms");
                if (previous != null) {
                    event.detail(Details.PREF_PREVIOUS + TillitAttributes.PHONE_NUMBER, previous);
                }
                event.success();
            }
        } else {
            String previous = user.getEmail();
            boolean sameAddress = previous != null && previous.equalsIgnoreCase(contact);
            boolean wasVerified = sameAddress && user.isEmailVerified();
            if (!sameAddress) {
                user.setEmail(contact);
            }
            user.setEmailVerified(true);
            if (!wasVerified) {
                var event = context.getEvent().clone().event(EventType.UPDATE_EMAIL).user(user)
                        .detail(Details.UPDATED_EMAIL, contact)
                        .detail(TillitEvents.DETAIL, TillitEvents.CONTACT_ADDED)
                        .detail(TillitEvents.CHANNEL, "email");
                if (previous != null) {
                    event.detail(Details.PREVIOUS_EMAIL, previous);
                }
                event.success();
            }
        }
    }

    /** True when another account holds {@code contact} (a number: verified or not; email addresses are unique). */
    private boolean heldByAnother(KeycloakSession session, RealmModel realm, UserModel user, String contact) {
        UserModel owner = factor.channel() == CodeChannel.SMS
                ? PhoneUserLookup.findByPhone(session, realm, contact)
                : session.users().getUserByEmail(realm, contact);
        return owner != null && !owner.getId().equals(user.getId());
    }

    /** Cluster-wide claim, so two accounts proving the same new contact at the same instant cannot both store it. */
    private static boolean claim(KeycloakSession session, RealmModel realm, String contact) {
        return session.singleUseObjects().putIfAbsent("tillit:identifier-claim:" + realm.getId() + ":" + contact, 30);
    }

    /** The account's number or address as stored, verified or not (what the first screen starts with). */
    private String unverifiedContact(UserModel user) {
        return factor.channel() == CodeChannel.SMS ? user.getFirstAttribute(TillitAttributes.PHONE_NUMBER) : user.getEmail();
    }

    /** "Use another number" (or address): this step is about one kind of contact only. */
    @Override
    protected Response codePage(RequiredActionContext context, OneTimeCodes codes, CodeRecipient recipient,
                                FormMessage error, String info) {
        context.form().setAttribute("codeRestartKey", factor.message("SetupStartOver"));
        return super.codePage(context, codes, recipient, error, info);
    }

    @Override
    protected String codeLeadKey() {
        return factor.message("SetupCodeSent");
    }

    @Override
    protected void forget(AuthenticationSessionModel authSession) {
    }

    @Override
    public InitiatedActionSupport initiatedActionSupport() {
        return InitiatedActionSupport.SUPPORTED;
    }

    @Override
    public String getCredentialType(KeycloakSession session, AuthenticationSessionModel authenticationSession) {
        return factor.credentialType();
    }
}
