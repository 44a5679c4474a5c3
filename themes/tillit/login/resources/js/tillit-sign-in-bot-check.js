// Tillit bot check on the sign-in page: solves the proof-of-work in a Web Worker while the person
// types (or runs the vendor widget under the form) and puts the answer into the form. Sending the
// form before the answer is there waits for it, then sends. The server judges the answer before it
// looks at any password; without one it shows the separate bot-check page instead.
(function () {
    "use strict";
    var box = document.getElementById("tillit-sign-in-bot-check");
    var form = box && document.getElementById(box.dataset.form);
    if (!box || !form) {
        return;
    }
    var status = document.getElementById("tillit-sign-in-bot-check-status");
    var answered = false;
    var waiting = false;

    function say(text) {
        status.hidden = false;
        status.textContent = text;
    }

    function answer(field, value) {
        document.getElementById(field).value = value;
        answered = true;
        box.dataset.state = "done";
        if (waiting) {
            say(box.dataset.done);
            form.submit();
        }
    }

    function failed() {
        box.dataset.state = "failed";
        // Sending goes on without an answer: the server then shows the separate check page.
        if (waiting) {
            form.submit();
        }
    }

    form.addEventListener("submit", function (event) {
        if (answered || box.dataset.state === "failed") {
            return;
        }
        event.preventDefault();
        waiting = true;
        say(box.dataset.waiting);
    });

    function proofOfWork() {
        var worker;
        try {
            worker = new Worker(box.dataset.worker);
        } catch (e) {
            failed();
            return;
        }
        worker.onmessage = function (event) {
            if (event.data.solution !== undefined) {
                worker.terminate();
                answer("tillit-sign-in-solution", event.data.solution);
            }
        };
        worker.onerror = failed;
        worker.postMessage({ nonce: box.dataset.nonce, bits: parseInt(box.dataset.bits, 10) });
    }

    function widget() {
        var provider = box.dataset.provider;
        var siteKey = box.dataset.siteKey;
        function token(value) {
            answer("tillit-sign-in-widget-response", value);
        }
        var script = document.createElement("script");
        script.src = box.dataset.script;
        script.async = true;
        script.onerror = failed;
        script.onload = function () {
            try {
                if (provider === "turnstile") {
                    window.turnstile.render("#tillit-sign-in-widget", { sitekey: siteKey, callback: token, "error-callback": failed });
                } else if (provider === "hcaptcha") {
                    window.hcaptcha.render("tillit-sign-in-widget", { sitekey: siteKey, callback: token, "error-callback": failed });
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

    box.dataset.state = "working";
    if (box.dataset.provider === "pow") {
        proofOfWork(); // at once: the work is done by the time the password is typed
    } else if (document.readyState === "complete") {
        widget();
    } else {
        window.addEventListener("load", widget); // a slow vendor never holds the page up
    }
})();
