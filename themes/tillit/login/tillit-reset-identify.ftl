<#import "template.ftl" as layout>
<#import "field.ftl" as field>
<#import "buttons.ftl" as buttons>
<#-- "Forgot your password?": email or phone. The next page reads the same whether or not an account exists. -->
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('identifier') displayInfo=true; section>
    <#if section = "header">
        ${msg("emailForgotTitle")}
    <#elseif section = "form">
        <form id="tillit-reset-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate">
            <@field.group name="identifier" label=msg("tillitIdentifierLabel") error=kcSanitize(messagesPerField.get('identifier'))?no_esc required=true>
                <span class="${properties.kcInputClass} <#if messagesPerField.existsError('identifier')>${properties.kcError}</#if>">
                    <input id="identifier" name="identifier" value="${identifier!''}" type="text" autocomplete="username"
                           autofocus maxlength="254" aria-invalid="<#if messagesPerField.existsError('identifier')>true</#if>"/>
                </span>
            </@field.group>
            <@buttons.actionGroup>
                <@buttons.button id="tillit-reset-submit" name="send" label="tillitResetSendCode" />
            </@buttons.actionGroup>
            <@buttons.actionGroup>
                <@buttons.buttonLink id="tillit-back-to-login" href=url.loginUrl label="backToLogin" />
            </@buttons.actionGroup>
        </form>
    <#elseif section = "info">
        ${msg("tillitResetInfo")}
    </#if>
</@layout.registrationLayout>
