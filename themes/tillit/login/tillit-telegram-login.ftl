<#import "template.ftl" as layout>
<#import "buttons.ftl" as buttons>
<#-- Telegram Login Widget. Telegram sends the browser back to telegramAuthUrl with the signed fields. -->
<@layout.registrationLayout displayMessage=false; section>
    <#if section = "header">
        ${msg("tillitTelegramTitle")}
    <#elseif section = "form">
        <p id="tillit-telegram-lead" class="tillit-lead">${msg("tillitTelegramLead")}</p>
        <div id="tillit-telegram-widget" class="tillit-telegram-widget">
            <script async src="${telegramWidgetScript}" data-telegram-login="${telegramBot}" data-size="large"
                    data-radius="6" data-auth-url="${telegramAuthUrl}" data-lang="${(locale.currentLanguageTag)!'en'}"></script>
            <noscript><p class="tillit-help">${msg("tillitTelegramNoScript")}</p></noscript>
        </div>
        <p class="tillit-help">${msg("tillitTelegramPrivacy")}</p>
        <@buttons.actionGroup>
            <@buttons.buttonLink id="tillit-back-to-sign-in" href=url.loginRestartFlowUrl label="backToLogin"/>
        </@buttons.actionGroup>
    </#if>
</@layout.registrationLayout>
