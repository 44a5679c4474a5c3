<#import "template.ftl" as layout>
<#import "buttons.ftl" as buttons>
<#-- "Link existing account" done: the account's password and second factor were passed. -->
<@layout.registrationLayout displayMessage=false; section>
    <#if section = "header">
        ${msg("tillitLinkedTitle", idpName)}
    <#elseif section = "form">
        <p id="tillit-linked" class="tillit-lead">${msg("tillitLinkedLead", idpName, idpUsername)}</p>
        <p class="tillit-help">${msg("tillitLinkedNotice")}</p>
        <form id="tillit-linked-form" action="${url.loginAction}" method="post">
            <@buttons.actionGroup>
                <@buttons.button id="tillit-linked-continue" name="continue" label="doContinue"/>
            </@buttons.actionGroup>
        </form>
    </#if>
</@layout.registrationLayout>
