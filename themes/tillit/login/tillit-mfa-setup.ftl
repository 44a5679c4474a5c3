<#import "template.ftl" as layout>
<#import "field.ftl" as field>
<#import "buttons.ftl" as buttons>
<#-- Set up a second factor (SMS or email): the number or address to prove with a code. -->
<#assign prefix = (factor == "sms")?then("tillitSmsOtp", "tillitEmailOtp")>
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('identifier'); section>
    <#if section = "header">
        ${msg(prefix + "SetupTitle")}
    <#elseif section = "form">
        <p id="tillit-mfa-setup-lead" class="tillit-lead">${msg(prefix + "SetupLead")}</p>
        <form id="tillit-mfa-setup-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate">
            <@field.group name="identifier" label=msg((factor == "sms")?then("tillitPhoneNumber", "email")) error=kcSanitize(messagesPerField.get('identifier'))?no_esc required=true>
                <span class="${properties.kcInputClass} <#if messagesPerField.existsError('identifier')>${properties.kcError}</#if>">
                    <input id="identifier" name="identifier" value="${identifier!''}"
                           <#if factor == "sms">type="tel" inputmode="tel" autocomplete="tel"<#else>type="email" autocomplete="email"</#if>
                           autofocus maxlength="254" aria-invalid="<#if messagesPerField.existsError('identifier')>true</#if>"/>
                </span>
            </@field.group>
            <@buttons.actionGroup>
                <@buttons.button id="tillit-mfa-setup-submit" name="send" label="tillitMfaSetupSendCode" />
            </@buttons.actionGroup>
            <#if isAppInitiatedAction??>
                <@buttons.actionGroup>
                    <@buttons.button id="tillit-mfa-setup-cancel" name="cancel-aia" label="doCancel" type="secondary"/>
                </@buttons.actionGroup>
            </#if>
        </form>
    </#if>
</@layout.registrationLayout>
