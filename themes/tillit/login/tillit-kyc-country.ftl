<#import "template.ftl" as layout>
<#import "field.ftl" as field>
<#import "tillit-kyc-macros.ftl" as kyc>
<#-- Country of residence; where only some regions are served (Canada, Ukraine by default) the region too. -->
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('country','region'); section>
    <#if section = "header">
        ${msg("tillitKycCountryTitle")}
    <#elseif section = "form">
        <@kyc.progress/>
        <p id="tillit-kyc-lead" class="tillit-lead">${msg("tillitKycCountryLead")}</p>
        <form id="tillit-kyc-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate">
            <@kyc.stepField/>
            <@field.group name="country" label=msg("tillitKycCountryLabel") error=kcSanitize(messagesPerField.get('country'))?no_esc required=true>
                <span class="${properties.kcInputClass} <@kyc.fieldError 'country'/>">
                    <select id="country" name="country" autocomplete="country" aria-invalid="<#if messagesPerField.existsError('country')>true</#if>">
                        <option value="">${msg("tillitKycChoose")}</option>
                        <#list kycCountries as c>
                            <option value="${c.code}" <#if (kycCountry!'') == c.code>selected</#if>>${c.name}</option>
                        </#list>
                    </select>
                </span>
            </@field.group>
            <#if kycRegions??>
                <@field.group name="region" label=msg("tillitKycRegionLabel", kycCountryName) error=kcSanitize(messagesPerField.get('region'))?no_esc required=true>
                    <span class="${properties.kcInputClass} <@kyc.fieldError 'region'/>">
                        <select id="region" name="region" aria-invalid="<#if messagesPerField.existsError('region')>true</#if>">
                            <option value="">${msg("tillitKycChoose")}</option>
                            <#list kycRegions as r>
                                <option value="${r.code}" <#if (kycRegion!'') == r.code>selected</#if>>${r.name}</option>
                            </#list>
                        </select>
                    </span>
                </@field.group>
            </#if>
            <p class="tillit-help">${msg("tillitKycCountryHelp")}</p>
            <@kyc.actions back=false/>
        </form>
    </#if>
</@layout.registrationLayout>
