// A message rendered with the page is not announced by aria-live (nothing changed after load), so
// each invalid field is tied to its message with aria-describedby and the first one takes the focus:
// a screen reader then reads the field together with what is wrong with it.
const errorOf = (input) =>
    document.getElementById("input-error-" + input.name)
    || document.getElementById("input-error-" + input.id)
    // Keycloak's sign-in form shows one message for username and password, under the username.
    || input.form?.querySelector('[id^="input-error-"]:not([id^="input-error-container-"])')
    || document.getElementById("tillit-page-message");

const invalid = [...document.querySelectorAll(
    'input[aria-invalid="true"], select[aria-invalid="true"], textarea[aria-invalid="true"]')];
for (const input of invalid) {
    const message = errorOf(input);
    if (message) {
        const ids = new Set((input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean));
        ids.add(message.id);
        input.setAttribute("aria-describedby", [...ids].join(" "));
    }
}
invalid[0]?.focus();
