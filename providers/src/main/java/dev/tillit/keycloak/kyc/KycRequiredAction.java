package dev.tillit.keycloak.kyc;

import dev.tillit.keycloak.settings.DocumentType;
import java.nio.charset.StandardCharsets;
import java.text.Collator;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriBuilder;

import org.jboss.logging.Logger;
import org.keycloak.authentication.InitiatedActionSupport;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.common.util.SecretGenerator;
import org.keycloak.events.EventType;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.util.JsonSerialization;

import dev.tillit.keycloak.TillitAttributes;
import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.TillitMessages;
import dev.tillit.keycloak.settings.TillitSettings;

/**
 * Identity verification ({@code tillit-kyc}): one screen per {@link KycStep}, the due one derived
 * from the stored draft. Every form names the step it was rendered for; a form from another step
 * (a second tab, the back button) changes nothing and shows the step that is due. Pictures
 * arrive through {@link KycUploadResource} (Keycloak's login-action endpoint reads only URL-encoded
 * forms); their step's form merely moves on once the picture is stored.
 */
public class KycRequiredAction implements RequiredActionProvider {

    private static final Logger LOG = Logger.getLogger(KycRequiredAction.class);

    static final String TEMPLATE = "tillit-kyc.ftl";

    private static final int MAX_NAME = 200;
    private static final int MAX_STREET = 200;
    private static final int MAX_POSTAL_CODE = 20;
    private static final int MAX_CITY = 100;

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
    }

    /** An exchange's app sends the user here with {@code kc_action=tillit-kyc} when a limit needs a higher level. */
    @Override
    public InitiatedActionSupport initiatedActionSupport() {
        return InitiatedActionSupport.SUPPORTED;
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        Situation now = situation(context);
        if (now.step == null) {
            context.success();
            return;
        }
        show(context, now, null);
    }

    @Override
    public void processAction(RequiredActionContext context) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        Situation now = situation(context);
        if (now.step == null) {
            context.success();
            return;
        }
        if (!now.step.id().equals(form.getFirst("step"))) {
            show(context, now, null);
            return;
        }
        try {
            if (now.step == KycStep.REVIEW && form.getFirst("edit") != null) {
                edit(context, now, form.getFirst("edit"));
                show(context, situation(context), null);
                return;
            }
            switch (now.step) {
                case OVERVIEW -> now.store.draft(context.getRealm(), context.getUser());
                case COUNTRY -> {
                    if (!chooseCountry(context, now, form.getFirst("country"))) {
                        return;
                    }
                }
                case REGION -> {
                    if (!chooseRegion(context, now, form.getFirst("region"))) {
                        return;
                    }
                }
                case DOCUMENT -> {
                    if (!chooseDocument(context, now, form.getFirst("documentType"), form.getFirst("documentCountry"))) {
                        return;
                    }
                }
                case DETAILS -> {
                    if (!enterDetails(context, now, form)) {
                        return;
                    }
                }
                case FRONT, BACK, SELFIE -> {
                    if (!now.pictures.contains(now.step.upload().id())) {
                        show(context, now, TillitMessages.KYC_PICTURE_REQUIRED);
                        return;
                    }
                }
                case REVIEW -> {
                    if (!submit(context, now)) {
                        return;
                    }
                }
                case SUBMITTED -> {
                    context.success();
                    return;
                }
            }
        } catch (DocumentVault.KeyUnavailableException e) {
            LOG.error(e.getMessage());
            show(context, now, TillitMessages.KYC_UNAVAILABLE);
            return;
        }
        show(context, situation(context), null);
    }

    /** Where the user stands: their draft (or none), its pictures, and the step due. */
    private static final class Situation {
        KycStore store;
        TillitSettings settings;
        KycCaseEntity draft;
        Set<String> pictures = Set.of();
        KycStep step;
    }

    private Situation situation(RequiredActionContext context) {
        Situation s = new Situation();
        s.store = new KycStore(context.getSession());
        s.settings = TillitSettings.of(context.getRealm());
        KycCaseEntity latest = s.store.latest(context.getRealm(), context.getUser()).orElse(null);
        if (latest != null && KycStore.DRAFT.equals(latest.getStatus())) {
            s.draft = latest;
            s.pictures = s.store.documentKinds(latest);
            s.step = KycStep.due(latest, s.pictures, s.settings);
        } else if (latest != null && KycStore.RESUBMISSION_REQUIRED.equals(latest.getStatus())) {
            // A reviewer sent it back: a new draft holds everything but the pictures asked for.
            s.draft = s.store.resubmissionDraft(context.getRealm(), context.getUser(), latest,
                    new DocumentVault(context.getSession()), s.settings.kycKeyReference());
            s.pictures = s.store.documentKinds(s.draft);
            s.step = KycStep.due(s.draft, s.pictures, s.settings);
        } else if (latest != null && KycStore.PENDING.equals(latest.getStatus())) {
            s.step = KycStep.SUBMITTED;
        } else if (latest != null && "approved".equals(latest.getStatus())) {
            s.step = null;
        } else {
            s.step = KycStep.OVERVIEW;
        }
        return s;
    }

    private boolean chooseCountry(RequiredActionContext context, Situation now, String country) {
        if (country == null || country.isBlank()) {
            showError(context, now, "country", TillitMessages.KYC_COUNTRY_REQUIRED);
            return false;
        }
        if (!KycPolicy.countryServed(now.settings, country)) {
            refuseCountry(context, country);
            showError(context, now, "country", TillitMessages.KYC_COUNTRY_NOT_SERVED);
            return false;
        }
        now.draft.setCountry(country);
        now.draft.setRegion(null);
        now.store.touch(now.draft);
        return true;
    }

    private boolean chooseRegion(RequiredActionContext context, Situation now, String region) {
        List<String> asked = KycPolicy.regionsAsked(now.settings, now.draft.getCountry());
        if ("-".equals(region)) {
            now.draft.setRegion("-");
            now.store.touch(now.draft);
            return true;
        }
        if (region == null || !asked.contains(region)) {
            showError(context, now, "region", TillitMessages.KYC_REGION_REQUIRED);
            return false;
        }
        // A resident of a region that is not served: the country choice is undone, so the
        // refusal does not stick to the draft should they have picked the region by mistake.
        refuseCountry(context, region);
        now.draft.setCountry(null);
        now.store.touch(now.draft);
        showError(context, situation(context), "country", TillitMessages.KYC_COUNTRY_NOT_SERVED);
        return false;
    }

    private void refuseCountry(RequiredActionContext context, String where) {
        context.getEvent().clone().event(EventType.CUSTOM_REQUIRED_ACTION_ERROR)
                .detail(TillitEvents.DETAIL, TillitEvents.KYC_COUNTRY_REFUSED).detail("kyc_country", where)
                .error(TillitEvents.ERROR_COUNTRY_NOT_SERVED);
    }

    private boolean chooseDocument(RequiredActionContext context, Situation now, String typeId, String issuer) {
        DocumentType type = DocumentType.of(typeId).orElse(null);
        if (type == null || issuer == null || !KycPolicy.allCountries().contains(issuer)) {
            showError(context, now, "documentType", TillitMessages.KYC_DOCUMENT_REQUIRED);
            return false;
        }
        if (!KycPolicy.documentTypes(now.settings, issuer).contains(type)) {
            showError(context, now, "documentType", TillitMessages.KYC_DOCUMENT_NOT_ACCEPTED);
            return false;
        }
        if (!KycPolicy.issuerMatchesResidence(type, issuer, now.draft.getCountry())) {
            showError(context, now, "documentCountry", TillitMessages.KYC_DOCUMENT_COUNTRY_MISMATCH);
            return false;
        }
        now.draft.setDocumentType(type.id());
        now.draft.setDocumentCountry(issuer);
        now.store.touch(now.draft);
        return true;
    }

    private boolean enterDetails(RequiredActionContext context, Situation now, MultivaluedMap<String, String> form) {
        List<FormMessage> errors = new ArrayList<>();
        String name = clean(form.getFirst("fullName"));
        String street = clean(form.getFirst("street"));
        String postalCode = clean(form.getFirst("postalCode"));
        String city = clean(form.getFirst("city"));
        if (name.isEmpty()) {
            errors.add(new FormMessage("fullName", TillitMessages.KYC_NAME_REQUIRED));
        } else if (name.length() > MAX_NAME) {
            errors.add(new FormMessage("fullName", TillitMessages.KYC_FIELD_TOO_LONG, MAX_NAME));
        }
        LocalDate birthDate = null;
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        try {
            birthDate = LocalDate.parse(clean(form.getFirst("birthDate")));
        } catch (DateTimeParseException e) {
            // reported below
        }
        if (birthDate == null || birthDate.isAfter(today) || birthDate.getYear() < 1900) {
            errors.add(new FormMessage("birthDate", TillitMessages.KYC_BIRTH_DATE_INVALID));
        } else if (!KycPolicy.oldEnough(birthDate, now.settings.kycMinimumAge(), today)) {
            errors.add(new FormMessage("birthDate", TillitMessages.KYC_TOO_YOUNG, now.settings.kycMinimumAge()));
        }
        if (street.isEmpty() || postalCode.isEmpty() || city.isEmpty()) {
            errors.add(new FormMessage("street", TillitMessages.KYC_ADDRESS_REQUIRED));
        } else if (street.length() > MAX_STREET || postalCode.length() > MAX_POSTAL_CODE || city.length() > MAX_CITY) {
            errors.add(new FormMessage("street", TillitMessages.KYC_FIELD_TOO_LONG, MAX_STREET));
        }
        if (!errors.isEmpty()) {
            Map<String, String> typed = new LinkedHashMap<>();
            for (String field : List.of("fullName", "birthDate", "street", "postalCode", "city")) {
                typed.put(field, form.getFirst(field) == null ? "" : form.getFirst(field));
            }
            errors.forEach(context.form()::addError);
            context.form().setAttribute("kycTyped", typed);
            show(context, now, null);
            return false;
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("fullName", name);
        details.put("birthDate", birthDate.toString());
        details.put("street", street);
        details.put("postalCode", postalCode);
        details.put("city", city);
        details.put("country", now.draft.getCountry());
        byte[] json;
        try {
            json = JsonSerialization.writeValueAsBytes(details);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        DocumentVault.Sealed sealed = new DocumentVault(context.getSession())
                .seal(now.settings.kycKeyReference(), json, DocumentVault.Field.details(context.getRealm(), now.draft.getId()));
        now.draft.setDetails(sealed.bytes());
        now.draft.setKeyId(sealed.keyId());
        now.store.touch(now.draft);
        return true;
    }

    /** Trimmed, control characters (incl. CR/LF, which would forge lines in a reviewer's export) removed. */
    static String clean(String value) {
        return value == null ? "" : value.replaceAll("\\p{Cntrl}", " ").trim().replaceAll("\\s{2,}", " ");
    }

    private void edit(RequiredActionContext context, Situation now, String what) {
        KycCaseEntity d = now.draft;
        switch (what) {
            case "country" -> {
                d.setCountry(null);
                d.setRegion(null);
                clearDocument(now);
            }
            case "document" -> clearDocument(now);
            case "details" -> d.setDetails(null);
            case "front", "back" -> now.store.removeDocument(d, what);
            case "selfie" -> {
                now.store.removeDocument(d, DocumentKind.SELFIE.id());
                now.store.removeDocument(d, DocumentKind.SELFIE_LEFT.id());
                now.store.removeDocument(d, DocumentKind.SELFIE_RIGHT.id());
            }
            default -> {
                return;
            }
        }
        now.store.touch(d);
    }

    private void clearDocument(Situation now) {
        now.draft.setDocumentType(null);
        now.draft.setDocumentCountry(null);
        now.store.removeDocument(now.draft, DocumentKind.FRONT.id());
        now.store.removeDocument(now.draft, DocumentKind.BACK.id());
    }

    private boolean submit(RequiredActionContext context, Situation now) {
        RealmModel realm = context.getRealm();
        UserModel user = context.getUser();
        if (now.store.submissionsSince(realm, user, java.time.Duration.ofHours(24)) >= now.settings.kycSubmissionsPerDay()) {
            show(context, now, TillitMessages.KYC_SUBMISSION_LIMIT);
            return false;
        }
        long submittedBefore = now.store.submissionsSince(realm, user, java.time.Duration.ofDays(365 * 100));
        now.draft.setStatus(KycStore.PENDING);
        now.draft.setSubmittedAt(System.currentTimeMillis());
        now.draft.setAttempt((int) submittedBefore + 1);
        now.store.touch(now.draft);
        user.setSingleAttribute(TillitAttributes.KYC_STATUS, KycStore.PENDING);
        context.getEvent().clone().detail(TillitEvents.DETAIL, TillitEvents.KYC_SUBMITTED)
                .detail(TillitEvents.KYC_CASE, now.draft.getId()).success();
        // People or a vendor decide it; a vendor is called only after this transaction commits.
        KycVerifiers.submitted(context.getSession(), realm, now.draft);
        return true;
    }

    private void showError(RequiredActionContext context, Situation now, String field, String key) {
        context.form().addError(new FormMessage(field, key));
        show(context, now, null);
    }

    private void show(RequiredActionContext context, Situation now, String error) {
        if (error != null) {
            context.form().setError(error);
        }
        Locale locale = context.getSession().getContext().resolveLocale(context.getUser());
        Map<String, Object> kyc = new LinkedHashMap<>();
        kyc.put("step", now.step.id());
        kyc.put("steps", progress(now));
        kyc.put("reviewDays", now.settings.kycReviewDays());
        kyc.put("level1Limit", String.format(locale, "%,d", now.settings.kycLevel1DailyLimitEur()));
        kyc.put("supportEmail", now.settings.supportEmail());
        if (now.draft != null) {
            kyc.put("country", now.draft.getCountry());
            kyc.put("countryName", name(now.draft.getCountry(), locale));
            kyc.put("documentType", now.draft.getDocumentType());
            kyc.put("documentCountry", now.draft.getDocumentCountry());
            kyc.put("documentCountryName", name(now.draft.getDocumentCountry(), locale));
            kyc.put("twoSided", now.draft.getDocumentType() != null && KycPolicy.twoSided(now.settings, now.draft.getDocumentType()));
            kyc.put("pictures", List.copyOf(now.pictures));
            now.store.sentBack(context.getRealm(), context.getUser(), now.draft).ifPresent(sentBack -> {
                kyc.put("resubmitKinds", List.copyOf(KycStore.redoKinds(sentBack)));
                kyc.put("resubmitReasons", sentBack.getDecisionReasons() == null ? List.of()
                        : List.of(sentBack.getDecisionReasons().split("\\s*,\\s*")));
            });
        }
        switch (now.step) {
            case COUNTRY -> kyc.put("countries", countries(KycPolicy.servedCountries(now.settings), locale));
            case REGION -> kyc.put("regions", KycPolicy.regionsAsked(now.settings, now.draft.getCountry()));
            case DOCUMENT -> {
                kyc.put("countries", countries(KycPolicy.allCountries(), locale));
                kyc.put("documentTypes", KycPolicy.documentTypes(now.settings, now.draft.getCountry()).stream()
                        .map(t -> Map.of("id", t.id(), "label", t.messageKey())).toList());
            }
            case FRONT, BACK, SELFIE -> kyc.put("upload", upload(context, now));
            default -> {
            }
        }
        if (now.step == KycStep.REVIEW) {
            kyc.put("details", details(context, now));
        }
        context.challenge(context.form().setAttribute("kyc", kyc).createForm(TEMPLATE));
    }

    /** A fresh single-purpose upload token for this step's picture, kept in the auth session. */
    private Map<String, String> upload(RequiredActionContext context, Situation now) {
        AuthenticationSessionModel auth = context.getAuthenticationSession();
        String token = UploadGrant.grant(auth, now.step.upload().id(), now.draft.getId());
        String url = UriBuilder.fromUri(context.getUriInfo().getBaseUri())
                .path("realms").path(context.getRealm().getName()).path(KycUploadResourceFactory.ID).path("upload")
                .queryParam("tab_id", auth.getTabId())
                .queryParam("client_id", auth.getClient().getClientId())
                .build().toString();
        Map<String, String> upload = new LinkedHashMap<>();
        String progress = UriBuilder.fromUri(context.getUriInfo().getBaseUri())
                .path("realms").path(context.getRealm().getName()).path(KycUploadResourceFactory.ID).path("progress")
                .queryParam("tab_id", auth.getTabId()).build().toString();
        String phoneLink = UriBuilder.fromUri(context.getUriInfo().getBaseUri())
                .path("realms").path(context.getRealm().getName()).path(KycUploadResourceFactory.ID).path("phone")
                .path(new KycHandoff(context.getSession()).issueLink(context.getRealm(), context.getUser(), now.draft))
                .queryParam("kc_locale", context.getSession().getContext().resolveLocale(context.getUser()).toLanguageTag())
                .build().toString();
        upload.put("progress", progress);
        upload.put("phoneLink", phoneLink);
        upload.put("phoneQr", QrCodes.pngDataUri(phoneLink));
        upload.put("phoneMinutes", String.valueOf(KycHandoff.LINK_SECONDS / 60));
        upload.put("url", url);
        upload.put("token", token);
        upload.put("kind", now.step.upload().id());
        upload.put("maxBytes", String.valueOf(now.settings.kycMaxUploadBytes()));
        return upload;
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> details(RequiredActionContext context, Situation now) {
        byte[] json = new DocumentVault(context.getSession()).open(now.draft.getKeyId(), now.draft.getDetails(),
                DocumentVault.Field.details(context.getRealm(), now.draft.getId()));
        try {
            return JsonSerialization.readValue(new String(json, StandardCharsets.UTF_8), Map.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Steps shown in the progress line; the region question is part of the country step. */
    private List<Map<String, Object>> progress(Situation now) {
        List<KycStep> shown = new ArrayList<>(List.of(KycStep.COUNTRY, KycStep.DOCUMENT, KycStep.DETAILS, KycStep.FRONT));
        if (now.draft != null && now.draft.getDocumentType() != null && KycPolicy.twoSided(now.settings, now.draft.getDocumentType())) {
            shown.add(KycStep.BACK);
        }
        shown.add(KycStep.SELFIE);
        shown.add(KycStep.REVIEW);
        KycStep current = now.step == KycStep.REGION ? KycStep.COUNTRY : now.step;
        List<Map<String, Object>> out = new ArrayList<>();
        for (KycStep step : shown) {
            out.add(Map.of("id", step.id(), "done", step.ordinal() < current.ordinal(), "current", step == current));
        }
        return out;
    }

    private static String name(String country, Locale locale) {
        return country == null ? null : new Locale("", country).getDisplayCountry(locale);
    }

    private static List<Map<String, String>> countries(List<String> codes, Locale locale) {
        Collator collator = Collator.getInstance(locale);
        return codes.stream().map(c -> Map.of("code", c, "name", name(c, locale)))
                .sorted(Comparator.comparing(m -> m.get("name"), collator)).toList();
    }

    @Override
    public void close() {
    }
}
