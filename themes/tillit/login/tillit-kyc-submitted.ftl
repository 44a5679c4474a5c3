<#import "template.ftl" as layout>
<#import "buttons.ftl" as buttons>
<#import "tillit-kyc-macros.ftl" as kyc>
<#-- Submitted: under review; the user may leave and come back (this screen again until a decision). -->
<@layout.registrationLayout; section>
    <#if section = "header">
        ${msg("tillitKycSubmittedTitle")}
    <#elseif section = "form">
        <p id="tillit-kyc-lead" class="tillit-lead">${msg("tillitKycSubmittedLead")}</p>
        <p class="tillit-help">${msg("tillitKycSubmittedHelp")}</p>
        <form id="tillit-kyc-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <@kyc.stepField/>
            <@buttons.actionGroup>
                <@buttons.button id="tillit-kyc-done" name="action" value="done" label="tillitKycDone" />
            </@buttons.actionGroup>
        </form>
    </#if>
</@layout.registrationLayout>
