<#ftl output_format="plainText">
${msg("tillitBrokerLinkedBody", idpName, linkedAt)}

${msg("tillitBrokerLinkedNotYou")}
