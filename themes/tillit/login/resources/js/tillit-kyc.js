// Identity verification, ID type screen: offer only the types the chosen issuing country has.
// The server checks the same list; this only saves the user a refused submit.
(function () {
    var form = document.getElementById("tillit-kyc-form");
    var select = document.getElementById("issuingCountry");
    if (!form || !select || !form.dataset.types) {
        return;
    }
    var types = JSON.parse(form.dataset.types);
    function update() {
        var allowed = types[select.value] || [];
        form.querySelectorAll("input[name=documentType]").forEach(function (radio) {
            radio.disabled = allowed.indexOf(radio.value) < 0;
            if (radio.disabled) {
                radio.checked = false;
            }
        });
    }
    select.addEventListener("change", update);
})();
