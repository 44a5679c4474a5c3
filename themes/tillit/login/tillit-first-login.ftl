<#import "template.ftl" as layout>
<#import "buttons.ftl" as buttons>
<#import "tillit-consent.ftl" as consents>
<#-- First sign-in with Google, Apple or Telegram: link an existing account, or sign up. -->
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('acceptTerms','acceptPrivacy'); section>
    <#if section = "header">
        ${msg("tillitFirstLoginTitle", idpName)}
    <#elseif section = "form">
        <p id="tillit-first-login-lead" class="tillit-lead">${msg("tillitFirstLoginLead", idpName)}</p>

        <section class="tillit-choice" aria-labelledby="tillit-link-heading">
            <h2 id="tillit-link-heading" class="tillit-choice-title">${msg("tillitFirstLoginLinkTitle")}</h2>
            <p class="tillit-help">${msg("tillitFirstLoginLinkHelp", idpName)}</p>
            <form id="tillit-first-login-link" action="${url.loginAction}" method="post">
                <input type="hidden" name="choice" value="link"/>
                <@buttons.actionGroup>
                    <@buttons.button id="tillit-link-existing" name="link" label="tillitFirstLoginLinkButton" type="secondary"/>
                </@buttons.actionGroup>
            </form>
        </section>

        <section class="tillit-choice" aria-labelledby="tillit-signup-heading">
            <h2 id="tillit-signup-heading" class="tillit-choice-title">${msg("tillitFirstLoginSignupTitle")}</h2>
            <p class="tillit-help">${msg("tillitFirstLoginSignupHelp")}</p>
            <form id="tillit-first-login-signup" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate">
                <input type="hidden" name="choice" value="signup"/>
                <div class="tillit-consents">
                    <@consents.consent name="acceptTerms" url=termsUrl label="tillitAcceptTerms" checked=acceptTerms!false/>
                    <@consents.consent name="acceptPrivacy" url=privacyUrl label="tillitAcceptPrivacy" checked=acceptPrivacy!false/>
                </div>
                <@buttons.actionGroup>
                    <@buttons.button id="tillit-sign-up-new" name="signup" label="tillitFirstLoginSignupButton"/>
                </@buttons.actionGroup>
            </form>
        </section>
    </#if>
</@layout.registrationLayout>
