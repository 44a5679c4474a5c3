<#import "template.ftl" as layout>
<#import "field.ftl" as field>
<#import "buttons.ftl" as buttons>
<#-- Identity verification (tillit-kyc): one screen per step; kyc.step says which. -->
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('country','region','documentType','documentCountry','fullName','birthDate','street'); section>
    <#if section = "header">
        ${msg("tillitKycTitle." + kyc.step)}
    <#elseif section = "form">
        <#if kyc.step != "overview" && kyc.step != "submitted">
            <ol class="tillit-kyc-progress" aria-label="${msg("tillitKycProgress")}">
                <#list kyc.steps as s>
                    <li class="<#if s.done>done</#if><#if s.current> current</#if>" <#if s.current>aria-current="step"</#if>>${msg("tillitKycStepName." + s.id)}</li>
                </#list>
            </ol>
        </#if>

        <#if kyc.resubmitReasons?? && kyc.step != "submitted">
            <div id="tillit-kyc-resubmit" class="tillit-kyc-resubmit" role="status">
                <p class="tillit-choice-title">${msg("tillitKycResubmitLead")}</p>
                <ul><#list kyc.resubmitReasons as r><li>${msg("tillitKycReason." + r)}</li></#list></ul>
                <p class="tillit-help">${msg("tillitKycResubmitOnly")}</p>
            </div>
        </#if>

        <form id="tillit-kyc-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate">
            <input type="hidden" name="step" value="${kyc.step}"/>

            <#if kyc.step = "overview">
                <p class="tillit-lead">${msg("tillitKycOverviewLead")}</p>
                <ul class="tillit-kyc-levels">
                    <li><strong>${msg("tillitKycLevel0")}</strong><span>${msg("tillitKycLevel0Unlocks")}</span></li>
                    <li><strong>${msg("tillitKycLevel1")}</strong><span>${msg("tillitKycLevel1Unlocks", kyc.level1Limit)}</span></li>
                    <li><strong>${msg("tillitKycLevelBusiness")}</strong><span><#if kyc.supportEmail?has_content>${msg("tillitKycLevelBusinessContact")} <a href="mailto:${kyc.supportEmail}">${kyc.supportEmail}</a><#else>${msg("tillitKycLevelBusinessContactSupport")}</#if></span></li>
                </ul>
                <p class="tillit-help">${msg("tillitKycOverviewNeeds")}</p>
                <@buttons.actionGroup>
                    <@buttons.button id="tillit-kyc-start" name="start" label="tillitKycStart"/>
                </@buttons.actionGroup>

            <#elseif kyc.step = "country">
                <@field.group name="country" label=msg("tillitKycCountryLabel") error=kcSanitize(messagesPerField.get('country'))?no_esc required=true>
                    <span class="${properties.kcInputClass} <#if messagesPerField.existsError('country')>${properties.kcError}</#if>">
                        <select id="country" name="country" autocomplete="country" aria-describedby="country-help"
                                aria-invalid="<#if messagesPerField.existsError('country')>true</#if>">
                            <option value="">${msg("tillitKycChoose")}</option>
                            <#list kyc.countries as c><option value="${c.code}">${c.name}</option></#list>
                        </select>
                    </span>
                    <p id="country-help" class="tillit-help">${msg("tillitKycCountryHelp")}</p>
                </@field.group>
                <@buttons.actionGroup><@buttons.button id="tillit-kyc-next" name="next" label="tillitKycNext"/></@buttons.actionGroup>

            <#elseif kyc.step = "region">
                <fieldset class="tillit-kyc-choices" aria-describedby="region-help">
                    <legend class="tillit-choice-title">${msg("tillitKycRegionQuestion", kyc.countryName)}</legend>
                    <p id="region-help" class="tillit-help">${msg("tillitKycRegionHelp")}</p>
                    <#list kyc.regions as r>
                        <label class="tillit-kyc-choice"><input type="radio" name="region" value="${r}"/> ${msg("tillitKycRegion." + r)}</label>
                    </#list>
                    <label class="tillit-kyc-choice"><input type="radio" name="region" value="-"/> ${msg("tillitKycRegionNone")}</label>
                    <#if messagesPerField.existsError('region')>
                        <p id="input-error-region" class="tillit-kyc-error" aria-live="polite">${kcSanitize(messagesPerField.get('region'))?no_esc}</p>
                    </#if>
                </fieldset>
                <@buttons.actionGroup><@buttons.button id="tillit-kyc-next" name="next" label="tillitKycNext"/></@buttons.actionGroup>

            <#elseif kyc.step = "document">
                <@field.group name="documentCountry" label=msg("tillitKycDocumentCountryLabel") error=kcSanitize(messagesPerField.get('documentCountry'))?no_esc required=true>
                    <span class="${properties.kcInputClass} <#if messagesPerField.existsError('documentCountry')>${properties.kcError}</#if>">
                        <select id="documentCountry" name="documentCountry" aria-invalid="<#if messagesPerField.existsError('documentCountry')>true</#if>">
                            <#list kyc.countries as c><option value="${c.code}" <#if c.code = kyc.country>selected</#if>>${c.name}</option></#list>
                        </select>
                    </span>
                </@field.group>
                <fieldset class="tillit-kyc-choices">
                    <legend class="tillit-choice-title">${msg("tillitKycDocumentTypeLabel")}</legend>
                    <#list kyc.documentTypes as t>
                        <label class="tillit-kyc-choice"><input type="radio" name="documentType" value="${t.id}" <#if t?is_first>checked</#if>/> ${msg(t.label)}</label>
                    </#list>
                    <#if messagesPerField.existsError('documentType')>
                        <p id="input-error-documentType" class="tillit-kyc-error" aria-live="polite">${kcSanitize(messagesPerField.get('documentType'))?no_esc}</p>
                    </#if>
                </fieldset>
                <p class="tillit-help">${msg("tillitKycDocumentHelp")}</p>
                <@buttons.actionGroup><@buttons.button id="tillit-kyc-next" name="next" label="tillitKycNext"/></@buttons.actionGroup>

            <#elseif kyc.step = "details">
                <p class="tillit-help">${msg("tillitKycDetailsHelp")}</p>
                <@text name="fullName" label="tillitKycFullName" autocomplete="name" max=200/>
                <@text name="birthDate" label="tillitKycBirthDate" autocomplete="bday" type="date" max=10/>
                <@text name="street" label="tillitKycStreet" autocomplete="street-address" max=200/>
                <@text name="postalCode" label="tillitKycPostalCode" autocomplete="postal-code" max=20/>
                <@text name="city" label="tillitKycCity" autocomplete="address-level2" max=100/>
                <p class="tillit-help">${msg("tillitKycDetailsCountry", kyc.countryName)}</p>
                <@buttons.actionGroup><@buttons.button id="tillit-kyc-next" name="next" label="tillitKycNext"/></@buttons.actionGroup>

            <#elseif kyc.upload??>
                <p class="tillit-lead">${msg("tillitKycUploadLead." + kyc.step, msg("tillitKycDocShort." + kyc.documentType))}</p>
                <ul class="tillit-kyc-tips">
                    <#list 1..3 as i><li>${msg("tillitKycTip." + kyc.step + "." + i)}</li></#list>
                </ul>
                <div class="tillit-kyc-upload" data-url="${kyc.upload.url}" data-token="${kyc.upload.token}" data-max-bytes="${kyc.upload.maxBytes}"
                     data-msg-too-large="${msg("tillitKycImageTooLarge")}" data-msg-failed="${msg("tillitKycUploadFailed")}"
                     data-msg-sending="${msg("tillitKycUploading")}" data-kind="${kyc.upload.kind}">
                    <#-- The native control is hidden (it speaks the browser's language, not the page's); its label is the button. -->
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
                           <#if kyc.step = "selfie">capture="user"<#else>capture="environment"</#if> aria-describedby="tillit-kyc-upload-status"/>
                    <label class="tillit-kyc-file-label pf-v5-c-button pf-m-secondary" for="tillit-kyc-file">${msg("tillitKycChoosePicture")}</label>
                    <p id="tillit-kyc-upload-status" class="tillit-kyc-status" role="status" aria-live="polite"></p>
                </div>
                <noscript><p class="tillit-kyc-error">${msg("tillitKycNoScript")}</p></noscript>
                <details class="tillit-kyc-phone" data-progress="${kyc.upload.progress}" data-step="${kyc.step}">
                    <summary>${msg("tillitKycPhoneOffer")}</summary>
                    <p class="tillit-help">${msg("tillitKycPhoneHelp", kyc.upload.phoneMinutes)}</p>
                    <img id="tillit-kyc-qr" src="${kyc.upload.phoneQr}" width="240" height="240" alt="${msg("tillitKycPhoneQrAlt")}"
                         data-link="${kyc.upload.phoneLink}"/>
                    <p class="tillit-help" role="status" aria-live="polite">${msg("tillitKycPhoneFollows")}</p>
                </details>
                <@buttons.actionGroup><@buttons.button id="tillit-kyc-next" name="next" label="tillitKycNext"/></@buttons.actionGroup>
                <script src="${url.resourcesPath}/js/tillit-kyc.js" defer></script>

            <#elseif kyc.step = "review">
                <p class="tillit-lead">${msg("tillitKycReviewLead")}</p>
                <dl class="tillit-kyc-summary">
                    <@row label="tillitKycCountryLabel" value=kyc.countryName edit="country"/>
                    <@row label="tillitKycDocumentTypeLabel" value=msg("tillitKycDocShort." + kyc.documentType) + " · " + kyc.documentCountryName edit="document"/>
                    <@row label="tillitKycFullName" value=kyc.details.fullName edit="details"/>
                    <@row label="tillitKycBirthDate" value=kyc.details.birthDate edit="details"/>
                    <@row label="tillitKycAddress" value=kyc.details.street + ", " + kyc.details.postalCode + " " + kyc.details.city edit="details"/>
                    <@row label="tillitKycStepName.front" value=msg("tillitKycPictureAdded") edit="front"/>
                    <#if kyc.twoSided><@row label="tillitKycStepName.back" value=msg("tillitKycPictureAdded") edit="back"/></#if>
                    <@row label="tillitKycStepName.selfie" value=msg("tillitKycPictureAdded") edit="selfie"/>
                </dl>
                <p class="tillit-help">${msg("tillitKycReviewConsent")}</p>
                <@buttons.actionGroup><@buttons.button id="tillit-kyc-submit" name="submit" label="tillitKycSubmit"/></@buttons.actionGroup>

            <#elseif kyc.step = "submitted">
                <p id="tillit-kyc-submitted" class="tillit-lead">${msg("tillitKycSubmittedLead", kyc.reviewDays)}</p>
                <p class="tillit-help">${msg("tillitKycSubmittedHelp")}</p>
                <@buttons.actionGroup><@buttons.button id="tillit-kyc-continue" name="continue" label="tillitKycContinue"/></@buttons.actionGroup>
            </#if>

            <#if isAppInitiatedAction?? && kyc.step != "submitted">
                <@buttons.actionGroup>
                    <button class="pf-v5-c-button pf-m-link" type="submit" id="cancelTOTPBtn" name="cancel-aia" value="true">${msg("tillitKycLater")}</button>
                </@buttons.actionGroup>
            </#if>
        </form>
    </#if>
</@layout.registrationLayout>

<#macro text name label autocomplete max type="text">
    <@field.group name=name label=msg(label) error=kcSanitize(messagesPerField.get(name))?no_esc required=true>
        <span class="${properties.kcInputClass} <#if messagesPerField.existsError(name)>${properties.kcError}</#if>">
            <input id="${name}" name="${name}" type="${type}" value="${(kycTyped[name])!''}" autocomplete="${autocomplete}" maxlength="${max}"
                   aria-invalid="<#if messagesPerField.existsError(name)>true</#if>"/>
        </span>
    </@field.group>
</#macro>

<#macro row label value edit>
    <div class="tillit-kyc-row">
        <dt>${msg(label)}</dt>
        <dd><span>${value}</span>
            <button class="pf-v5-c-button pf-m-link pf-m-inline" type="submit" name="edit" value="${edit}" id="tillit-kyc-edit-${label?replace('.', '-')}">${msg("tillitKycChange")}</button>
        </dd>
    </div>
</#macro>
