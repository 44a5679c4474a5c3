<#-- The frame of every HTML mail: brand bar, body, footer. Inline styles because mail clients drop <style>. -->
<#macro emailLayout>
<html lang="${locale.language}" dir="${(ltr)?then('ltr','rtl')}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="margin:0;padding:0;background:#eef1f4;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1b2430;">
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="background:#eef1f4;padding:24px 0;">
  <tr><td align="center">
    <table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="max-width:560px;background:#ffffff;border-radius:12px;overflow:hidden;">
      <tr><td style="background:#0f1720;border-top:4px solid #f2b705;padding:18px 28px;color:#ffffff;font-size:20px;font-weight:700;letter-spacing:2px;">TILLIT</td></tr>
      <tr><td style="padding:28px;font-size:15px;line-height:1.55;">
        <#nested>
      </td></tr>
      <tr><td style="padding:16px 28px 24px;font-size:12px;color:#5b6878;border-top:1px solid #e3e7ec;">${msg("tillitEmailFooter")}</td></tr>
    </table>
  </td></tr>
</table>
</body>
</html>
</#macro>
