<#import "template.ftl" as layout>
<#import "buttons.ftl" as buttons>
<#import "tillit-kyc-macros.ftl" as kyc>
<#-- Identity verification, first screen: the levels and what each unlocks. -->
<@layout.registrationLayout; section>
    <#if section = "header">
        ${msg("tillitKycOverviewTitle")}
    <#elseif section = "form">
        <p id="tillit-kyc-lead" class="tillit-lead">${msg("tillitKycOverviewLead")}</p>
        <ul class="tillit-kyc-levels">
            <li id="tillit-kyc-level-1" class="tillit-kyc-level">
                <h2 class="tillit-kyc-level-title">${msg("tillitKycLevel1Title")}</h2>
                <p>${msg("tillitKycLevel1Text", kycLevel1Limit)}</p>
                <p class="tillit-help">${msg("tillitKycLevel1Needs")}</p>
            </li>
            <li id="tillit-kyc-level-2" class="tillit-kyc-level">
                <h2 class="tillit-kyc-level-title">${msg("tillitKycLevel2Title")}</h2>
                <p>${msg("tillitKycLevel2Text", kycLevel2Limit)}</p>
                <p class="tillit-help">${msg("tillitKycLevel2Contact")}</p>
            </li>
        </ul>
        <form id="tillit-kyc-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <@kyc.stepField/>
            <@buttons.actionGroup>
                <@buttons.button id="tillit-kyc-start" name="action" value="start" label="tillitKycStart" />
            </@buttons.actionGroup>
            <#if isAppInitiatedAction??>
                <@buttons.actionGroup>
                    <@buttons.button id="tillit-kyc-cancel" name="cancel-aia" value="true" label="tillitKycLater" type="secondary"/>
                </@buttons.actionGroup>
            </#if>
        </form>
    </#if>
</@layout.registrationLayout>
