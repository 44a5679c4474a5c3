<#-- The realm's password rules as a checklist that ticks itself off while the user types. -->
<#macro checklist field>
    <#if tillitPasswordRules?? && tillitPasswordRules?has_content>
        <ul id="tillit-password-rules" class="tillit-rules" data-field="${field}" aria-live="polite">
            <#list tillitPasswordRules as rule>
                <li data-check="${rule.check}" data-value="${rule.value}">${msg(rule.messageKey, rule.args[0]!"", rule.args[1]!"")}</li>
            </#list>
        </ul>
        <script src="${url.resourcesPath}/js/tillit-password-rules.js" defer></script>
    </#if>
</#macro>
