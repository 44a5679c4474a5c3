<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("tillitSignupNoticeBody")}</p>
<p>${msg("tillitSignupNoticeAction")}</p>
</@layout.emailLayout>
