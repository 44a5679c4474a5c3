<#import "template.ftl" as layout>
<#import "field.ftl" as field>
<#import "tillit-kyc-macros.ftl" as kyc>
<#-- ID type and issuing country; which types a country issues is a realm setting. -->
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('documentType','issuingCountry'); section>
    <#if section = "header">
        ${msg("tillitKycDocumentTitle")}
    <#elseif section = "form">
        <@kyc.progress/>
        <p id="tillit-kyc-lead" class="tillit-lead">${msg("tillitKycDocumentLead")}</p>
        <form id="tillit-kyc-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate"
              data-types="${kycDocumentTypesByCountry}">
            <@kyc.stepField/>
            <@field.group name="issuingCountry" label=msg("tillitKycIssuingCountryLabel") error=kcSanitize(messagesPerField.get('issuingCountry'))?no_esc required=true>
                <span class="${properties.kcInputClass} <@kyc.fieldError 'issuingCountry'/>">
                    <select id="issuingCountry" name="issuingCountry" aria-invalid="<#if messagesPerField.existsError('issuingCountry')>true</#if>">
                        <#list kycCountries as c>
                            <option value="${c.code}" <#if (kycIssuingCountry!'') == c.code>selected</#if>>${c.name}</option>
                        </#list>
                    </select>
                </span>
            </@field.group>
            <fieldset id="documentType" class="${properties.kcFormGroupClass} tillit-kyc-types"<#if messagesPerField.existsError('documentType')> aria-describedby="input-error-documentType"</#if>>
                <legend class="${properties.kcFormLabelClass}">${msg("tillitKycDocumentTypeLabel")}</legend>
                <#list {"passport": msg("tillitKycTypePassport"), "id_card": msg("tillitKycTypeIdCard"), "driving_licence": msg("tillitKycTypeDrivingLicence"), "residence_permit": msg("tillitKycTypeResidencePermit")} as type, typeLabel>
                    <div class="pf-v5-c-radio">
                        <input class="pf-v5-c-radio__input" type="radio" id="documentType-${type}" name="documentType" value="${type}"
                               <#if (kycDocumentType!'') == type>checked</#if> <#if !kycDocumentTypes?seq_contains(type)>disabled</#if>/>
                        <label class="pf-v5-c-radio__label" for="documentType-${type}">${typeLabel}</label>
                    </div>
                </#list>
                <#if messagesPerField.existsError('documentType')>
                    <div class="${properties.kcFormHelperTextClass}" aria-live="polite">
                        <div class="${properties.kcInputHelperTextClass}">
                            <div class="${properties.kcInputHelperTextItemClass} ${properties.kcError}" id="input-error-documentType">
                                <span class="${properties.kcInputErrorMessageClass}">${kcSanitize(messagesPerField.get('documentType'))?no_esc}</span>
                            </div>
                        </div>
                    </div>
                </#if>
            </fieldset>
            <@kyc.actions/>
        </form>
        <script src="${url.resourcesPath}/js/tillit-kyc.js" defer></script>
    </#if>
</@layout.registrationLayout>
