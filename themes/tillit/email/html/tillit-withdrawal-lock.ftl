<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg(reasonKey)}</p>
<p id="tillit-lock-until"><strong>${msg("tillitLockNoticeUntil", lockedUntil)}</strong></p>
<p>${msg("tillitLockNoticeNotYou")}</p>
</@layout.emailLayout>
