<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("tillitKycMailResubmissionBody")}</p>
<ul id="tillit-kyc-documents">
<#list documentKeys as key><li><strong>${msg(key)}</strong></li></#list>
</ul>
<p>${msg("tillitKycMailResubmissionReasons")}</p>
<ul id="tillit-kyc-reasons">
<#list reasonKeys as key><li>${msg(key)}</li></#list>
</ul>
<p>${msg("tillitKycMailResubmissionNext")}</p>
</@layout.emailLayout>
