<#-- Shared pieces of the identity verification screens (required action tillit-kyc). -->
<#import "buttons.ftl" as buttons>

<#-- "Step 2 of 5" above each form. -->
<#macro progress>
    <#if kycStepNumber?? && kycStep != "overview" && kycStep != "submitted">
        <p id="tillit-kyc-progress" class="tillit-kyc-progress">${msg("tillitKycProgress", kycStepNumber, kycStepCount)}</p>
    </#if>
</#macro>

<#-- The step the form was rendered for: a post from a stale tab only shows the current step again. -->
<#macro stepField>
    <input type="hidden" name="step" value="${kycStep}"/>
</#macro>

<#-- Continue, then Back (a submit, so the server moves the case back). -->
<#macro actions continueLabel="tillitKycContinue" back=true>
    <@buttons.actionGroup>
        <@buttons.button id="tillit-kyc-continue" name="action" value="continue" label=continueLabel />
    </@buttons.actionGroup>
    <#if back>
        <@buttons.actionGroup>
            <@buttons.button id="tillit-kyc-back" name="action" value="back" label="tillitKycBack" type="secondary" formnovalidate="formnovalidate"/>
        </@buttons.actionGroup>
    </#if>
</#macro>

<#macro fieldError name>
    <#if messagesPerField.existsError(name)>${properties.kcError}</#if>
</#macro>
