package dev.tillit.keycloak.kyc;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.authentication.InitiatedActionSupport;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.http.FormPartValue;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.util.JsonSerialization;

import dev.tillit.keycloak.TillitAttributes;
import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.TillitMessages;
import dev.tillit.keycloak.kyc.store.KycCaseEntity;
import dev.tillit.keycloak.kyc.store.KycStore;
import dev.tillit.keycloak.settings.TillitSettings;

/**
 * Identity verification ({@code tillit-kyc}): overview → country of residence → ID type and issuing
 * country → personal details → ID front (and back) → selfie → submitted for review. The user's place
 * and answers live in a draft case in the database (not the auth session), so they can leave and
 * come back; personal details and pictures are sealed before they are written ({@link KycCipher}),
 * pictures are checked and stripped first ({@link ImageChecks}). Every form names the step it was
 * rendered for; a post from a stale tab only shows the current step again.
 */
public class KycRequiredAction implements RequiredActionProvider {

    private static final Logger LOG = Logger.getLogger(KycRequiredAction.class);

    static final String FIELD_STEP = "step";
    static final String FIELD_ACTION = "action";
    static final String ACTION_BACK = "back";
    static final String FIELD_IMAGE = "image";

    @Override
    public InitiatedActionSupport initiatedActionSupport() {
        return InitiatedActionSupport.SUPPORTED;
    }

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        Flow flow = new Flow(context);
        if (flow.unavailable()) {
            return;
        }
        Optional<KycCaseEntity> current = flow.current();
        if (current.isPresent() && KycStatus.APPROVED.value().equals(current.get().getStatus())) {
            context.success();
            return;
        }
        flow.show(flow.step(current.orElse(null)), current.orElse(null), null);
    }

    @Override
    public void processAction(RequiredActionContext context) {
        Flow flow = new Flow(context);
        if (flow.unavailable()) {
            return;
        }
        MultivaluedMap<String, String> form = flow.fields();
        KycCaseEntity kycCase = flow.current().orElse(null);
        KycStep step = flow.step(kycCase);
        if (!step.value().equals(form.getFirst(FIELD_STEP))) {
            // A stale tab, or the phone moved the case on: show where the case really is.
            flow.show(step, kycCase, null);
            return;
        }
        if (ACTION_BACK.equals(form.getFirst(FIELD_ACTION)) && kycCase != null && step != KycStep.SUBMITTED) {
            KycStep previous = flow.previous(kycCase, step);
            kycCase.setStep(previous.value());
            flow.store.touch(kycCase);
            flow.show(previous, kycCase, null);
            return;
        }
        switch (step) {
            case OVERVIEW -> flow.start();
            case COUNTRY -> flow.country(kycCase, form);
            case DOCUMENT -> flow.document(kycCase, form);
            case DETAILS -> flow.details(kycCase, form);
            case FRONT, BACK, SELFIE -> flow.upload(kycCase, step);
            case SUBMITTED -> context.success();
        }
    }

    @Override
    public void close() {
    }

    /** One request's view of the verification. */
    private static final class Flow {
        private final RequiredActionContext context;
        private final RealmModel realm;
        private final UserModel user;
        private final TillitSettings settings;
        private final KycStore store;
        private final KycCountries countries;
        private KycCipher cipher;
        private MultivaluedMap<String, FormPartValue> parts;
        /** What the user typed, shown again with the errors. */
        private Map<String, String> formValues = Map.of();

        Flow(RequiredActionContext context) {
            this.context = context;
            this.realm = context.getRealm();
            this.user = context.getUser();
            this.settings = TillitSettings.of(realm);
            this.store = KycStore.of(context.getSession());
            this.countries = new KycCountries(settings.kycRestrictedCountries(), settings.kycDocumentTypes());
        }

        /** Without its key the verification cannot keep anything safely: say so before the user types. */
        boolean unavailable() {
            try {
                cipher = KycCipher.of(context.getSession(), settings);
                cipher.requireKey();
                return false;
            } catch (KycKeyUnavailableException e) {
                LOG.errorf("Identity verification is unavailable in realm %s: %s", realm.getName(), e.getMessage());
                context.challenge(context.form().setError(TillitMessages.KYC_UNAVAILABLE)
                        .createErrorPage(Response.Status.SERVICE_UNAVAILABLE));
                return true;
            }
        }

        /** The newest case; an abandoned draft past the retention period is deleted on the way. */
        Optional<KycCaseEntity> current() {
            Optional<KycCaseEntity> latest = store.latestCase(realm, user.getId());
            if (latest.isPresent() && KycStatus.DRAFT.value().equals(latest.get().getStatus())
                    && latest.get().getUpdatedAt() < Time.currentTimeMillis() - settings.kycDraftRetention().toMillis()) {
                store.deleteCase(latest.get().getId());
                return Optional.empty();
            }
            return latest;
        }

        KycStep step(KycCaseEntity kycCase) {
            if (kycCase == null) {
                return KycStep.OVERVIEW;
            }
            if (KycStatus.PENDING.value().equals(kycCase.getStatus())) {
                return KycStep.SUBMITTED;
            }
            if (!KycStatus.DRAFT.value().equals(kycCase.getStatus())) {
                return KycStep.OVERVIEW; // rejected, or more documents asked for: a new case
            }
            return KycStep.of(kycCase.getStep()).orElse(KycStep.COUNTRY);
        }

        KycStep previous(KycCaseEntity kycCase, KycStep step) {
            return switch (step) {
                case OVERVIEW, COUNTRY -> KycStep.COUNTRY;
                case DOCUMENT -> KycStep.COUNTRY;
                case DETAILS -> KycStep.DOCUMENT;
                case FRONT -> KycStep.DETAILS;
                case BACK -> KycStep.FRONT;
                case SELFIE -> hasBack(kycCase) ? KycStep.BACK : KycStep.FRONT;
                case SUBMITTED -> KycStep.SUBMITTED;
            };
        }

        MultivaluedMap<String, String> fields() {
            MediaType type = context.getHttpRequest().getHttpHeaders().getMediaType();
            if (type != null && type.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE)) {
                parts = context.getHttpRequest().getMultiPartFormParameters();
                MultivaluedMap<String, String> text = new MultivaluedHashMap<>();
                for (String name : List.of(FIELD_STEP, FIELD_ACTION)) {
                    FormPartValue value = parts.getFirst(name);
                    try {
                        if (value != null) {
                            text.add(name, value.asString());
                        }
                    } catch (RuntimeException e) {
                        // A file where a text field belongs: treated as absent (the current step is shown again).
                    }
                }
                return text;
            }
            return context.getHttpRequest().getDecodedFormParameters();
        }

        void start() {
            KycCaseEntity kycCase = store.create(realm, user.getId(), 1, KycStatus.DRAFT.value(), KycStep.COUNTRY.value());
            show(KycStep.COUNTRY, kycCase, null);
        }

        void country(KycCaseEntity kycCase, MultivaluedMap<String, String> form) {
            String country = upper(form.getFirst("country"));
            String region = upper(form.getFirst("region"));
            if (country == null || !KycCountries.isCountry(country)) {
                show(KycStep.COUNTRY, kycCase, List.of(new FormMessage("country", TillitMessages.KYC_COUNTRY_REQUIRED)));
                return;
            }
            kycCase.setCountry(country);
            if (countries.needsRegion(country) && (region == null || !region.startsWith(country + "-"))) {
                kycCase.setRegion(null);
                store.touch(kycCase);
                show(KycStep.COUNTRY, kycCase, region == null && !form.containsKey("region")
                        ? null : List.of(new FormMessage("region", TillitMessages.KYC_REGION_REQUIRED)));
                return;
            }
            if (!countries.serves(country, countries.needsRegion(country) ? region : null)) {
                context.getEvent().clone().event(EventType.CUSTOM_REQUIRED_ACTION_ERROR)
                        .detail(Details.CUSTOM_REQUIRED_ACTION, KycRequiredActionFactory.ID)
                        .detail(TillitEvents.DETAIL, TillitEvents.KYC_COUNTRY_REFUSED)
                        .detail(Details.REASON, region != null ? region : country)
                        .error(Errors.NOT_ALLOWED);
                // Nothing of a refused answer is kept; a refused region leaves its country chosen,
                // so the region list (and its error) shows again.
                boolean regionRefused = countries.needsRegion(country);
                kycCase.setCountry(regionRefused ? country : null);
                kycCase.setRegion(null);
                store.touch(kycCase);
                show(KycStep.COUNTRY, kycCase, List.of(new FormMessage(regionRefused ? "region" : "country",
                        TillitMessages.KYC_COUNTRY_NOT_SERVED)));
                return;
            }
            kycCase.setRegion(countries.needsRegion(country) ? region : null);
            if (kycCase.getIssuingCountry() == null) {
                kycCase.setIssuingCountry(country);
            }
            moveTo(kycCase, KycStep.DOCUMENT);
        }

        void document(KycCaseEntity kycCase, MultivaluedMap<String, String> form) {
            String issuing = upper(form.getFirst("issuingCountry"));
            Optional<DocumentType> type = DocumentType.of(form.getFirst("documentType"));
            List<FormMessage> errors = new ArrayList<>();
            if (issuing == null || !countries.offered(issuing)) {
                errors.add(new FormMessage("issuingCountry", TillitMessages.KYC_COUNTRY_NOT_SERVED));
            }
            if (type.isEmpty() || (issuing != null && !countries.documentTypes(issuing).contains(type.get()))) {
                errors.add(new FormMessage("documentType", TillitMessages.KYC_DOCUMENT_TYPE_REQUIRED));
            }
            if (!errors.isEmpty()) {
                show(KycStep.DOCUMENT, kycCase, errors);
                return;
            }
            kycCase.setIssuingCountry(issuing);
            kycCase.setDocumentType(type.get().value());
            moveTo(kycCase, KycStep.DETAILS);
        }

        void details(KycCaseEntity kycCase, MultivaluedMap<String, String> form) {
            String name = clean(form.getFirst("fullName"), 200);
            String street = clean(form.getFirst("street"), 200);
            String postalCode = clean(form.getFirst("postalCode"), 20);
            String city = clean(form.getFirst("city"), 100);
            String birth = clean(form.getFirst("birthDate"), 10);
            List<FormMessage> errors = new ArrayList<>();
            if (name == null || name.length() < 2) {
                errors.add(new FormMessage("fullName", TillitMessages.KYC_NAME_REQUIRED));
            }
            LocalDate birthDate = null;
            try {
                birthDate = birth == null ? null : LocalDate.parse(birth);
            } catch (DateTimeParseException e) {
                // reported below
            }
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            if (birthDate == null || birthDate.isAfter(today) || birthDate.getYear() < 1900) {
                errors.add(new FormMessage("birthDate", TillitMessages.KYC_BIRTH_DATE_INVALID));
            } else if (Period.between(birthDate, today).getYears() < settings.kycMinimumAge()) {
                errors.add(new FormMessage("birthDate", TillitMessages.KYC_TOO_YOUNG, String.valueOf(settings.kycMinimumAge())));
            }
            if (street == null || postalCode == null || city == null) {
                errors.add(new FormMessage("street", TillitMessages.KYC_ADDRESS_REQUIRED));
            }
            if (!errors.isEmpty()) {
                formValues = Map.of("fullName", nullToEmpty(form.getFirst("fullName")), "birthDate", nullToEmpty(form.getFirst("birthDate")),
                        "street", nullToEmpty(form.getFirst("street")), "postalCode", nullToEmpty(form.getFirst("postalCode")),
                        "city", nullToEmpty(form.getFirst("city")));
                show(KycStep.DETAILS, kycCase, errors);
                return;
            }
            Map<String, String> details = new LinkedHashMap<>();
            details.put("fullName", name);
            details.put("birthDate", birthDate.toString());
            details.put("street", street);
            details.put("postalCode", postalCode);
            details.put("city", city);
            details.put("country", kycCase.getCountry());
            try {
                byte[] json = JsonSerialization.writeValueAsBytes(details);
                kycCase.setDetails(cipher.seal(json, KycCipher.detailsBinding(realm.getId(), kycCase.getId())));
                kycCase.setDetailsKeyId(cipher.currentKeyId());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            moveTo(kycCase, KycStep.FRONT);
        }

        void upload(KycCaseEntity kycCase, KycStep step) {
            DocumentKind kind = switch (step) {
                case BACK -> DocumentKind.BACK;
                case SELFIE -> DocumentKind.SELFIE;
                default -> DocumentKind.FRONT;
            };
            if (kycCase.getAttempts() >= settings.kycUploadsPerCase()) {
                refused(kycCase, step, new UploadRefusedException(TillitMessages.KYC_UPLOAD_LIMIT, "uploads_per_case"));
                return;
            }
            if (step == KycStep.SELFIE && submittedToday() >= settings.kycSubmissionsPerDay()) {
                refused(kycCase, step, new UploadRefusedException(TillitMessages.KYC_SUBMISSION_LIMIT, "submissions_per_day"));
                return;
            }
            kycCase.setAttempts(kycCase.getAttempts() + 1);
            store.touch(kycCase);
            FormPartValue part = parts == null ? null : parts.getFirst(FIELD_IMAGE);
            ImageChecks.CleanImage image;
            try (PushbackInputStream in = new PushbackInputStream(part == null ? InputStream.nullInputStream() : part.asInputStream())) {
                // A form sent without a file still has the field, empty.
                int first = in.read();
                if (first < 0) {
                    throw new UploadRefusedException(TillitMessages.KYC_UPLOAD_MISSING, "missing");
                }
                in.unread(first);
                image = new ImageChecks(ImageChecks.Limits.defaults(settings.kycMaxUploadBytes())).check(in);
            } catch (UploadRefusedException e) {
                refused(kycCase, step, e);
                return;
            } catch (IOException e) {
                refused(kycCase, step, new UploadRefusedException(TillitMessages.KYC_UPLOAD_DAMAGED, "unreadable"));
                return;
            }
            String documentId = KeycloakModelUtils.generateId();
            byte[] sealed = cipher.seal(image.jpeg(),
                    KycCipher.documentBinding(realm.getId(), kycCase.getId(), documentId, kind.value()));
            store.putDocument(kycCase.getId(), kind.value(), ImageChecks.CONTENT_TYPE, image.jpeg().length, image.sha256(),
                    documentId, sealed, cipher.currentKeyId());
            context.getEvent().clone().event(EventType.CUSTOM_REQUIRED_ACTION)
                    .detail(Details.CUSTOM_REQUIRED_ACTION, KycRequiredActionFactory.ID)
                    .detail(TillitEvents.DETAIL, TillitEvents.KYC_DOCUMENT_STORED)
                    .detail(TillitEvents.KYC_DOCUMENT_KIND, kind.value())
                    .success();
            switch (step) {
                case FRONT -> moveTo(kycCase, hasBack(kycCase) ? KycStep.BACK : KycStep.SELFIE);
                case BACK -> moveTo(kycCase, KycStep.SELFIE);
                default -> submit(kycCase);
            }
        }

        private long submittedToday() {
            return store.submittedSince(realm, user.getId(), Time.currentTimeMillis() - 24L * 3600 * 1000);
        }

        private void submit(KycCaseEntity kycCase) {
            kycCase.setStatus(KycStatus.PENDING.value());
            kycCase.setSubmittedAt(Time.currentTimeMillis());
            kycCase.setStep(KycStep.SUBMITTED.value());
            store.touch(kycCase);
            user.setSingleAttribute(TillitAttributes.KYC_STATUS, KycStatus.PENDING.value());
            if (user.getFirstAttribute(TillitAttributes.KYC_LEVEL) == null) {
                user.setSingleAttribute(TillitAttributes.KYC_LEVEL, "0");
            }
            context.getEvent().clone().event(EventType.CUSTOM_REQUIRED_ACTION)
                    .detail(Details.CUSTOM_REQUIRED_ACTION, KycRequiredActionFactory.ID)
                    .detail(TillitEvents.DETAIL, TillitEvents.KYC_SUBMITTED)
                    .detail(TillitEvents.KYC_CASE, kycCase.getId())
                    .success();
            show(KycStep.SUBMITTED, kycCase, null);
        }

        private void refused(KycCaseEntity kycCase, KycStep step, UploadRefusedException e) {
            context.getEvent().clone().event(EventType.CUSTOM_REQUIRED_ACTION_ERROR)
                    .detail(Details.CUSTOM_REQUIRED_ACTION, KycRequiredActionFactory.ID)
                    .detail(TillitEvents.DETAIL, TillitEvents.KYC_UPLOAD_REFUSED)
                    .detail(Details.REASON, e.reason())
                    .error(Errors.INVALID_INPUT);
            String argument = TillitMessages.KYC_UPLOAD_TOO_LARGE.equals(e.messageKey())
                    ? String.valueOf(settings.kycMaxUploadBytes() / (1024 * 1024)) : null;
            show(step, kycCase, List.of(argument == null ? new FormMessage(FIELD_IMAGE, e.messageKey())
                    : new FormMessage(FIELD_IMAGE, e.messageKey(), argument)));
        }

        private void moveTo(KycCaseEntity kycCase, KycStep step) {
            kycCase.setStep(step.value());
            store.touch(kycCase);
            show(step, kycCase, null);
        }

        private boolean hasBack(KycCaseEntity kycCase) {
            return DocumentType.of(kycCase.getDocumentType()).map(DocumentType::hasBack).orElse(false);
        }

        void show(KycStep step, KycCaseEntity kycCase, List<FormMessage> errors) {
            Locale locale = context.getSession().getContext().resolveLocale(user);
            LoginFormsProvider form = context.form()
                    .setAttribute("kycStep", step.value())
                    .setAttribute("kycStepNumber", String.valueOf(stepNumber(step, kycCase)))
                    .setAttribute("kycStepCount", kycCase != null && hasBack(kycCase) ? "6" : "5")
                    .setAttribute("kycLevel1Limit", String.format(locale, "%,d", settings.kycLevel1DailyLimitEur()))
                    .setAttribute("kycLevel2Limit", String.format(locale, "%,d", settings.kycLevel2DailyLimitEur()))
                    .setAttribute("kycMaxUploadMegabytes", String.valueOf(settings.kycMaxUploadBytes() / (1024 * 1024)))
                    .setAttribute("kycForm", formValues);
            if (kycCase != null) {
                form.setAttribute("kycCountry", kycCase.getCountry() == null ? "" : kycCase.getCountry());
                form.setAttribute("kycRegion", kycCase.getRegion() == null ? "" : kycCase.getRegion());
                form.setAttribute("kycIssuingCountry", kycCase.getIssuingCountry() == null ? "" : kycCase.getIssuingCountry());
                form.setAttribute("kycDocumentType", kycCase.getDocumentType() == null ? "" : kycCase.getDocumentType());
            }
            switch (step) {
                case COUNTRY -> {
                    form.setAttribute("kycCountries", countries.offeredCountries(locale));
                    if (kycCase != null && kycCase.getCountry() != null && countries.needsRegion(kycCase.getCountry())) {
                        form.setAttribute("kycRegions", countries.offeredRegions(kycCase.getCountry()));
                        form.setAttribute("kycCountryName", KycCountries.name(kycCase.getCountry(), locale));
                    }
                }
                case DOCUMENT -> {
                    form.setAttribute("kycCountries", countries.offeredCountries(locale));
                    String issuing = kycCase.getIssuingCountry() != null ? kycCase.getIssuingCountry() : kycCase.getCountry();
                    form.setAttribute("kycDocumentTypes", countries.documentTypes(issuing).stream().map(DocumentType::value).toList());
                    form.setAttribute("kycDocumentTypesByCountry", typesByCountryJson(locale));
                }
                case FRONT, BACK, SELFIE -> form.setAttribute("kycUpload", step.value());
                default -> {
                }
            }
            if (errors != null && !errors.isEmpty()) {
                form.setErrors(errors);
            }
            context.challenge(form.createForm(step.template()));
        }

        /** For the document screen's script: which types each offered issuing country has. */
        private String typesByCountryJson(Locale locale) {
            Map<String, List<String>> map = new LinkedHashMap<>();
            for (Map<String, String> country : countries.offeredCountries(locale)) {
                map.put(country.get("code"), countries.documentTypes(country.get("code")).stream().map(DocumentType::value).toList());
            }
            try {
                return new String(JsonSerialization.writeValueAsBytes(map), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private int stepNumber(KycStep step, KycCaseEntity kycCase) {
            return switch (step) {
                case OVERVIEW, COUNTRY -> 1;
                case DOCUMENT -> 2;
                case DETAILS -> 3;
                case FRONT -> 4;
                case BACK -> 5;
                case SELFIE -> kycCase != null && hasBack(kycCase) ? 6 : 5;
                case SUBMITTED -> kycCase != null && hasBack(kycCase) ? 6 : 5;
            };
        }

        private static String nullToEmpty(String value) {
            return value == null ? "" : value.length() > 200 ? value.substring(0, 200) : value;
        }

        private static String upper(String value) {
            return value == null || value.isBlank() ? null : value.trim().toUpperCase(Locale.ROOT);
        }

        /** Trimmed, without control characters, at most {@code max} characters; null when blank or longer. */
        private static String clean(String value, int max) {
            if (value == null) {
                return null;
            }
            String trimmed = value.strip();
            if (trimmed.isEmpty() || trimmed.length() > max || trimmed.chars().anyMatch(Character::isISOControl)) {
                return null;
            }
            return trimmed;
        }
    }
}
