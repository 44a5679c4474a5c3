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

  function after() {
    if (box.dataset.after === 'reload') { window.location.reload(); } else { form.submit(); }
  }

  // Sends one picture; resolves true when stored, else shows why and resolves false. Every token
  // is spent by the request that carries it, whatever the answer: the answer brings the next one
  // (after a frame of the guided selfie, or a refusal), so the user can simply try again.
  function send(body, frame) {
    var url = box.dataset.url + (frame ? (box.dataset.url.indexOf('?') < 0 ? '?' : '&') + 'frame=' + frame : '');
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/octet-stream', 'X-Tillit-Upload-Token': box.dataset.token },
      body: body
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (answer.token) { box.dataset.token = answer.token; }
        if (response.ok) { return true; }
        // The server's own request limit answers 413 before our endpoint runs, without a message.
        show(answer.error || (response.status === 413 ? box.dataset.msgTooLarge : box.dataset.msgFailed), true);
        if (response.status === 403) { setTimeout(function () { window.location.reload(); }, 2500); }
        input.value = '';
        return false;
      });
    }).catch(function () {
      show(box.dataset.msgFailed, true);
      return false;
    });
  }

  input.addEventListener('change', function () {
    var file = input.files && input.files[0];
    if (!file) { return; }
    if (file.size > Number(box.dataset.maxBytes)) {
      show(box.dataset.msgTooLarge, true);
      return;
    }
    show(box.dataset.msgSending, false);
    send(file).then(function (stored) { if (stored) { after(); } });
  });

  // The guided selfie: look straight, then turn the head left and right as asked. The turned
  // frames go first (a liveness aid for the reviewer), the straight one last completes the step.
  var camera = document.querySelector('.tillit-kyc-camera');
  var start = document.getElementById('tillit-kyc-camera-start');
  if (!camera || !start || !(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) { return; }
  start.hidden = false;
  var video = document.getElementById('tillit-kyc-video');
  var instruction = document.getElementById('tillit-kyc-camera-instruction');

  function wait(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  function frame() {
    var canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d').drawImage(video, 0, 0);
    return new Promise(function (resolve) { canvas.toBlob(resolve, 'image/jpeg', 0.92); });
  }

  start.addEventListener('click', function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user', width: { ideal: 1280 } }, audio: false })
      .then(function (stream) {
        start.hidden = true;
        camera.hidden = false;
        video.srcObject = stream;
        var shots = {};
        var steps = [['straight', camera.dataset.msgStraight], ['left', camera.dataset.msgLeft], ['right', camera.dataset.msgRight]];
        return video.play().then(function () {
          return steps.reduce(function (chain, step) {
            return chain.then(function () {
              instruction.textContent = step[1];
              return wait(1800);
            }).then(frame).then(function (blob) { shots[step[0]] = blob; });
          }, Promise.resolve());
        }).then(function () {
          stream.getTracks().forEach(function (t) { t.stop(); });
          camera.hidden = true;
          show(box.dataset.msgSending, false);
          return send(shots.left, 'left')
            .then(function (ok) { return ok && send(shots.right, 'right'); })
            .then(function (ok) { return ok && send(shots.straight); })
            .then(function (ok) { if (ok) { after(); } });
        });
      })
      .catch(function () {
        camera.hidden = true;
        show(camera.dataset.msgDenied, true);
      });
  });
})();
