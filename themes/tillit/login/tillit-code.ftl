<#import "template.ftl" as layout>
<#import "field.ftl" as field>
<#import "buttons.ftl" as buttons>
<#-- Enter a one-time code (SMS or email), with a resend button that counts down its cooldown and
     "didn't get the code?" help (a native details element: keyboard and screen readers need no script). -->
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('code'); section>
    <#if section = "header">
        ${msg("tillitCodeTitle")}
    <#elseif section = "form">
        <p id="tillit-code-recipient" class="tillit-lead">
            ${msg(codeLead!((codeChannel == "sms")?then("tillitCodeSentSms", "tillitCodeSentEmail")), codeRecipient)}
        </p>
        <form id="tillit-code-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate">
            <@field.group name="code" label=msg("tillitCodeLabel") error=kcSanitize(messagesPerField.get('code'))?no_esc required=true>
                <span class="${properties.kcInputClass} <#if messagesPerField.existsError('code')>${properties.kcError}</#if>">
                    <input id="code" name="code" type="text" inputmode="numeric" pattern="[0-9]*" maxlength="7"
                           autocomplete="one-time-code" autofocus class="tillit-code-input"
                           aria-invalid="<#if messagesPerField.existsError('code')>true</#if>"/>
                </span>
            </@field.group>
            <@buttons.actionGroup>
                <@buttons.button id="tillit-code-submit" name="verify" label="tillitCodeSubmit" />
            </@buttons.actionGroup>
        </form>
        <form id="tillit-resend-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate">
            <input type="hidden" name="resend" value="true"/>
            <button id="tillit-resend" type="submit" class="${properties.kcButtonSecondaryClass} ${properties.kcButtonBlockClass}"
                    data-wait="${resendIn?c}" data-template="${msg('tillitResendIn', '{0}')}" data-label="${msg('tillitResend')}"
                    <#if (resendIn > 0)>disabled</#if>>
                <#if (resendIn > 0)>${msg("tillitResendIn", resendIn)}<#else>${msg("tillitResend")}</#if>
            </button>
        </form>
        <details id="tillit-code-help" class="tillit-code-help">
            <summary>${msg("tillitCodeHelpTitle")}</summary>
            <ul>
                <li>${msg("tillitCodeHelpWait")}</li>
                <li><#if codeChannel == "sms">${msg("tillitCodeHelpSms")}<#else>${msg("tillitCodeHelpEmail")}</#if></li>
                <li>${msg("tillitCodeHelpSame")}</li>
                <#if codeSupportEmail??>
                <li id="tillit-code-support">${kcSanitize(msg("tillitCodeHelpSupport", codeSupportEmail))?no_esc}</li>
                </#if>
            </ul>
        </details>
        <#if codeRestart!true>
        <form id="tillit-restart-form" action="${url.loginAction}" method="post" novalidate="novalidate" class="tillit-restart">
            <input type="hidden" name="restart" value="true"/>
            <button id="tillit-restart" type="submit" class="${properties.kcButtonLinkClass}">${msg(codeRestartKey!"tillitCodeStartOver")}</button>
        </form>
        </#if>
        <script>
            // Counts the resend cooldown down on the page; the server enforces it regardless.
            (function () {
                var button = document.getElementById("tillit-resend");
                var left = parseInt(button.dataset.wait, 10);
                if (!(left > 0)) { return; }
                var timer = setInterval(function () {
                    left -= 1;
                    if (left <= 0) {
                        clearInterval(timer);
                        button.disabled = false;
                        button.textContent = button.dataset.label;
                    } else {
                        button.textContent = button.dataset.template.replace("{0}", left);
                    }
                }, 1000);
            })();
        </script>
    </#if>
</@layout.registrationLayout>
