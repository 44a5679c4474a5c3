package dev.tillit.keycloak.kyc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.keycloak.common.util.SecretGenerator;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;
import org.keycloak.theme.Theme;

import dev.tillit.keycloak.TillitEvents;
import dev.tillit.keycloak.TillitMessages;
import dev.tillit.keycloak.settings.TillitSettings;

/**
 * Receives the pictures of a verification as a raw request body ({@code POST .../tillit-kyc/upload}).
 * The upload belongs to a sign-in in progress: the browser's auth-session cookie and tab id find it,
 * and the token the current upload screen was rendered with (an auth-session note, compared in
 * constant time) must match, so a page of another site, another tab's stale screen or another
 * user's session cannot put a picture into this case. The token also names the picture's kind and
 * case, so the request cannot choose them. Answers JSON with a message in the user's language.
 */
public class KycUploadResource implements RealmResourceProvider {

    private static final Logger LOG = Logger.getLogger(KycUploadResource.class);
    /** Stored copies are at most this many pixels on their long side: an ID card filling most of the frame
     * gets some 15 pixels per millimetre, plenty to read it; more would only cost heap (see KycUploadBenchmark). */
    public static final int STORED_LONG_SIDE = 2000;

    /**
     * Head-turn frames the guided selfie may send per step in one sign-in: two per try (left, right),
     * three tries. Each frame is a full picture check, so without a bound a page could loop on them.
     */
    static final int MAX_SELFIE_FRAMES = 6;
    private static final String NOTE_FRAMES = "tillit.kyc.upload.frames";
    private static final String USED_TOKEN = "tillit-kyc-upload-used:";

    private final KeycloakSession session;
    private final PictureCheckSlots slots;

    public KycUploadResource(KeycloakSession session, PictureCheckSlots slots) {
        this.session = session;
        this.slots = slots;
    }

    @Override
    public Object getResource() {
        return this;
    }

    @POST
    @Path("upload")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response upload(@QueryParam("tab_id") String tabId, @QueryParam("frame") String frame,
                           @HeaderParam("X-Tillit-Upload-Token") String token, InputStream body) {
        RealmModel realm = session.getContext().getRealm();
        AuthenticationSessionModel auth = authSession(realm, tabId);
        UserModel user = auth == null ? null : auth.getAuthenticatedUser();
        UploadGrant.Granted granted = UploadGrant.matching(auth, token);
        if (user == null || granted == null) {
            // Nothing about the account is said: the screen that holds a valid token reloads.
            return answer(Response.Status.FORBIDDEN, null, TillitMessages.KYC_UPLOAD_EXPIRED, null);
        }
        String kind = granted.kind();
        String caseId = granted.caseId();
        session.getContext().setAuthenticationSession(auth);
        KycStore store = new KycStore(session);
        KycCaseEntity draft = store.latest(realm, user).filter(c -> c.getId().equals(caseId) && KycStore.DRAFT.equals(c.getStatus()))
                .orElse(null);
        if (draft == null || !claim(realm, token)) {
            // A replay, or a second upload racing the first with the same token: it loses before anything is read.
            return answer(Response.Status.FORBIDDEN, user, TillitMessages.KYC_UPLOAD_EXPIRED, null);
        }
        // The guided selfie's head-turn frames come first; the straight-on picture, last, completes the step.
        String frameKind = frameKind(kind, frame);
        if (frameKind != null) {
            int frames = parseInt(auth.getAuthNote(NOTE_FRAMES)) + 1;
            auth.setAuthNote(NOTE_FRAMES, String.valueOf(frames));
            if (frames > MAX_SELFIE_FRAMES) {
                return withToken(answer(429, user, TillitMessages.KYC_TOO_MANY_FRAMES, null), UploadGrant.renew(auth));
            }
        }
        Response stored = storePicture(realm, user, auth.getClient(), draft, frameKind != null ? frameKind : kind, body);
        if (stored.getStatus() == 200 && frameKind == null) {
            // The step's picture is stored: this screen takes no more.
            UploadGrant.revoke(auth);
            return stored;
        }
        // A frame, or a refusal: the page gets a token for its next try, the spent one stays spent.
        return withToken(stored, UploadGrant.renew(auth));
    }

    /**
     * Spends an upload token: true for exactly one request in the whole cluster
     * ({@link org.keycloak.models.SingleUseObjectProvider#putIfAbsent} is atomic), before the body is read.
     * The mark outlives the token: the sign-in (auth session) or the phone's cookie, whichever lasts longer.
     */
    private boolean claim(RealmModel realm, String token) {
        long lifespan = Math.max(Math.max(realm.getAccessCodeLifespanLogin(), realm.getAccessCodeLifespanUserAction()),
                KycHandoff.PHONE_SECONDS);
        return session.singleUseObjects().putIfAbsent(USED_TOKEN + ImageChecks.sha256(token.getBytes(StandardCharsets.UTF_8)),
                lifespan);
    }

