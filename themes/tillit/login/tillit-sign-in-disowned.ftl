<#import "template.ftl" as layout>
<#import "buttons.ftl" as buttons>
<#-- "This was not me" from a new-device alert or the notice of a linked sign-in method: first a confirmation (mail scanners only open links), then the outcome. -->
<@layout.registrationLayout displayMessage=false; section>
    <#if section = "header">
        <#if disownState == "done">${msg("tillitDisownDoneTitle")}<#else>${msg("tillitDisownTitle")}</#if>
    <#elseif section = "form">
        <#if disownState == "done">
            <div class="${properties.kcAlertClass!} pf-m-warning" id="tillit-disown-done">
                <div class="${properties.kcAlertIconClass!}"><span class="${properties.kcFeedbackWarningIcon!}"></span></div>
                <span class="${properties.kcAlertTitleClass!}">${msg("tillitDisownDoneText", lockedUntil)}</span>
            </div>
            <#if removedProviders?has_content>
                <p id="tillit-disown-removed" class="tillit-lead">${msg("tillitDisownRemoved", removedProviders)}</p>
            </#if>
            <p id="tillit-disown-next" class="tillit-lead">${msg("tillitDisownDoneNext")}</p>
        <#else>
            <p id="tillit-disown-lead" class="tillit-lead"><#if (disownWhat!"") == "identity_linked">${msg("tillitDisownLinkedConfirmText")}<#else>${msg("tillitDisownConfirmText")}</#if></p>
            <@buttons.actionGroup>
                <@buttons.buttonLink id="tillit-disown-confirm" href=confirmUrl label="tillitDisownConfirmButton" class=["kcButtonPrimaryClass", "kcButtonBlockClass"]/>
            </@buttons.actionGroup>
        </#if>
    </#if>
</@layout.registrationLayout>
