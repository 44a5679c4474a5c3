<#ftl output_format="plainText">
${msg(reasonKey, reasonArg!"")}
<#if removedProviders??>

${msg("tillitLockNoticeRemoved", removedProviders)}
</#if>

${msg("tillitLockNoticeUntil", lockedUntil)}
<#if disownLink??>

${msg("tillitLockNoticeNotMe")}
${msg("tillitNewDeviceButton")}: ${disownLink}
${msg("tillitNewDeviceLinkExpiry", linkDays?c)}
<#else>
${msg("tillitLockNoticeNotYou")}
</#if>
