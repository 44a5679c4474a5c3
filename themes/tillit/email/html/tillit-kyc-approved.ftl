<#import "template.ftl" as layout>
<@layout.emailLayout>
<p id="tillit-kyc-approved">${msg("tillitKycMailApprovedBody", kycLevel)}</p>
<p>${msg("tillitKycMailApprovedNext")}</p>
</@layout.emailLayout>
