<#import "template.ftl" as layout>
<#import "buttons.ftl" as buttons>
<#-- After the second factor: an unticked "remember this device for N days" box, then on. -->
<@layout.registrationLayout displayMessage=false; section>
    <#if section = "header">
        ${msg("tillitTrustDeviceTitle")}
    <#elseif section = "form">
        <p id="tillit-trust-device-lead" class="tillit-lead">${msg("tillitTrustDeviceLead")}</p>
        <form id="tillit-trust-device-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate">
            <div class="${properties.kcFormGroupClass}">
                <div class="${properties.kcCheckboxClass}">
                    <input class="${properties.kcCheckboxInputClass}" type="checkbox" id="trust-device" name="trust-device"
                           aria-describedby="tillit-trust-device-help"/>
                    <label for="trust-device" class="${properties.kcCheckboxLabelClass}">${msg("tillitTrustDeviceCheckbox", trustDays?c)}</label>
                </div>
                <p id="tillit-trust-device-help" class="${properties.kcFormHelperTextClass!}">${msg("tillitTrustDeviceHelp")}</p>
            </div>
            <@buttons.actionGroup>
                <@buttons.button id="tillit-trust-device-continue" name="continue" label="tillitTrustDeviceContinue" />
            </@buttons.actionGroup>
        </form>
    </#if>
</@layout.registrationLayout>
