<#-- The reviewers' page (/realms/<realm>/tillit-kyc-review/), rendered by KycReviewPage outside any login flow.
     The page holds no personal data: tillit-kyc-review.js signs the reviewer in (PKCE) and fills it from the
     review API. No inline script or style: the page's CSP allows neither. -->
<!DOCTYPE html>
<html lang="${lang}">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="color-scheme" content="light">
    <meta name="referrer" content="no-referrer">
    <title>${msg("tillitReviewerTitle")} · ${realm.displayName}</title>
    <#if properties.stylesCommon?has_content>
        <#list properties.stylesCommon?split(' ') as style>
            <link href="${url.resourcesCommonPath}/${style}" rel="stylesheet">
        </#list>
    </#if>
    <#if properties.styles?has_content>
        <#list properties.styles?split(' ') as style>
            <link href="${url.resourcesPath}/${style}" rel="stylesheet">
        </#list>
    </#if>
    <link href="${url.resourcesPath}/css/tillit-kyc-review.css" rel="stylesheet">
    <script type="application/json" id="tillit-review-config">${config?no_esc}</script>
    <script src="${url.resourcesPath}/js/tillit-kyc-review.js" defer></script>
</head>
<body class="tillit-review">
<header class="tillit-review-bar">
    <div class="tillit-review-brand">
        <img src="${url.resourcesPath}/img/logo.svg" alt="Tillit" width="135" height="33">
        <span class="tillit-review-product">${msg("tillitReviewerProduct")}</span>
    </div>
    <div class="tillit-review-bar-tools">
        <#if locale.supported?size gt 1>
            <nav class="tillit-review-languages" aria-label="${msg("tillitReviewerLanguage")}">
                <#list locale.supported?sort_by("label") as l>
                    <a href="${l.url}" lang="${l.languageTag}" id="tillit-review-lang-${l.languageTag}"
                       <#if l.languageTag = locale.currentLanguageTag>aria-current="true"</#if>>${l.label}</a>
                </#list>
            </nav>
        </#if>
        <span id="tillit-review-who" class="tillit-review-who" hidden></span>
        <button type="button" id="tillit-review-sign-out" class="tillit-review-link-button" hidden>${msg("tillitReviewerSignOut")}</button>
    </div>
</header>

