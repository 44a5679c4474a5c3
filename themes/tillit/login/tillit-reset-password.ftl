<#import "template.ftl" as layout>
<#import "field.ftl" as field>
<#import "buttons.ftl" as buttons>
<#import "tillit-password-rules.ftl" as rules>
<#-- New password after a verified reset; the rules tick off as the user types. -->
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('password-new','password-confirm'); section>
    <#if section = "header">
        ${msg("tillitResetNewPasswordTitle")}
    <#elseif section = "form">
        <p class="tillit-lead">${msg("tillitResetNewPasswordLead")}</p>
        <form id="tillit-new-password-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate">
            <@field.password name="password-new" required=true label=msg("passwordNew") autocomplete="new-password" autofocus=true />
            <@rules.checklist field="password-new"/>
            <@field.password name="password-confirm" required=true label=msg("passwordConfirm") autocomplete="new-password" />
            <@buttons.actionGroup>
                <@buttons.button id="tillit-new-password-submit" name="save" label="tillitResetSavePassword" />
            </@buttons.actionGroup>
        </form>
    </#if>
</@layout.registrationLayout>
