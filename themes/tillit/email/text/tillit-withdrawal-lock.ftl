<#ftl output_format="plainText">
${msg(reasonKey)}

${msg("tillitLockNoticeUntil", lockedUntil)}
${msg("tillitLockNoticeNotYou")}
