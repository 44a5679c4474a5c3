<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("tillitEmailCodeIntro")}</p>
<p id="tillit-code" style="font-size:32px;font-weight:700;letter-spacing:8px;margin:16px 0;font-family:ui-monospace,Menlo,Consolas,monospace;">${code}</p>
<p>${msg("tillitEmailCodeExpiry", minutes)}</p>
<p style="color:#5b6878;">${msg("tillitEmailNeverShare")}</p>
</@layout.emailLayout>
