<#import "template.ftl" as layout>
<#import "field.ftl" as field>
<#import "tillit-kyc-macros.ftl" as kyc>
<#-- A picture: the ID's front or back, or a selfie. Phones offer the camera (capture); any JPEG or PNG works. -->
<#if kycUpload == "selfie">
    <#assign titleKey = "tillitKycUploadSelfieTitle" leadKey = "tillitKycUploadSelfieLead">
<#elseif kycUpload == "back">
    <#assign titleKey = "tillitKycUploadBackTitle" leadKey = "tillitKycUploadBackLead">
<#else>
    <#assign titleKey = "tillitKycUploadFrontTitle" leadKey = "tillitKycUploadFrontLead">
</#if>
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('image'); section>
    <#if section = "header">
        ${msg(titleKey)}
    <#elseif section = "form">
        <@kyc.progress/>
        <p id="tillit-kyc-lead" class="tillit-lead">${msg(leadKey)}</p>
        <ul class="tillit-kyc-tips">
            <li>${msg("tillitKycTipLight")}</li>
            <li>${msg((kycUpload == "selfie")?then("tillitKycTipFace", "tillitKycTipWhole"))}</li>
            <li>${msg("tillitKycTipFormat", kycMaxUploadMegabytes)}</li>
        </ul>
        <form id="tillit-kyc-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post"
              enctype="multipart/form-data" novalidate="novalidate">
            <@kyc.stepField/>
            <@field.group name="image" label=msg("tillitKycImageLabel") error=kcSanitize(messagesPerField.get('image'))?no_esc required=true>
                <span class="${properties.kcInputClass} <@kyc.fieldError 'image'/>">
                    <input id="image" name="image" type="file" accept="image/jpeg,image/png"
                           capture="${(kycUpload == "selfie")?then("user", "environment")}"
                           aria-invalid="<#if messagesPerField.existsError('image')>true</#if>"/>
                </span>
            </@field.group>
            <@kyc.actions continueLabel=(kycUpload == "selfie")?then("tillitKycSubmit", "tillitKycUploadContinue")/>
        </form>
    </#if>
</@layout.registrationLayout>
