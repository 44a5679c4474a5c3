<#import "template.ftl" as layout>
<@layout.emailLayout>
<p id="tillit-broker-linked">${msg("tillitBrokerLinkedBody", idpName, linkedAt)}</p>
<p>${msg("tillitBrokerLinkedNotYou")}</p>
</@layout.emailLayout>
