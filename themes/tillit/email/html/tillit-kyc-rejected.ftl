<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("tillitKycMailRejectedBody")}</p>
<ul id="tillit-kyc-reasons">
<#list reasonKeys as key><li>${msg(key)}</li></#list>
</ul>
<p>${msg("tillitKycMailRejectedNext")}</p>
</@layout.emailLayout>