    /** The same answer with the page's next token in it ({@code token}); headers such as Retry-After are kept. */
    private static Response withToken(Response answer, String token) {
        Map<String, Object> entity = new java.util.LinkedHashMap<>();
        if (answer.getEntity() instanceof Map<?, ?> map) {
            map.forEach((k, v) -> entity.put(String.valueOf(k), v));
        }
        entity.put("token", token);
        return Response.fromResponse(answer).entity(entity).type(MediaType.APPLICATION_JSON).build();
    }

    private static int parseInt(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return MAX_SELFIE_FRAMES;
        }
    }

    /**
     * Checks, strips, encrypts and stores one picture of a draft: the same path for the browser that
     * runs the verification and for a phone it handed over to.
     */
    Response storePicture(RealmModel realm, UserModel user, ClientModel client, KycCaseEntity draft, String kind, InputStream body) {
        KycStore store = new KycStore(session);
        TillitSettings settings = TillitSettings.of(realm);
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.CUSTOM_REQUIRED_ACTION).user(user).client(client)
                .detail("custom_required_action", KycRequiredActionFactory.ID)
                .detail(TillitEvents.KYC_CASE, draft.getId()).detail(TillitEvents.KYC_DOCUMENT, kind);

        byte[] bytes;
        try {
            bytes = readAtMost(body, settings.kycMaxUploadBytes());
        } catch (IOException e) {
            return answer(Response.Status.BAD_REQUEST, user, ImageProblem.DAMAGED.messageKey(), ImageProblem.DAMAGED);
        }
        ImageChecks.Checked checked;
        try {
            if (bytes == null) {
                throw new ImageChecks.Refused(ImageProblem.TOO_LARGE_FILE, "over the limit while streaming");
            }
            if (!slots.tryAcquire()) {
                // Every check of this node is busy: at once, not queued (a queue would only hold sign-ins back longer).
                LOG.debugf("all %d picture checks busy: 503", slots.limit());
                return Response.fromResponse(answer(Response.Status.SERVICE_UNAVAILABLE, user, TillitMessages.KYC_BUSY, null))
                        .header("Retry-After", String.valueOf(PictureCheckSlots.RETRY_AFTER_SECONDS)).build();
            }
            try {
                checked = ImageChecks.check(bytes, new ImageChecks.Limits(settings.kycMaxUploadBytes(), settings.kycMaxPixels(),
                        // Faces are soft and cameras smooth them: sharpness is judged on the ID only.
                        settings.kycMinPictureSide(), kind.startsWith(DocumentKind.SELFIE.id()) ? 0 : settings.kycMinSharpness(),
                        STORED_LONG_SIDE), slots.decodeTime());
            } finally {
                slots.release();
            }
        } catch (ImageChecks.Refused refused) {
            event.clone().event(EventType.CUSTOM_REQUIRED_ACTION_ERROR)
                    .detail(TillitEvents.DETAIL, TillitEvents.KYC_DOCUMENT_REFUSED)
                    .error(refused.problem().name().toLowerCase(Locale.ROOT));
            int status = refused.problem() == ImageProblem.TOO_LARGE_FILE ? 413 : 422;
            return answer(status, user, refused.problem().messageKey(), refused.problem());
        }

        KycDocumentEntity document = new KycDocumentEntity();
        document.setId(KeycloakModelUtils.generateId());
        document.setCaseId(draft.getId());
        document.setKind(kind);
        document.setContentType("image/jpeg");
        document.setSize(checked.jpeg().length);
        document.setSha256(checked.sha256());
        document.setCreatedAt(System.currentTimeMillis());
        try {
            DocumentVault.Sealed sealed = new DocumentVault(session).seal(settings.kycKeyReference(), checked.jpeg(),
                    DocumentVault.Field.picture(realm, draft.getId(), kind));
            document.setContent(sealed.bytes());
            document.setKeyId(sealed.keyId());
        } catch (DocumentVault.KeyUnavailableException e) {
            LOG.error(e.getMessage());
            return answer(Response.Status.SERVICE_UNAVAILABLE, user, TillitMessages.KYC_UNAVAILABLE, null);
        }
        store.putDocument(draft, document);
        event.clone().detail(TillitEvents.DETAIL, TillitEvents.KYC_DOCUMENT_STORED).success();
        return Response.ok(Map.of("stored", kind)).build();
    }

    /** What the computer's page polls while a phone adds the pictures: the step now due. */
    @GET
    @Path("progress")
    @Produces(MediaType.APPLICATION_JSON)
    public Response progress(@QueryParam("tab_id") String tabId) {
        RealmModel realm = session.getContext().getRealm();
        AuthenticationSessionModel auth = authSession(realm, tabId);
        UserModel user = auth == null ? null : auth.getAuthenticatedUser();
        if (user == null) {
            return Response.status(Response.Status.FORBIDDEN).entity(Map.of("due", "")).build();
        }
        return Response.ok(Map.of("due", dueStep(realm, user).id())).header("Cache-Control", "no-store").build();
    }

    /** A phone opens the hand-over link: the first one gets a cookie for this draft; any later one is told it was used. */
    @GET
    @Path("phone/{link}")
    @Produces(MediaType.TEXT_HTML)
    public Response openLink(@PathParam("link") String link, @QueryParam("kc_locale") String locale) {
        RealmModel realm = session.getContext().getRealm();
        Object opened = new KycHandoff(session).open(realm, link);
        jakarta.ws.rs.core.UriBuilder page = session.getContext().getUri().getBaseUriBuilder().path("realms").path(realm.getName())
                .path(KycUploadResourceFactory.ID).path("phone");
        boolean secure = "https".equalsIgnoreCase(session.getContext().getUri().getBaseUri().getScheme());
        String realmPath = session.getContext().getUri().getBaseUriBuilder().path("realms").path(realm.getName()).path("/")
                .build().getRawPath();
        Response.ResponseBuilder answer = Response.seeOther(page.build());
        // The phone speaks the computer's language: Keycloak's own locale cookie, which its pages read.
        if (locale != null && locale.matches("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?")) {
            answer.cookie(new NewCookie.Builder("KEYCLOAK_LOCALE").value(locale).path(realmPath).httpOnly(true).secure(secure)
                    .sameSite(NewCookie.SameSite.LAX).build());
        }
        if (opened instanceof KycHandoff.Refusal refusal) {
            // Straight to the page without the secret; it tells why the link did not open.
            return answer.location(page.queryParam("refused", refusal == KycHandoff.Refusal.USED ? "used" : "expired").build()).build();
        }
        Object[] granted = (Object[]) opened;
        String path = session.getContext().getUri().getBaseUriBuilder().path("realms").path(realm.getName())
                .path(KycUploadResourceFactory.ID).build().getRawPath();
        NewCookie cookie = new NewCookie.Builder(KycHandoff.COOKIE).value((String) granted[0]).path(path)
                // Lax, not Strict: a link opened from another app is a cross-site navigation, and the redirect
                // after it must carry the cookie. Uploads need the page's token as well, so Lax opens no CSRF.
                .maxAge(KycHandoff.PHONE_SECONDS).httpOnly(true).secure(secure).sameSite(NewCookie.SameSite.LAX).build();
        KycHandoff.Grant grant = (KycHandoff.Grant) granted[1];
        UserModel user = session.users().getUserById(realm, grant.userId());
        new EventBuilder(realm, session, session.getContext().getConnection()).event(EventType.CUSTOM_REQUIRED_ACTION)
                .user(user).detail("custom_required_action", KycRequiredActionFactory.ID)
                .detail(TillitEvents.KYC_CASE, grant.caseId()).detail(TillitEvents.DETAIL, TillitEvents.KYC_PHONE_LINK_OPENED).success();
        // Straight to the page, so the secret leaves the address bar and the history at once.
        return answer.cookie(cookie).build();
    }

    /** The phone's page: the picture now due, or "done, go back to your computer". */
    @GET
    @Path("phone")
    @Produces(MediaType.TEXT_HTML)
    public Response phone(@CookieParam(KycHandoff.COOKIE) String cookie, @QueryParam("refused") String refused) {
        RealmModel realm = session.getContext().getRealm();
        KycHandoff.Grant grant = new KycHandoff(session).phone(realm, cookie);
        KycCaseEntity draft = grant == null ? null : draftOf(realm, grant);
        if (draft == null) {
            return phonePage(null, "used".equals(refused) ? "used" : "expired", null, Response.Status.GONE);
        }
        UserModel user = session.users().getUserById(realm, grant.userId());
        KycStep due = dueStep(realm, user);
        if (due.upload() == null) {
            return phonePage(user, "done", null, Response.Status.OK);
        }
        Map<String, String> upload = new java.util.LinkedHashMap<>();
        upload.put("url", session.getContext().getUri().getBaseUriBuilder().path("realms").path(realm.getName())
                .path(KycUploadResourceFactory.ID).path("phone").path("upload").build().toString());
        upload.put("token", grant.uploadToken());
        upload.put("kind", due.upload().id());
        upload.put("maxBytes", String.valueOf(TillitSettings.of(realm).kycMaxUploadBytes()));
        upload.put("documentType", draft.getDocumentType());
        return phonePage(user, due.id(), upload, Response.Status.OK);
    }

    /** A picture from the phone: the one its page asked for, which the phone cannot choose. */
    @POST
    @Path("phone/upload")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response phoneUpload(@CookieParam(KycHandoff.COOKIE) String cookie, @QueryParam("frame") String frame,
                                @HeaderParam("X-Tillit-Upload-Token") String token, InputStream body) {
        RealmModel realm = session.getContext().getRealm();
        KycHandoff handoff = new KycHandoff(session);
        KycHandoff.Grant grant = handoff.phone(realm, cookie);
        KycCaseEntity draft = grant == null ? null : draftOf(realm, grant);
        if (draft == null || !KycHandoff.sameSecret(grant.uploadToken(), token) || !claim(realm, token)) {
            return answer(Response.Status.FORBIDDEN, null, TillitMessages.KYC_UPLOAD_EXPIRED, null);
        }
        UserModel user = session.users().getUserById(realm, grant.userId());
        KycStep due = dueStep(realm, user);
        if (due.upload() == null) {
            return answer(Response.Status.CONFLICT, user, TillitMessages.KYC_UPLOAD_EXPIRED, null);
        }
        String frameKind = frameKind(due.upload().id(), frame);
        KycHandoff.Renewed next = handoff.renewToken(cookie, frameKind != null);
        if (next.frames() > MAX_SELFIE_FRAMES) {
            return withToken(answer(429, user, TillitMessages.KYC_TOO_MANY_FRAMES, null), next.token());
        }
        return withToken(storePicture(realm, user, null, draft, frameKind != null ? frameKind : due.upload().id(), body), next.token());
    }

    /** The kind a guided-selfie frame is stored as, or null when the upload is the step's own picture. */
    private static String frameKind(String stepKind, String frame) {
        if (frame == null || !DocumentKind.SELFIE.id().equals(stepKind)) {
            return null;
        }
        return DocumentKind.selfieFrame(frame).map(DocumentKind::id).orElse(null);
    }

    private KycCaseEntity draftOf(RealmModel realm, KycHandoff.Grant grant) {
        UserModel user = session.users().getUserById(realm, grant.userId());
        return user == null ? null : new KycStore(session).latest(realm, user)
                .filter(c -> c.getId().equals(grant.caseId()) && KycStore.DRAFT.equals(c.getStatus())).orElse(null);
    }

    private KycStep dueStep(RealmModel realm, UserModel user) {
        KycStore store = new KycStore(session);
        KycCaseEntity latest = store.latest(realm, user).filter(c -> KycStore.DRAFT.equals(c.getStatus())).orElse(null);
        return latest == null ? KycStep.OVERVIEW : KycStep.due(latest, store.documentKinds(latest), TillitSettings.of(realm));
    }

    private Response phonePage(UserModel user, String state, Map<String, String> upload, Response.Status status) {
        LoginFormsProvider forms = session.getProvider(LoginFormsProvider.class);
        if (user != null) {
            forms.setUser(user);
        }
        Map<String, Object> kyc = new java.util.LinkedHashMap<>();
        kyc.put("state", state);
        if (upload != null) {
            kyc.put("upload", upload);
        }
        Response page = forms.setAttribute("kyc", kyc).createForm("tillit-kyc-phone.ftl");
        return Response.status(status).entity(page.getEntity()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").build();
    }

    /** The whole body, or null as soon as it is longer than {@code limit}: nothing beyond is read. */
    static byte[] readAtMost(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 * 1024);
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) != -1; ) {
            total += n;
            if (total > limit) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private AuthenticationSessionModel authSession(RealmModel realm, String tabId) {
        if (tabId == null) {
            return null;
        }
        RootAuthenticationSessionModel root = new AuthenticationSessionManager(session).getCurrentRootAuthenticationSession(realm);
        return root == null ? null : root.getAuthenticationSessions().get(tabId);
    }

    private Response answer(Response.Status status, UserModel user, String messageKey, ImageProblem problem) {
        return answer(status.getStatusCode(), user, messageKey, problem);
    }

    private Response answer(int status, UserModel user, String messageKey, ImageProblem problem) {
        return Response.status(status).entity(Map.of("error", message(user, messageKey),
                "problem", problem == null ? "" : problem.name())).type(MediaType.APPLICATION_JSON).build();
    }

    private String message(UserModel user, String key) {
        try {
            Locale locale = session.getContext().resolveLocale(user);
            Properties messages = session.theme().getTheme(Theme.Type.LOGIN).getEnhancedMessages(session.getContext().getRealm(), locale);
            String pattern = messages.getProperty(key, key);
            return new MessageFormat(pattern, locale).format(new Object[0]);
        } catch (IOException e) {
            return key;
        }
    }

    @Override
    public void close() {
    }
}
