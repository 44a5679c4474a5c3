<#-- The bot check on the sign-in page (included by template.ftl after login.ftl's form): its fields join
     the form "kc-form-login" through the form attribute, so Keycloak's login.ftl stays as it is. The
     proof-of-work is solved by a Web Worker while the person types; a vendor widget sits under the form.
     Sending the form waits for the answer. Without an answer the server shows the separate bot-check
     page before it judges any password. -->
<#assign pow = signInBotCheck.provider == "pow">
<div id="tillit-sign-in-bot-check" class="tillit-sign-in-bot-check"
     data-provider="${signInBotCheck.provider}"
     data-form="kc-form-login"
     data-done="${msg('tillitSignInBotCheckDone')}"
     data-waiting="${msg('tillitSignInBotCheckWaiting')}"
     data-failed="${msg('tillitBotCheckLoadFailed')}"
     <#if pow>
     data-nonce="${signInBotCheck.nonce}" data-bits="${signInBotCheck.bits?c}"
     data-worker="${url.resourcesPath}/js/tillit-bot-check-worker.js"
     <#else>
     data-site-key="${signInBotCheck.siteKey}" data-script="${signInBotCheck.script}" data-action="${signInBotCheck.action}"
     </#if>>
    <#if pow>
        <input type="hidden" name="${signInBotCheck.challengeField}" value="${signInBotCheck.challenge}" form="kc-form-login"/>
        <input type="hidden" id="tillit-sign-in-solution" name="${signInBotCheck.solutionField}" value="" form="kc-form-login"/>
    <#else>
        <div id="tillit-sign-in-widget" class="tillit-widget"></div>
        <input type="hidden" id="tillit-sign-in-widget-response" name="${signInBotCheck.responseField}" value="" form="kc-form-login"/>
    </#if>
    <p id="tillit-sign-in-bot-check-status" class="tillit-sign-in-bot-check-status" role="status" aria-live="polite" hidden>${msg("tillitSignInBotCheckWorking")}</p>
</div>
<script src="${url.resourcesPath}/js/tillit-sign-in-bot-check.js" defer></script>
