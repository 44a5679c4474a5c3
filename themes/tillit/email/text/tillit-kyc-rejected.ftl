<#ftl output_format="plainText">
${msg("tillitKycMailRejectedBody")}

<#list reasonKeys as key>
- ${msg(key)}
</#list>

${msg("tillitKycMailRejectedNext")}
