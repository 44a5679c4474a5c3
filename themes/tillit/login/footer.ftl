<#macro content>
<#-- Shown under every Tillit login screen: the anti-phishing reminder exchanges are expected to show. -->
<p id="tillit-security-notice" class="tillit-footer-note">${msg("tillitFooterSecurity")}</p>
</#macro>
