<#import "template.ftl" as layout>
<#-- Withdrawal-lock notice: the reason, the lock's end; which linked sign-in methods a reset removed;
     for a newly linked identity (subject "A sign-in method was added") the "this was not me" link. -->
<@layout.emailLayout>
<p id="tillit-lock-reason">${msg(reasonKey, reasonArg!"")}</p>
<#if removedProviders??>
<p id="tillit-lock-removed">${msg("tillitLockNoticeRemoved", removedProviders)}</p>
</#if>
<p id="tillit-lock-until"><strong>${msg("tillitLockNoticeUntil", lockedUntil)}</strong></p>
<#if disownLink??>
<p>${msg("tillitLockNoticeNotMe")}</p>
<p><a id="tillit-disown-link" href="${disownLink}" style="display:inline-block;background:#f2b705;color:#0f1720;font-weight:700;text-decoration:none;padding:12px 20px;border-radius:8px;">${msg("tillitNewDeviceButton")}</a></p>
<p style="font-size:13px;color:#5b6878;">${msg("tillitNewDeviceLinkExpiry", linkDays?c)}</p>
<#else>
<p>${msg("tillitLockNoticeNotYou")}</p>
</#if>
</@layout.emailLayout>
