package dev.tillit.keycloak.lock;

import dev.tillit.keycloak.TillitMessages;
import dev.tillit.keycloak.TillitAttributes;
import dev.tillit.keycloak.TillitEvents;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.tillit.keycloak.code.CodeDelivery;
import dev.tillit.keycloak.code.DeliveryFailedException;
import dev.tillit.keycloak.settings.TillitSettings;
import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The withdrawal lock: {@code withdrawal_locked_until} (epoch seconds, UTC) on the user, read by
 * the exchange from the token claim of the same name. Applying it never shortens an existing lock.
 */
public final class WithdrawalLock {

    public static final String ATTRIBUTE = TillitAttributes.WITHDRAWAL_LOCKED_UNTIL;
    private static final Logger LOG = Logger.getLogger(WithdrawalLock.class);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT);

    private WithdrawalLock() {
    }

    /** {@code 2026-11-26 18:40 UTC}: how notices and pages state the lock's end. */
    public static String format(long epochSeconds) {
        return WHEN.format(Instant.ofEpochSecond(epochSeconds).atOffset(ZoneOffset.UTC));
    }

    /** The lock's end when it lies in the future, else null. */
    public static Long activeUntil(UserModel user) {
        String value = user.getFirstAttribute(ATTRIBUTE);
        if (value == null) {
            return null;
        }
        try {
            long until = Long.parseLong(value.trim());
            return until > Time.currentTime() ? until : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static final DateTimeFormatter CONSOLE_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm", Locale.ROOT);

    /**
     * Brings {@code withdrawal_locked_until_utc}, the consoles' date of the lock, in line with the
     * epoch value: set from it, or removed with it (an admin lifting the lock deletes the epoch value).
     */
    public static void showAsDate(UserModel user) {
        String epoch = user.getFirstAttribute(ATTRIBUTE);
        String date = null;
        if (epoch != null && !epoch.isBlank()) {
            try {
                date = CONSOLE_DATE.format(Instant.ofEpochSecond(Long.parseLong(epoch.trim())).atOffset(ZoneOffset.UTC));
            } catch (NumberFormatException | java.time.DateTimeException e) {
                date = null;
            }
        }
        String shown = user.getFirstAttribute(TillitAttributes.WITHDRAWAL_LOCKED_UNTIL_UTC);
        if (date == null && shown != null) {
            user.removeAttribute(TillitAttributes.WITHDRAWAL_LOCKED_UNTIL_UTC);
        } else if (date != null && !date.equals(shown)) {
            user.setSingleAttribute(TillitAttributes.WITHDRAWAL_LOCKED_UNTIL_UTC, date);
        }
    }

    /** Locks withdrawals for {@code reason}; see {@link #apply(KeycloakSession, RealmModel, UserModel, LockReason, PreviousContact, EventBuilder)}. */
    public static long apply(KeycloakSession session, RealmModel realm, UserModel user, LockReason reason, EventBuilder event) {
        return apply(session, realm, user, reason, PreviousContact.NONE, event);
    }

    /**
     * The identity provider {@code alias} was linked to the account ({@link LockReason#IDENTITY_LINKED}):
     * locks withdrawals and tells the owner, even under a longer lock, with a "this was not me" link
     * (made by an {@link AccountChangeHook#disownLink}: {@code mfa}'s "this was not me") that ends {@code sessionId} (the session that linked it; null when none,
     * e.g. an admin linked it) and removes every linked identity.
     */
    public static long identityLinked(KeycloakSession session, RealmModel realm, UserModel user, String alias,
                                      String sessionId, EventBuilder event) {
        return apply(session, realm, user, LockReason.IDENTITY_LINKED, PreviousContact.NONE, event, new Linked(alias, sessionId));
    }

    public static long apply(KeycloakSession session, RealmModel realm, UserModel user, LockReason reason,
                             PreviousContact previous, EventBuilder event) {
        return apply(session, realm, user, reason, previous, event, null);
    }

    /** The identity provider a lock for {@link LockReason#IDENTITY_LINKED} is about, and the session that linked it. */
    private record Linked(String alias, String sessionId) {
    }

    /** The provider as people know it: its display name, else its alias. */
    public static String providerName(KeycloakSession session, String alias) {
        IdentityProviderModel idp = session.identityProviders().getByAlias(alias);
        return idp == null || idp.getDisplayName() == null || idp.getDisplayName().isBlank() ? alias : idp.getDisplayName();
    }

    /**
     * Removes every identity linked to the account ({@link LockReason#removesLinkedIdentities()}) and
     * emits {@code REMOVE_FEDERATED_IDENTITY} with {@code tillit_event=linked_identities_removed}, the
     * reason and the removed aliases. Returns the removed providers' names (empty: none were linked).
     */
    private static List<String> removeLinkedIdentities(KeycloakSession session, RealmModel realm, UserModel user,
                                                       LockReason reason, EventBuilder event) {
        List<String> aliases = session.users().getFederatedIdentitiesStream(realm, user)
                .map(FederatedIdentityModel::getIdentityProvider).sorted().toList();
        if (aliases.isEmpty()) {
            return List.of();
        }
        for (String alias : aliases) {
            session.users().removeFederatedIdentity(realm, user, alias);
        }
        event.clone().event(EventType.REMOVE_FEDERATED_IDENTITY).user(user)
                .detail(TillitEvents.DETAIL, TillitEvents.LINKED_IDENTITIES_REMOVED)
                .detail(Details.REASON, reason.detail())
                .detail(TillitEvents.IDENTITY_PROVIDERS, String.join(",", aliases))
                .success();
        return aliases.stream().map(alias -> providerName(session, alias)).toList();
    }

    /**
     * Locks withdrawals for {@code reason}'s duration (never shortening a lock), emits
     * {@code tillit_event=withdrawal_locked} with the reason and the lock's end, and tells the user
     * by email and (verified phone) SMS in words that name the reason. After an email or phone
     * change the previous address and number are told as well as the current ones, even when a
     * lock already holds. One request that reports the same change twice (e.g. UPDATE_PASSWORD and
     * UPDATE_CREDENTIAL) locks and tells once. Runs in the caller's session and transaction.
     */
    private static long apply(KeycloakSession session, RealmModel realm, UserModel user, LockReason reason,
                              PreviousContact previous, EventBuilder event, Linked linked) {
        // Before the "already locked" shortcuts below: every such change counts, lock or not
        // (e.g. mfa revokes the trusted devices for the reasons that call for it).
        session.getAllProviders(AccountChangeHook.class).forEach(hook -> hook.beforeLock(realm, user, reason, event));
        // Likewise: a reset or a disowned sign-in removes every linked identity, lock or not.
        List<String> removed = reason.removesLinkedIdentities()
                ? removeLinkedIdentities(session, realm, user, reason, event) : List.of();
        String once = "tillit.withdrawal-lock." + user.getId() + "." + reason.name()
                + (linked == null ? "" : "." + linked.alias());
        Object done = session.getAttribute(once);
        if (done instanceof Long until) {
            return until;
        }
        TillitSettings settings = TillitSettings.of(realm);
        long until = Time.currentTime() + reason.duration(settings).toSeconds();
        Long existing = activeUntil(user);
        boolean longer = existing == null || existing < until - 60;
        if (!longer && !reason.toldEvenWhenLocked() && removed.isEmpty()) {
            // Already locked at least this long (one change can raise several events): nothing new to say.
            return existing;
        }
        long effective = longer ? until : existing;
        if (longer) {
            user.setSingleAttribute(ATTRIBUTE, Long.toString(effective));
            showAsDate(user);
        }
        session.setAttribute(once, effective);
        EventBuilder locked = event.clone().event(EventType.CUSTOM_REQUIRED_ACTION).user(user)
                .detail(TillitEvents.DETAIL, TillitEvents.WITHDRAWAL_LOCKED)
                .detail(Details.REASON, reason.detail())
                .detail(ATTRIBUTE, Long.toString(effective));
        if (linked != null) {
            locked.detail(Details.IDENTITY_PROVIDER, linked.alias());
        }
        if (!removed.isEmpty()) {
            locked.detail(TillitEvents.LINKED_IDENTITIES_REMOVED, String.join(", ", removed));
        }
        locked.success();
        notifyUser(session, realm, user, reason, previous, effective, settings, linked, removed);
        return effective;
    }

    private static void notifyUser(KeycloakSession session, RealmModel realm, UserModel user, LockReason reason,
                                   PreviousContact previous, long until, TillitSettings settings, Linked linked,
                                   List<String> removed) {
        String when = format(until);
        CodeDelivery delivery = new CodeDelivery(session, realm, settings);
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("lockedUntil", when);
        attributes.put("reasonKey", reason.mailKey());
        String subject = TillitMessages.LOCK_NOTICE_SUBJECT;
        String provider = null;
        String disownLink = null;
        if (linked != null) {
            provider = providerName(session, linked.alias());
            AccountChangeHook.DisownLink link = session.getAllProviders(AccountChangeHook.class).stream()
                    .map(hook -> hook.disownLink(realm, user, linked.sessionId(), reason))
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
            subject = TillitMessages.BROKER_LINKED_SUBJECT;
            attributes.put("reasonArg", provider);
            if (link != null) {
                disownLink = link.url();
                attributes.put("disownLink", disownLink);
                attributes.put("linkDays", link.lifespanSeconds() / (24 * 3600));
            }
        }
        if (!removed.isEmpty()) {
            attributes.put("removedProviders", String.join(", ", removed));
        }
        Set<String> mails = new LinkedHashSet<>();
        if (user.getEmail() != null) {
            mails.add(user.getEmail().toLowerCase(Locale.ROOT));
        }
        if (previous.email() != null) {
            mails.add(previous.email().toLowerCase(Locale.ROOT));
        }
        for (String address : mails) {
            try {
                delivery.email(address, user, subject, "tillit-withdrawal-lock.ftl", attributes);
            } catch (DeliveryFailedException e) {
                LOG.warnf("Withdrawal-lock notice mail for user %s failed: %s", user.getId(), e.getMessage());
            }
        }
        Set<String> numbers = new LinkedHashSet<>();
        if (TillitAttributes.phoneVerified(user)) {
            numbers.add(user.getFirstAttribute(TillitAttributes.PHONE_NUMBER));
        }
        if (previous.phone() != null && previous.phoneVerified()) {
            numbers.add(previous.phone());
        }
        for (String number : numbers) {
            try {
                if (linked != null) {
                    delivery.sms(number, user, reason.smsKey(), when, provider, disownLink);
                } else {
                    delivery.sms(number, user, reason.smsKey(), when);
                }
            } catch (DeliveryFailedException e) {
                LOG.warnf("Withdrawal-lock notice SMS for user %s failed: %s", user.getId(), e.getMessage());
            }
        }
    }
}
