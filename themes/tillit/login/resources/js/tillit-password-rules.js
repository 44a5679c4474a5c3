// Ticks off the password rules (tillit-password-rules.ftl) as the user types. Progressive
// enhancement only: the server's policy check decides.
(function () {
    var list = document.getElementById("tillit-password-rules");
    if (!list) { return; }
    var field = document.getElementById(list.dataset.field);
    if (!field) { return; }

    function count(value, pattern) {
        return (value.match(pattern) || []).length;
    }

    function passes(check, spec, value) {
        switch (check) {
            case "length":
                var bounds = spec.split("-");
                var min = bounds[0] ? parseInt(bounds[0], 10) : 0;
                var max = bounds[1] ? parseInt(bounds[1], 10) : Infinity;
                return value.length >= min && value.length <= max;
            case "digits": return count(value, /[0-9]/g) >= parseInt(spec, 10);
            case "upperCase": return count(value, /[A-Z]/g) >= parseInt(spec, 10);
            case "lowerCase": return count(value, /[a-z]/g) >= parseInt(spec, 10);
            case "specialChars": return count(value, /[^A-Za-z0-9]/g) >= parseInt(spec, 10);
            case "allowed":
                for (var i = 0; i < value.length; i++) {
                    var c = value.charAt(i);
                    if (!/[A-Za-z0-9]/.test(c) && spec.indexOf(c) < 0) { return false; }
                }
                return value.length > 0;
            default: return false;
        }
    }

    function update() {
        var items = list.querySelectorAll("li[data-check]");
        for (var i = 0; i < items.length; i++) {
            var ok = passes(items[i].dataset.check, items[i].dataset.value, field.value);
            items[i].classList.toggle("tillit-rule-ok", ok);
        }
    }

    field.addEventListener("input", update);
    update();
})();
