<#ftl output_format="plainText">
${msg("tillitKycMailApprovedBody", kycLevel)}

${msg("tillitKycMailApprovedNext")}
