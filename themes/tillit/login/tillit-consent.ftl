<#-- One consent checkbox (user agreement, privacy policy) with its link and error. -->
<#macro consent name url label checked>
    <div class="${properties.kcFormGroupClass}">
        <div class="${properties.kcCheckboxClass}">
            <input class="${properties.kcCheckboxInputClass}" type="checkbox" id="${name}" name="${name}" <#if checked>checked</#if>
                   aria-invalid="<#if messagesPerField.existsError(name)>true</#if>"/>
            <label for="${name}" class="${properties.kcCheckboxLabelClass}">
                ${kcSanitize(msg(label, url))?no_esc}
            </label>
        </div>
        <#if messagesPerField.existsError(name)>
            <div class="${properties.kcFormHelperTextClass}" aria-live="polite">
                <div class="${properties.kcInputHelperTextClass}">
                    <div class="${properties.kcInputHelperTextItemClass} ${properties.kcError}" id="input-error-${name}">
                        <span class="${properties.kcInputErrorMessageClass}">${kcSanitize(messagesPerField.get(name))?no_esc}</span>
                    </div>
                </div>
            </div>
        </#if>
    </div>
</#macro>
