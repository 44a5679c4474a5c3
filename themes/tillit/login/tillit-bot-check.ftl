<#import "template.ftl" as layout>
<#import "buttons.ftl" as buttons>
<#-- The bot check: Tillit's proof-of-work (solved by the browser in a Web Worker) or a third-party widget.
     Sends itself once done; without JavaScript it cannot be done, and says so. -->
<#assign pow = botCheck.provider == "pow">
<@layout.registrationLayout displayInfo=false; section>
    <#if section = "header">
        ${msg("tillitBotCheckTitle")}
    <#elseif section = "form">
        <p id="tillit-bot-check-lead" class="tillit-lead">${msg(pow?then("tillitBotCheckLeadPow", "tillitBotCheckLeadWidget"))}</p>
        <noscript>
            <p id="tillit-bot-check-noscript" class="tillit-bot-check-noscript">${msg("tillitBotCheckNoScript")}</p>
        </noscript>
        <div id="tillit-bot-check" class="tillit-bot-check" hidden
             data-provider="${botCheck.provider}"
             data-done="${msg('tillitBotCheckDone')}"
             data-failed="${msg('tillitBotCheckLoadFailed')}"
             <#if pow>
             data-nonce="${botCheck.nonce}" data-bits="${botCheck.bits?c}"
             data-worker="${url.resourcesPath}/js/tillit-bot-check-worker.js"
             <#else>
             data-site-key="${botCheck.siteKey}" data-script="${botCheck.script}" data-action="${botCheck.action}"
             </#if>>
            <#if pow>
                <label id="tillit-bot-check-progress-label" for="tillit-bot-check-progress" class="tillit-bot-check-label">${msg("tillitBotCheckProgressLabel")}</label>
                <progress id="tillit-bot-check-progress" class="tillit-bot-check-progress" max="100" value="0"></progress>
            <#else>
                <div id="tillit-widget" class="tillit-widget"></div>
            </#if>
            <p id="tillit-bot-check-status" class="tillit-bot-check-status" role="status" aria-live="polite">${msg("tillitBotCheckWorking")}</p>
        </div>
        <form id="tillit-bot-check-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate">
            <#if pow>
                <input type="hidden" name="${botCheck.challengeField}" value="${botCheck.challenge}"/>
                <input type="hidden" id="tillit-solution" name="${botCheck.solutionField}" value=""/>
            <#else>
                <input type="hidden" id="tillit-widget-response" name="${botCheck.responseField}" value=""/>
            </#if>
            <@buttons.actionGroup>
                <@buttons.button id="tillit-bot-check-submit" name="continue" label="tillitBotCheckContinue" disabled="disabled" />
            </@buttons.actionGroup>
        </form>
        <script src="${url.resourcesPath}/js/tillit-bot-check.js" defer></script>
    </#if>
</@layout.registrationLayout>
