<#import "template.ftl" as layout>
<#import "field.ftl" as field>
<#import "tillit-kyc-macros.ftl" as kyc>
<#-- Personal details exactly as on the ID; sealed before they are stored. -->
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('fullName','birthDate','street'); section>
    <#if section = "header">
        ${msg("tillitKycDetailsTitle")}
    <#elseif section = "form">
        <@kyc.progress/>
        <p id="tillit-kyc-lead" class="tillit-lead">${msg("tillitKycDetailsLead")}</p>
        <form id="tillit-kyc-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate">
            <@kyc.stepField/>
            <@field.group name="fullName" label=msg("tillitKycFullName") error=kcSanitize(messagesPerField.get('fullName'))?no_esc required=true>
                <span class="${properties.kcInputClass} <@kyc.fieldError 'fullName'/>">
                    <input id="fullName" name="fullName" type="text" autocomplete="name" maxlength="200"
                           value="${(kycForm.fullName)!''}" aria-invalid="<#if messagesPerField.existsError('fullName')>true</#if>"/>
                </span>
            </@field.group>
            <@field.group name="birthDate" label=msg("tillitKycBirthDate") error=kcSanitize(messagesPerField.get('birthDate'))?no_esc required=true>
                <span class="${properties.kcInputClass} <@kyc.fieldError 'birthDate'/>">
                    <input id="birthDate" name="birthDate" type="date" autocomplete="bday" min="1900-01-01"
                           value="${(kycForm.birthDate)!''}" aria-invalid="<#if messagesPerField.existsError('birthDate')>true</#if>"/>
                </span>
            </@field.group>
            <@field.group name="street" label=msg("tillitKycStreet") error=kcSanitize(messagesPerField.get('street'))?no_esc required=true>
                <span class="${properties.kcInputClass} <@kyc.fieldError 'street'/>">
                    <input id="street" name="street" type="text" autocomplete="street-address" maxlength="200"
                           value="${(kycForm.street)!''}" aria-invalid="<#if messagesPerField.existsError('street')>true</#if>"/>
                </span>
            </@field.group>
            <@field.group name="postalCode" label=msg("tillitKycPostalCode") required=true>
                <span class="${properties.kcInputClass}">
                    <input id="postalCode" name="postalCode" type="text" autocomplete="postal-code" maxlength="20" value="${(kycForm.postalCode)!''}"/>
                </span>
            </@field.group>
            <@field.group name="city" label=msg("tillitKycCity") required=true>
                <span class="${properties.kcInputClass}">
                    <input id="city" name="city" type="text" autocomplete="address-level2" maxlength="100" value="${(kycForm.city)!''}"/>
                </span>
            </@field.group>
            <@kyc.actions/>
        </form>
    </#if>
</@layout.registrationLayout>
