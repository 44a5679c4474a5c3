<#import "template.ftl" as layout>
<#-- New-device alert: when, which browser and system, which IP; the "this was not me" link. -->
<@layout.emailLayout>
<p>${msg("tillitNewDeviceIntro")}</p>
<p id="tillit-new-device-details">
  ${msg("tillitNewDeviceWhen", signInTime)}<br>
  ${msg("tillitNewDeviceClient", browser, os)}<br>
  ${msg("tillitNewDeviceIp", ipAddress)}
</p>
<p>${msg("tillitNewDeviceIfYou")}</p>
<p>${msg("tillitNewDeviceNotYou")}</p>
<p><a id="tillit-disown-link" href="${disownLink}" style="display:inline-block;background:#f2b705;color:#0f1720;font-weight:700;text-decoration:none;padding:12px 20px;border-radius:8px;">${msg("tillitNewDeviceButton")}</a></p>
<p style="font-size:13px;color:#5b6878;">${msg("tillitNewDeviceLinkExpiry", linkDays?c)}</p>
</@layout.emailLayout>
