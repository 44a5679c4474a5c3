<#import "template.ftl" as layout>
<#import "field.ftl" as field>
<#import "buttons.ftl" as buttons>
<#import "tillit-password-rules.ftl" as rules>
<#-- Sign-up by email or phone: identifier, password twice, consent to both legal documents. -->
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('identifier','password','password-confirm','acceptTerms','acceptPrivacy'); section>
    <#if section = "header">
        ${msg("tillitRegisterTitle")}
    <#elseif section = "form">
        <form id="tillit-register-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate">
            <@field.group name="identifier" label=msg("tillitIdentifierLabel") error=kcSanitize(messagesPerField.get('identifier'))?no_esc required=true>
                <span class="${properties.kcInputClass} <#if messagesPerField.existsError('identifier')>${properties.kcError}</#if>">
                    <input id="identifier" name="identifier" value="${identifier!''}" type="text" autocomplete="username"
                           autofocus maxlength="254" aria-describedby="identifier-help"
                           aria-invalid="<#if messagesPerField.existsError('identifier')>true</#if>"/>
                </span>
                <p id="identifier-help" class="tillit-help">${msg("tillitIdentifierHelp")}</p>
            </@field.group>

            <@field.password name="password" required=true label=msg("password") autocomplete="new-password" />
            <@rules.checklist field="password"/>
            <@field.password name="password-confirm" required=true label=msg("passwordConfirm") autocomplete="new-password" />

            <div class="tillit-consents">
                <@consent name="acceptTerms" url=termsUrl label="tillitAcceptTerms" checked=acceptTerms!false/>
                <@consent name="acceptPrivacy" url=privacyUrl label="tillitAcceptPrivacy" checked=acceptPrivacy!false/>
            </div>

            <@buttons.actionGroup>
                <@buttons.button id="tillit-register" name="register" label="tillitRegisterSubmit" />
            </@buttons.actionGroup>

            <div class="pf-v5-c-login__main-footer-band">
                <div class="pf-v5-c-login__main-footer-band-item">
                    ${msg("tillitHaveAccount")} <a id="tillit-back-to-login" href="${url.loginUrl}">${msg("doLogIn")}</a>
                </div>
            </div>
        </form>
    </#if>
</@layout.registrationLayout>

<#macro consent name url label checked>
    <div class="${properties.kcFormGroupClass}">
        <div class="${properties.kcCheckboxClass}">
            <input class="${properties.kcCheckboxInputClass}" type="checkbox" id="${name}" name="${name}" <#if checked>checked</#if>
                   aria-invalid="<#if messagesPerField.existsError(name)>true</#if>"/>
            <label for="${name}" class="${properties.kcCheckboxLabelClass}">
                ${kcSanitize(msg(label, url))?no_esc}
            </label>
        </div>
        <#if messagesPerField.existsError(name)>
            <div class="${properties.kcFormHelperTextClass}" aria-live="polite">
                <div class="${properties.kcInputHelperTextClass}">
                    <div class="${properties.kcInputHelperTextItemClass} ${properties.kcError}" id="input-error-${name}">
                        <span class="${properties.kcInputErrorMessageClass}">${kcSanitize(messagesPerField.get(name))?no_esc}</span>
                    </div>
                </div>
            </div>
        </#if>
    </div>
</#macro>
