// Identity verification: sends the chosen picture to the upload endpoint as the raw request body
// (Keycloak's form endpoint reads only URL-encoded forms), then moves the step on. The server
// checks everything again; the size check here only spares a phone a pointless 10 MB upload.
(function () {
  'use strict';
  // The computer's page follows a phone that adds the pictures: when the step due changes, the
  // form is sent, and the server shows the step that is due now.
  var phone = document.querySelector('.tillit-kyc-phone');
  if (phone) {
    setInterval(function () {
      fetch(phone.dataset.progress, { credentials: 'same-origin', cache: 'no-store' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (p) {
          if (p && p.due && p.due !== phone.dataset.step) { document.getElementById('tillit-kyc-form').submit(); }
        })
        .catch(function () { /* offline for a moment: try again at the next tick */ });
    }, 3000);
  }

  var box = document.querySelector('.tillit-kyc-upload');
  if (!box) { return; }
  var input = document.getElementById('tillit-kyc-file');
  var status = document.getElementById('tillit-kyc-upload-status');
  var form = document.getElementById('tillit-kyc-form');

  function show(text, isError) {
    status.textContent = text;
    status.classList.toggle('tillit-kyc-error', !!isError);
    input.setAttribute('aria-invalid', isError ? 'true' : 'false');
  }

  input.addEventListener('change', function () {
    var file = input.files && input.files[0];
    if (!file) { return; }
    if (file.size > Number(box.dataset.maxBytes)) {
      show(box.dataset.msgTooLarge, true);
      return;
    }
    show(box.dataset.msgSending, false);
    fetch(box.dataset.url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/octet-stream', 'X-Tillit-Upload-Token': box.dataset.token },
      body: file
    }).then(function (response) {
      if (response.ok) {
        if (box.dataset.after === 'reload') { window.location.reload(); } else { form.submit(); }
        return;
      }
      if (response.status === 413) {
        show(box.dataset.msgTooLarge, true);
        return;
      }
      return response.json().then(function (answer) {
        show(answer.error || box.dataset.msgFailed, true);
        if (response.status === 403) { setTimeout(function () { window.location.reload(); }, 2500); }
      });
    }).catch(function () {
      show(box.dataset.msgFailed, true);
    });
  });
})();
