<#ftl output_format="plainText">
${msg("tillitNewDeviceIntro")}

${msg("tillitNewDeviceWhen", signInTime)}
${msg("tillitNewDeviceClient", browser, os)}
${msg("tillitNewDeviceIp", ipAddress)}

${msg("tillitNewDeviceIfYou")}
${msg("tillitNewDeviceNotYou")}
${disownLink}

${msg("tillitNewDeviceLinkExpiry", linkDays?c)}