<main class="tillit-review-main" id="tillit-review-main">
    <div id="tillit-review-alert" class="tillit-review-alert" role="alert" hidden></div>
    <div id="tillit-review-notice" class="tillit-review-notice" role="status" hidden></div>

    <section id="tillit-review-sign-in" class="tillit-review-card tillit-review-narrow" aria-labelledby="tillit-review-sign-in-title">
        <h1 id="tillit-review-sign-in-title">${msg("tillitReviewerTitle")}</h1>
        <#if ready>
            <p class="tillit-lead">${msg("tillitReviewerSignInLead")}</p>
            <button type="button" id="tillit-review-sign-in-button" class="pf-v5-c-button pf-m-primary pf-m-block" disabled>${msg("tillitReviewerSignIn")}</button>
            <noscript><p class="tillit-review-error-text">${msg("tillitReviewerNoScript")}</p></noscript>
        <#else>
            <p id="tillit-review-not-ready" class="tillit-review-error-text">${msg("tillitReviewerNotReady")}</p>
        </#if>
    </section>

    <section id="tillit-review-second-factor" class="tillit-review-card tillit-review-narrow" aria-labelledby="tillit-review-second-factor-title" hidden>
        <h2 id="tillit-review-second-factor-title">${msg("tillitReviewerSecondFactorTitle")}</h2>
        <p class="tillit-lead">${msg("tillitReviewerSecondFactorLead")}</p>
        <button type="button" id="tillit-review-set-up" class="pf-v5-c-button pf-m-primary pf-m-block">${msg("tillitReviewerSecondFactorSetUp")}</button>
    </section>

    <section id="tillit-review-queue" class="tillit-review-card" aria-labelledby="tillit-review-queue-title" hidden>
        <div class="tillit-review-heading">
            <h1 id="tillit-review-queue-title">${msg("tillitReviewerQueue")}</h1>
        </div>
        <form id="tillit-review-filters" class="tillit-review-filters" novalidate>
            <div class="tillit-review-field">
                <label for="tillit-review-status">${msg("tillitReviewerFilterStatus")}</label>
                <#-- PatternFly's select, as Keycloak's own template.ftl draws it (the arrow is an SVG, not a style). -->
                <span class="${properties.kcInputClass!}">
                    <select id="tillit-review-status" name="status">
                        <#list statuses as s>
                            <option value="${s}">${msg("tillitReviewerStatus." + s)}</option>
                        </#list>
                    </select>
                    <span class="${properties.kcFormControlUtilClass!}">
                        <span class="${properties.kcFormControlToggleIcon!}">
                            <svg class="pf-v5-svg" viewBox="0 0 320 512" fill="currentColor" aria-hidden="true" role="img" width="1em" height="1em">
                                <path d="M31.3 192h257.3c17.8 0 26.7 21.5 14.1 34.1L174.1 354.8c-7.8 7.8-20.5 7.8-28.3 0L17.2 226.1C4.6 213.5 13.5 192 31.3 192z"></path>
                            </svg>
                        </span>
                    </span>
                </span>
            </div>
            <div class="tillit-review-field">
                <label for="tillit-review-country">${msg("tillitReviewerFilterCountry")}</label>
                <span class="pf-v5-c-form-control">
                    <input id="tillit-review-country" name="country" type="text" maxlength="2" autocomplete="off"
                           autocapitalize="characters" spellcheck="false" aria-describedby="tillit-review-country-help">
                </span>
                <span id="tillit-review-country-help" class="tillit-help">${msg("tillitReviewerFilterCountryHelp")}</span>
            </div>
            <div class="tillit-review-field tillit-review-field-button">
                <button type="submit" id="tillit-review-filter-apply" class="pf-v5-c-button pf-m-secondary">${msg("tillitReviewerFilterApply")}</button>
            </div>
        </form>
        <p id="tillit-review-queue-state" class="tillit-review-muted" role="status"></p>
        <ul id="tillit-review-cases" class="tillit-review-cases"></ul>
    </section>

    <section id="tillit-review-case" class="tillit-review-case" aria-labelledby="tillit-review-case-title" hidden>
        <button type="button" id="tillit-review-back" class="tillit-review-link-button tillit-review-back">${msg("tillitReviewerBack")}</button>
        <div class="tillit-review-case-head">
            <h1 id="tillit-review-case-title"></h1>
            <span id="tillit-review-case-status" class="tillit-review-badge"></span>
        </div>
        <div class="tillit-review-case-grid">
            <section class="tillit-review-card" aria-labelledby="tillit-review-details-title">
                <h2 id="tillit-review-details-title">${msg("tillitReviewerDetails")}</h2>
                <dl id="tillit-review-details" class="tillit-review-details"></dl>
            </section>
            <section class="tillit-review-card tillit-review-pictures-card" aria-labelledby="tillit-review-pictures-title">
                <h2 id="tillit-review-pictures-title">${msg("tillitReviewerPictures")}</h2>
                <div id="tillit-review-pictures" class="tillit-review-pictures"></div>
            </section>
        </div>

        <section id="tillit-review-decision" class="tillit-review-card" aria-labelledby="tillit-review-decision-title" hidden>
            <h2 id="tillit-review-decision-title">${msg("tillitReviewerDecision")}</h2>
            <form id="tillit-review-decide" novalidate>
                <fieldset class="tillit-review-choice-row">
                    <legend class="tillit-review-sr-only">${msg("tillitReviewerDecision")}</legend>
                    <label class="tillit-review-choice"><input type="radio" name="outcome" value="approve" id="tillit-review-outcome-approve" checked> ${msg("tillitReviewerDecisionApprove")}</label>
                    <label class="tillit-review-choice"><input type="radio" name="outcome" value="reject" id="tillit-review-outcome-reject"> ${msg("tillitReviewerDecisionReject")}</label>
                    <label class="tillit-review-choice"><input type="radio" name="outcome" value="resubmission" id="tillit-review-outcome-resubmission"> ${msg("tillitReviewerDecisionResubmit")}</label>
                </fieldset>

                <fieldset id="tillit-review-level-group" class="tillit-review-group">
                    <legend>${msg("tillitReviewerLevel")}</legend>
                    <#list [1, 2] as level>
                        <label class="tillit-review-check"><input type="radio" name="level" value="${level}" id="tillit-review-level-${level}"<#if level = 1> checked</#if>> ${msg("tillitReviewerLevel." + level)}</label>
                    </#list>
                </fieldset>

                <fieldset id="tillit-review-documents-group" class="tillit-review-group" hidden>
                    <legend>${msg("tillitReviewerResubmitWhich")}</legend>
                    <#list documents as kind>
                        <label class="tillit-review-check"><input type="checkbox" name="documents" value="${kind}" id="tillit-review-document-${kind}"> ${msg("tillitReviewerPicture." + kind)}</label>
                    </#list>
                </fieldset>

                <fieldset id="tillit-review-reasons-group" class="tillit-review-group tillit-review-reasons" hidden>
                    <legend>${msg("tillitReviewerReasons")}</legend>
                    <#list reasons as reason>
                        <label class="tillit-review-check"><input type="checkbox" name="reasons" value="${reason}" id="tillit-review-reason-${reason}"> ${msg("tillitReviewerReason." + reason)}</label>
                    </#list>
                </fieldset>

                <p id="tillit-review-decide-error" class="tillit-review-error-text" role="alert" hidden></p>
                <button type="submit" id="tillit-review-decide-button" class="pf-v5-c-button pf-m-primary">${msg("tillitReviewerConfirm.approve")}</button>
            </form>
        </section>
    </section>
</main>
</body>
</html>
