// Tillit bot check page: solves the proof-of-work in a Web Worker (with a progress bar), or runs
// the configured widget (Turnstile, hCaptcha, reCAPTCHA v3), then sends the answer by itself.
// The server decides; this script only does the work a person's browser is asked to do.
(function () {
    "use strict";
    var box = document.getElementById("tillit-bot-check");
    var form = document.getElementById("tillit-bot-check-form");
    var status = document.getElementById("tillit-bot-check-status");
    var button = document.getElementById("tillit-bot-check-submit");
    if (!box || !form) {
        return;
    }
    box.hidden = false;

    function say(text) {
        status.textContent = text;
    }

    function send() {
        button.disabled = false;
        say(box.dataset.done);
        form.submit();
    }

    function proofOfWork() {
        var bits = parseInt(box.dataset.bits, 10);
        var expected = Math.pow(2, bits);
        var progress = document.getElementById("tillit-bot-check-progress");
        var worker;
        try {
            worker = new Worker(box.dataset.worker);
        } catch (e) {
            say(box.dataset.failed);
            return;
        }
        worker.onmessage = function (event) {
            var tries = event.data.tries || 0;
            // The chance of having found the answer after this many tries: an honest estimate of
            // "how far along", which never reaches 100 before the answer does.
            progress.value = Math.min(99, Math.floor(100 * (1 - Math.exp(-tries / expected))));
            if (event.data.solution !== undefined) {
                progress.value = 100;
                document.getElementById("tillit-solution").value = event.data.solution;
                worker.terminate();
                send();
            }
        };
        worker.onerror = function () {
            say(box.dataset.failed);
        };
        worker.postMessage({ nonce: box.dataset.nonce, bits: bits });
    }

    function widget() {
        var provider = box.dataset.provider;
        var siteKey = box.dataset.siteKey;
        function token(value) {
            document.getElementById("tillit-widget-response").value = value;
            send();
        }
        function failed() {
            say(box.dataset.failed);
        }
        var script = document.createElement("script");
        script.src = box.dataset.script;
        script.async = true;
        script.onerror = failed;
        script.onload = function () {
            try {
                if (provider === "turnstile") {
                    window.turnstile.render("#tillit-widget", { sitekey: siteKey, callback: token, "error-callback": failed });
                } else if (provider === "hcaptcha") {
                    window.hcaptcha.render("tillit-widget", { sitekey: siteKey, callback: token, "error-callback": failed });
                } else if (provider === "recaptcha") {
                    window.grecaptcha.ready(function () {
                        window.grecaptcha.execute(siteKey, { action: box.dataset.action }).then(token, failed);
                    });
                }
            } catch (e) {
                failed();
            }
        };
        document.head.appendChild(script);
    }

    // Loaded after the page itself, so a slow or blocked vendor never holds the page up.
    function start() {
        if (box.dataset.provider === "pow") {
            proofOfWork();
        } else {
            widget();
        }
    }
    if (document.readyState === "complete") {
        start();
    } else {
        window.addEventListener("load", start);
    }
})();
