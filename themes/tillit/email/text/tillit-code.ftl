<#ftl output_format="plainText">
${msg("tillitEmailCodeIntro")} ${code}

${msg("tillitEmailCodeExpiry", minutes)}
${msg("tillitEmailNeverShare")}
