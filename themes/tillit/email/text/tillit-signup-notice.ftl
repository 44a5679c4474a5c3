<#ftl output_format="plainText">
${msg("tillitSignupNoticeBody")}

${msg("tillitSignupNoticeAction")}
