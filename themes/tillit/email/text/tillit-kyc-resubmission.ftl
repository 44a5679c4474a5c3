<#ftl output_format="plainText">
${msg("tillitKycMailResubmissionBody")}

<#list documentKeys as key>
- ${msg(key)}
</#list>

${msg("tillitKycMailResubmissionReasons")}
<#list reasonKeys as key>
- ${msg(key)}
</#list>

${msg("tillitKycMailResubmissionNext")}
