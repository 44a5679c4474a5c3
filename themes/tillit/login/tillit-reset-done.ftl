<#import "template.ftl" as layout>
<#import "buttons.ftl" as buttons>
<#-- The password is reset: everyone is signed out, withdrawals are locked; back to sign in. -->
<@layout.registrationLayout displayMessage=false; section>
    <#if section = "header">
        ${msg("tillitResetDoneTitle")}
    <#elseif section = "form">
        <p id="tillit-reset-done" class="tillit-lead">${msg("tillitResetDoneText")}</p>
        <div class="${properties.kcAlertClass!} pf-m-warning" id="tillit-withdrawal-lock">
            <div class="${properties.kcAlertIconClass!}"><span class="${properties.kcFeedbackWarningIcon!}"></span></div>
            <span class="${properties.kcAlertTitleClass!}">${msg("tillitResetDoneLock", lockedUntil)}</span>
        </div>
        <@buttons.actionGroup>
            <@buttons.buttonLink id="tillit-back-to-sign-in" href=url.loginRestartFlowUrl label="backToLogin" class=["kcButtonPrimaryClass", "kcButtonBlockClass"]/>
        </@buttons.actionGroup>
    </#if>
</@layout.registrationLayout>
