<#import "template.ftl" as layout>
<#-- The phone's part of a verification handed over by QR code: only the pictures, no account. -->
<@layout.registrationLayout; section>
    <#if section = "header">
        ${msg("tillitKycPhoneTitle." + kyc.state)}
    <#elseif section = "form">
        <div id="tillit-kyc-phone-page" data-state="${kyc.state}">
            <#if kyc.upload??>
                <p class="tillit-lead">${msg("tillitKycUploadLead." + kyc.state, msg("tillitKycDocShort." + kyc.upload.documentType))}</p>
                <ul class="tillit-kyc-tips">
                    <#list 1..3 as i><li>${msg("tillitKycTip." + kyc.state + "." + i)}</li></#list>
                </ul>
                <div class="tillit-kyc-upload" data-url="${kyc.upload.url}" data-token="${kyc.upload.token}" data-max-bytes="${kyc.upload.maxBytes}"
                     data-after="reload" data-msg-too-large="${msg("tillitKycImageTooLarge")}" data-msg-failed="${msg("tillitKycUploadFailed")}"
                     data-msg-sending="${msg("tillitKycUploading")}" data-kind="${kyc.upload.kind}">
                    <#if kyc.upload.kind = "selfie">
                        <#-- Guided capture where the browser has a camera: straight, then head left and right (liveness aid). -->
                        <button type="button" id="tillit-kyc-camera-start" class="pf-v5-c-button pf-m-primary" hidden>${msg("tillitKycCameraStart")}</button>
                        <div class="tillit-kyc-camera" hidden data-msg-straight="${msg("tillitKycCameraStraight")}" data-msg-left="${msg("tillitKycCameraLeft")}"
                             data-msg-right="${msg("tillitKycCameraRight")}" data-msg-denied="${msg("tillitKycCameraDenied")}">
                            <video id="tillit-kyc-video" autoplay playsinline muted></video>
                            <p id="tillit-kyc-camera-instruction" class="tillit-kyc-instruction" aria-live="assertive"></p>
                        </div>
                    </#if>
                    <input id="tillit-kyc-file" class="tillit-kyc-file-input" type="file" accept="image/jpeg,image/png"
                           <#if kyc.state = "selfie">capture="user"<#else>capture="environment"</#if> aria-describedby="tillit-kyc-upload-status"/>
                    <label class="tillit-kyc-file-label pf-v5-c-button pf-m-primary" for="tillit-kyc-file">${msg("tillitKycTakePicture")}</label>
                    <p id="tillit-kyc-upload-status" class="tillit-kyc-status" role="status" aria-live="polite"></p>
                </div>
                <noscript><p class="tillit-kyc-error">${msg("tillitKycNoScript")}</p></noscript>
                <p class="tillit-help">${msg("tillitKycPhoneOnlyThis")}</p>
                <script src="${url.resourcesPath}/js/tillit-kyc.js" defer></script>
            <#else>
                <p id="tillit-kyc-phone-message" class="tillit-lead">${msg("tillitKycPhoneMessage." + kyc.state)}</p>
            </#if>
        </div>
    </#if>
</@layout.registrationLayout>
