package dev.tillit.keycloak.captcha;

import java.util.Locale;

/**
 * The bot checks a realm can choose (setting {@code botCheckProvider}). For the third-party widgets:
 * where their script comes from, the origins their frames load from (added to the page's
 * Content-Security-Policy {@code frame-src} for this page only), the form field the widget fills in
 * and the siteverify endpoint that judges it. Values as each vendor documents them.
 */
public enum BotCheckProvider {

    POW("pow", null, null, null, null),
    TURNSTILE("turnstile",
            "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit",
            "https://challenges.cloudflare.com",
            "cf-turnstile-response",
            "https://challenges.cloudflare.com/turnstile/v0/siteverify"),
    HCAPTCHA("hcaptcha",
            "https://js.hcaptcha.com/1/api.js?render=explicit",
            "https://hcaptcha.com https://*.hcaptcha.com",
            "h-captcha-response",
            "https://api.hcaptcha.com/siteverify"),
    RECAPTCHA("recaptcha",
            "https://www.google.com/recaptcha/api.js?render=",
            "https://www.google.com/recaptcha/ https://recaptcha.google.com/recaptcha/",
            "g-recaptcha-response",
            "https://www.google.com/recaptcha/api/siteverify");

    private final String id;
    private final String script;
    private final String frameOrigins;
    private final String responseField;
    private final String verifyUrl;

    BotCheckProvider(String id, String script, String frameOrigins, String responseField, String verifyUrl) {
        this.id = id;
        this.script = script;
        this.frameOrigins = frameOrigins;
        this.responseField = responseField;
        this.verifyUrl = verifyUrl;
    }

    public String id() {
        return id;
    }

    /** The widget's script; reCAPTCHA v3 takes the site key as {@code render=}. */
    public String script(String siteKey) {
        return this == RECAPTCHA ? script + java.net.URLEncoder.encode(siteKey, java.nio.charset.StandardCharsets.UTF_8) : script;
    }

    public String frameOrigins() {
        return frameOrigins;
    }

    /** The form field the widget puts its answer token in. */
    public String responseField() {
        return responseField;
    }

    public String verifyUrl() {
        return verifyUrl;
    }

    public boolean isWidget() {
        return this != POW;
    }

    /** By setting value; unknown values are the default, the proof-of-work. */
    public static BotCheckProvider of(String id) {
        for (BotCheckProvider provider : values()) {
            if (provider.id.equals(id == null ? "" : id.trim().toLowerCase(Locale.ROOT))) {
                return provider;
            }
        }
        return POW;
    }
}
