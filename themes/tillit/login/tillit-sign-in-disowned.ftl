<#import "template.ftl" as layout>
<#import "buttons.ftl" as buttons>
<#-- "This was not me" from a new-device alert: first a confirmation (mail scanners only open links), then the outcome. -->
<@layout.registrationLayout displayMessage=false; section>
    <#if section = "header">
        <#if disownState == "done">${msg("tillitDisownDoneTitle")}<#else>${msg("tillitDisownTitle")}</#if>
    <#elseif section = "form">
        <#if disownState == "done">
            <div class="${properties.kcAlertClass!} pf-m-warning" id="tillit-disown-done">
                <div class="${properties.kcAlertIconClass!}"><span class="${properties.kcFeedbackWarningIcon!}"></span></div>
                <span class="${properties.kcAlertTitleClass!}">${msg("tillitDisownDoneText", lockedUntil)}</span>
            </div>
            <p id="tillit-disown-next" class="tillit-lead">${msg("tillitDisownDoneNext")}</p>
        <#else>
            <p id="tillit-disown-lead" class="tillit-lead">${msg("tillitDisownConfirmText")}</p>
            <@buttons.actionGroup>
                <@buttons.buttonLink id="tillit-disown-confirm" href=confirmUrl label="tillitDisownConfirmButton" class=["kcButtonPrimaryClass", "kcButtonBlockClass"]/>
            </@buttons.actionGroup>
        </#if>
    </#if>
</@layout.registrationLayout>
