// The reviewers' page: signs the reviewer in with the OAuth 2.0 authorization code flow and PKCE
// (S256, state, nonce; public client, no secret), then works the review API with the access token.
// The tokens live in this script's memory only: a reload or a closed tab signs the page out (Keycloak's
// own session may sign it straight back in). Only the PKCE verifier, state and nonce of a sign-in in
// progress wait in sessionStorage across the redirect, and are removed when it comes back.
// A language the reviewer picked on this page (kc_locale) is kept across the sign-in too: Keycloak's
// authorization endpoint does not carry kc_locale, and an account's own language would win on return.
// Pictures are fetched with the token and shown through blob: URLs, revoked when the case is left.
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('tillit-review-config').textContent);
  var texts = config.texts;
  var PENDING_KEY = 'tillit-kyc-review-sign-in';
  var tokens = null;          // { access, refresh, id, sub, name }
  var blobUrls = [];
  var current = null;         // the case shown
  var justSetUp = false;      // this sign-in came back from setting up a second factor

  function $(id) { return document.getElementById(id); }

  function t(key, arg) {
    var text = texts[key] || key;
    return arg === undefined ? text : text.split('{0}').join(String(arg));
  }

  function show(id, visible) { $(id).hidden = !visible; }

  function alertText(key, arg) {
    var box = $('tillit-review-alert');
    box.textContent = key ? t(key, arg) : '';
    box.hidden = !key;
    if (key) { box.scrollIntoView({ block: 'nearest' }); }
  }

  // A piece of news (a decision saved, nothing left to decide), or with warning a limit the reviewer meets.
  function notice(text, warning) {
    var box = $('tillit-review-notice');
    box.textContent = text || '';
    box.hidden = !text;
    box.classList.toggle('tillit-review-notice-warning', !!warning);
  }

  // ---- PKCE sign-in -------------------------------------------------------------------------

  function randomString(bytes) {
    var a = new Uint8Array(bytes);
    crypto.getRandomValues(a);
    return base64url(a);
  }

  function base64url(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) { s += String.fromCharCode(bytes[i]); }
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  // action: a Keycloak required action to run on the way (kc_action), e.g. setting up an authenticator app.
  function signIn(action) {
    if (typeof action !== 'string') { action = null; }
    var verifier = randomString(48);
    var state = randomString(24);
    var nonce = randomString(24);
    crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)).then(function (hash) {
      sessionStorage.setItem(PENDING_KEY, JSON.stringify({
        verifier: verifier, state: state, nonce: nonce, lang: config.explicitLocale || null, setUp: !!action
      }));
      var params = new URLSearchParams({
        client_id: config.clientId,
        redirect_uri: config.redirectUri,
        response_type: 'code',
        // The code comes back in the fragment: it never reaches a server log or a Referer.
        response_mode: 'fragment',
        scope: 'openid',
        state: state,
        nonce: nonce,
        code_challenge: base64url(new Uint8Array(hash)),
        code_challenge_method: 'S256',
        // A reviewer always signs in with a second factor (the client's minimum ACR says so too).
        acr_values: '2',
        ui_locales: config.lang
      });
      if (action) { params.set('kc_action', action); }
      window.location.assign(config.authorizationEndpoint + '?' + params.toString());
    });
  }

  // Back from Keycloak: #state=...&code=... (or #error=...). Returns a promise of being signed in.
  function finishSignIn() {
    var hash = new URLSearchParams(window.location.hash.substring(1));
    if (!hash.has('state')) { return Promise.resolve(false); }
    var pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) || 'null');
    if (pending && pending.lang && pending.lang !== config.lang && !pending.relocalised) {
      // Rendered in another language than the one picked: once more in that one, the answer still in the
      // fragment (never sent to the server), and the code redeemed there.
      pending.relocalised = true;
      sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
      window.location.replace(config.redirectUri + '?kc_locale=' + encodeURIComponent(pending.lang) + window.location.hash);
      return new Promise(function () { /* the page is going */ });
    }
    // Out of the address bar and the history at once.
    history.replaceState(null, '', config.redirectUri);
    sessionStorage.removeItem(PENDING_KEY);
    justSetUp = !!(pending && pending.setUp);
    if (!pending || pending.state !== hash.get('state') || !hash.get('code')) {
      alertText('tillitReviewerErrorSignIn');
      return Promise.resolve(false);
    }
    return tokenRequest({
      grant_type: 'authorization_code',
      code: hash.get('code'),
      redirect_uri: config.redirectUri,
      client_id: config.clientId,
      code_verifier: pending.verifier
    }).then(function (answer) {
      var claims = answer && answer.id_token ? decodeJwt(answer.id_token) : null;
      // The ID token came straight from the token endpoint over this origin's connection; its nonce
      // ties it to the sign-in this tab started.
      if (!claims || claims.nonce !== pending.nonce) {
        alertText('tillitReviewerErrorSignIn');
        return false;
      }
      keep(answer, claims);
      return true;
    });
  }

  function tokenRequest(form) {
    return fetch(config.tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
      cache: 'no-store',
      credentials: 'omit'
    }).then(function (r) { return r.ok ? r.json() : null; }).catch(function () { return null; });
  }

  function decodeJwt(jwt) {
    try {
      var part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      var bytes = Uint8Array.from(atob(part), function (c) { return c.charCodeAt(0); });
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      return null;
    }
  }

  function keep(answer, claims) {
    tokens = {
      access: answer.access_token,
      refresh: answer.refresh_token,
      id: answer.id_token || (tokens && tokens.id),
      sub: claims ? claims.sub : tokens.sub,
      name: claims ? (claims.name || claims.email || claims.preferred_username) : tokens.name
    };
  }

  function refresh() {
    if (!tokens || !tokens.refresh) { return Promise.resolve(false); }
    return tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh, client_id: config.clientId })
      .then(function (answer) {
        if (!answer) { return false; }
        keep(answer, answer.id_token ? decodeJwt(answer.id_token) : null);
        return true;
      });
  }

  function signOut() {
    var params = new URLSearchParams({ client_id: config.clientId, post_logout_redirect_uri: config.redirectUri });
    if (tokens && tokens.id) { params.set('id_token_hint', tokens.id); }
    tokens = null;
    window.location.assign(config.logoutEndpoint + '?' + params.toString());
  }

  // ---- The review API -----------------------------------------------------------------------

  // fetch with the bearer token; one refresh and retry when the access token has run out.
  function api(path, options, retried) {
    var init = Object.assign({ cache: 'no-store', credentials: 'omit' }, options || {});
    init.headers = Object.assign({ Authorization: 'Bearer ' + tokens.access }, init.headers || {});
    return fetch(config.api + path, init).then(function (r) {
      if (r.status === 401 && !retried) {
        return refresh().then(function (ok) {
          if (ok) { return api(path, options, true); }
          sessionEnded();
          throw new Error('signed out');
        });
      }
      return r;
    });
  }

  function sessionEnded() {
    tokens = null;
    leaveCase();
    show('tillit-review-queue', false);
    show('tillit-review-case', false);
    showSignedIn(false);
    alertText('tillitReviewerErrorSession');
  }

  function failed(r) {
    if (r.status === 403) { return 'tillitReviewerErrorNotReviewer'; }
    if (r.status === 404) { return 'tillitReviewerErrorNotFound'; }
    if (r.status === 409) { return 'tillitReviewerErrorDecided'; }
    if (r.status === 400) { return 'tillitReviewerErrorInvalid'; }
    if (r.status === 503) { return 'tillitReviewerErrorUnavailable'; }
    return 'tillitReviewerErrorServer';
  }

  function networkProblem(e) {
    if (e && e.message === 'signed out') { return; }
    alertText('tillitReviewerErrorNetwork');
  }

  // ---- Screens ------------------------------------------------------------------------------

  function showSignedIn(signedIn) {
    show('tillit-review-sign-in', !signedIn);
    show('tillit-review-sign-out', signedIn);
    show('tillit-review-who', signedIn);
    $('tillit-review-who').textContent = signedIn ? t('tillitReviewerSignedInAs', tokens.name || '') : '';
  }

  // The signed-in account may not be a reviewer: then it sees the message and nothing else.
  function notAReviewer() {
    show('tillit-review-queue', false);
    show('tillit-review-case', false);
    alertText('tillitReviewerErrorNotReviewer');
  }

  // A 403 from the API says why: a reviewer who signed in without a second factor has none yet (the
  // sign-in asks it of everyone who has one). Offer to set one up; right after setting it up, sign in
  // once more, which now asks it.
  function refused(r) {
    return r.json().catch(function () { return {}; }).then(function (answer) {
      if (!answer || answer.error !== 'second_factor_required') { notAReviewer(); return; }
      show('tillit-review-queue', false);
      show('tillit-review-case', false);
      if (justSetUp) {
        justSetUp = false;
        signIn();
        return;
      }
      alertText('tillitReviewerErrorSecondFactor');
      show('tillit-review-second-factor', true);
    });
  }

  function loadQueue() {
    leaveCase();
    show('tillit-review-case', false);
    var status = $('tillit-review-status').value;
    var country = $('tillit-review-country').value.trim().toUpperCase();
    $('tillit-review-country').value = country;
    var invalid = country !== '' && !/^[A-Z]{2}$/.test(country);
    $('tillit-review-country').setAttribute('aria-invalid', invalid ? 'true' : 'false');
    if (invalid) {
      $('tillit-review-queue-state').textContent = t('tillitReviewerFilterCountryHelp');
      return Promise.resolve();
    }
    var query = '?status=' + encodeURIComponent(status) + (country ? '&country=' + country : '')
      + '&order=' + (status === 'pending' ? 'oldest' : 'newest') + '&max=100';
    $('tillit-review-queue-state').textContent = t('tillitReviewerLoading');
    return api('/cases' + query).then(function (r) {
      if (r.status === 403) { return refused(r); }
      if (!r.ok) { alertText(failed(r)); return; }
      return r.json().then(function (cases) {
        alertText(null);
        show('tillit-review-queue', true);
        renderQueue(cases);
      });
    }).catch(networkProblem);
  }

  function renderQueue(cases) {
    var list = $('tillit-review-cases');
    list.textContent = '';
    $('tillit-review-queue-state').textContent = cases.length === 0 ? t('tillitReviewerEmpty')
      : t('tillitReviewerCount', cases.length);
    cases.forEach(function (c) {
      var item = document.createElement('li');
      item.className = 'tillit-review-row';
      item.dataset.caseId = c.id;
      var when = el('span', 'tillit-review-row-when', dateTime(c.submittedAt));
      var what = el('span', 'tillit-review-row-what',
        country(c.country) + (c.region ? ' (' + c.region + ')' : '') + ' · ' + documentType(c.documentType)
        + (c.documentCountry && c.documentCountry !== c.country ? ' · ' + country(c.documentCountry) : ''));
      var meta = el('span', 'tillit-review-row-meta',
        t('tillitReviewerRowMeta', c.attempt) + ' · ' + t('tillitReviewerLevelShort', c.levelRequested || 1));
      var open = el('button', 'pf-v5-c-button pf-m-secondary tillit-review-open', t('tillitReviewerOpen'));
      open.type = 'button';
      open.setAttribute('aria-label', t('tillitReviewerOpen') + ': ' + dateTime(c.submittedAt) + ', ' + country(c.country));
      open.addEventListener('click', function () { openCase(c.id); });
      var text = el('span', 'tillit-review-row-text');
      text.append(when, what, meta);
      item.append(text, open);
      list.append(item);
    });
  }

  function openCase(id) {
    alertText(null);
    notice(null);
    return api('/cases/' + encodeURIComponent(id)).then(function (r) {
      if (r.status === 403) { return refused(r); }
      if (!r.ok) { alertText(failed(r)); return; }
      return r.json().then(renderCase);
    }).catch(networkProblem);
  }

  function renderCase(c) {
    leaveCase();
    current = c;
    show('tillit-review-queue', false);
    show('tillit-review-case', true);
    var d = c.details || {};
    $('tillit-review-case-title').textContent = d.fullName || c.username || c.id;
    var badge = $('tillit-review-case-status');
    badge.textContent = t('tillitReviewerStatus.' + c.status);
    badge.className = 'tillit-review-badge tillit-review-badge-' + c.status;

    var details = $('tillit-review-details');
    details.textContent = '';
    var address = [d.street, [d.postalCode, d.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
    [
      ['fullName', d.fullName],
      ['birthDate', d.birthDate ? birthDate(d.birthDate) : null],
      ['address', address],
      ['country', country(c.country) + (c.region ? ' (' + c.region + ')' : '')],
      ['documentType', documentType(c.documentType)],
      ['documentCountry', country(c.documentCountry)],
      ['email', c.email],
      ['username', c.username !== c.email ? c.username : null],
      ['submittedAt', dateTime(c.submittedAt)],
      ['attempt', c.attempt],
      ['levelRequested', c.levelRequested],
      ['decidedAt', c.decidedAt ? dateTime(c.decidedAt) : null],
      ['levelGranted', c.levelGranted],
      ['reasons', (c.reasons || []).map(function (r) { return t('tillitReviewerReason.' + r); }).join(', ')],
      ['resubmitDocuments', (c.resubmitDocuments || []).map(function (k) { return t('tillitReviewerPicture.' + k); }).join(', ')]
    ].forEach(function (row) {
      if (row[1] === null || row[1] === undefined || row[1] === '') { return; }
      var dt = el('dt', null, t('tillitReviewerField.' + row[0]));
      var dd = el('dd');
      // A long address may break after its @, not in the middle of a word.
      String(row[1]).split('@').forEach(function (part, i) {
        if (i > 0) { dd.append('@', document.createElement('wbr')); }
        dd.append(part);
      });
      dd.id = 'tillit-review-field-' + row[0];
      details.append(dt, dd);
    });

    var pictures = $('tillit-review-pictures');
    pictures.textContent = '';
    var order = ['front', 'back', 'selfie', 'selfie_left', 'selfie_right'];
    (c.documents || []).slice().sort(function (a, b) { return order.indexOf(a.kind) - order.indexOf(b.kind); })
      .forEach(function (doc) { pictures.append(picture(c.id, doc.kind)); });

    var own = tokens && c.userId === tokens.sub;
    show('tillit-review-decision', c.status === 'pending' && !own);
    if (own) { notice(t('tillitReviewerErrorOwnCase'), true); }
    else if (c.status !== 'pending') { notice(t('tillitReviewerReadOnly', t('tillitReviewerStatus.' + c.status))); }
    resetDecisionForm();
    window.scrollTo(0, 0);
    $('tillit-review-case-title').focus({ preventScroll: true });
  }

  // One picture: fetched with the token, shown from memory through a blob: URL.
  function picture(caseId, kind) {
    var figure = el('figure', 'tillit-review-picture');
    figure.id = 'tillit-review-picture-' + kind;
    var caption = el('figcaption', null, t('tillitReviewerPicture.' + kind));
    var img = document.createElement('img');
    img.alt = t('tillitReviewerPicture.' + kind);
    img.hidden = true;
    var state = el('p', 'tillit-review-muted', t('tillitReviewerPictureLoading'));
    var link = el('a', 'tillit-review-picture-link');
    link.target = '_blank';
    link.rel = 'noopener';
    link.append(img);
    figure.append(link, state, caption);
    api('/cases/' + encodeURIComponent(caseId) + '/documents/' + kind).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.blob();
    }).then(function (blob) {
      if (!current || current.id !== caseId) { return; }
      var url = URL.createObjectURL(blob);
      blobUrls.push(url);
      img.addEventListener('load', function () { figure.classList.add('tillit-review-picture-loaded'); });
      img.src = url;
      link.href = url;
      img.hidden = false;
      state.remove();
    }).catch(function () {
      state.textContent = t('tillitReviewerPictureFailed');
      state.className = 'tillit-review-error-text';
    });
    return figure;
  }

  function leaveCase() {
    blobUrls.forEach(function (u) { URL.revokeObjectURL(u); });
    blobUrls = [];
    current = null;
    notice(null);
  }

  // ---- Deciding -----------------------------------------------------------------------------

  function outcome() {
    return document.querySelector('input[name=outcome]:checked').value;
  }

  function checked(name) {
    return Array.prototype.map.call(document.querySelectorAll('input[name=' + name + ']:checked'), function (i) { return i.value; });
  }

  function resetDecisionForm() {
    $('tillit-review-decide').reset();
    decisionChanged();
  }

  function decisionChanged() {
    var o = outcome();
    show('tillit-review-level-group', o === 'approve');
    show('tillit-review-documents-group', o === 'resubmission');
    show('tillit-review-reasons-group', o !== 'approve');
    $('tillit-review-decide-button').textContent = t('tillitReviewerConfirm.' + o);
    $('tillit-review-decide-button').classList.toggle('pf-m-danger', o === 'reject');
    formError(null);
  }

  function formError(key) {
    var p = $('tillit-review-decide-error');
    p.textContent = key ? t(key) : '';
    p.hidden = !key;
  }

  function decide(event) {
    event.preventDefault();
    formError(null);
    var o = outcome();
    var body;
    if (o === 'approve') {
      body = { level: Number(checked('level')[0]) };
    } else {
      body = { reasons: checked('reasons') };
      if (o === 'resubmission') {
        body.documents = checked('documents');
        if (body.documents.length === 0) { formError('tillitReviewerNeedDocument'); return; }
      }
      if (body.reasons.length === 0) { formError('tillitReviewerNeedReason'); return; }
    }
    var button = $('tillit-review-decide-button');
    button.disabled = true;
    var id = current.id;
    api('/cases/' + encodeURIComponent(id) + '/' + o, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    }).then(function (r) {
      button.disabled = false;
      if (r.ok) {
        return r.json().then(function (decision) {
          return openCase(id).then(function () {
            notice(t('tillitReviewerDone.' + decision.status, decision.level));
          });
        });
      }
      return r.json().catch(function () { return {}; }).then(function (answer) {
        var own = r.status === 403 && answer && /own/.test(answer.error || '');
        var key = own ? 'tillitReviewerErrorOwnCase' : failed(r);
        if (r.status === 409 || r.status === 404) {
          // Show the case as it is now, with why nothing changed.
          return openCase(id).then(function () {
            notice(null);
            alertText(key);
          });
        }
        formError(key);
      });
    }).catch(function (e) {
      button.disabled = false;
      networkProblem(e);
    });
  }

  // ---- Formatting ---------------------------------------------------------------------------

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  var regionNames = (typeof Intl.DisplayNames === 'function') ? new Intl.DisplayNames([config.lang], { type: 'region' }) : null;

  function country(code) {
    if (!code) { return ''; }
    try { return regionNames ? regionNames.of(code) + ' (' + code + ')' : code; } catch (e) { return code; }
  }

  function documentType(type) {
    return type ? t('tillitReviewerDocType.' + type) : '';
  }

  function dateTime(millis) {
    if (!millis) { return ''; }
    return new Intl.DateTimeFormat(config.lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(millis));
  }

  // A birth date is a calendar date, not an instant: formatted in UTC so no time zone moves it a day.
  function birthDate(iso) {
    var d = new Date(iso + 'T00:00:00Z');
    if (isNaN(d.getTime())) { return iso; }
    var age = Math.floor((Date.now() - d.getTime()) / (365.2425 * 24 * 3600 * 1000));
    return new Intl.DateTimeFormat(config.lang, { dateStyle: 'long', timeZone: 'UTC' }).format(d) + ' · '
      + t('tillitReviewerAge', age);
  }

  // ---- Start --------------------------------------------------------------------------------

  function start() {
    var button = $('tillit-review-sign-in-button');
    if (!button) { return; }   // the realm has no review client: the page says so
    button.addEventListener('click', signIn);
    $('tillit-review-sign-out').addEventListener('click', signOut);
    $('tillit-review-set-up').addEventListener('click', function () { signIn('CONFIGURE_TOTP'); });
    $('tillit-review-back').addEventListener('click', function () { loadQueue(); });
    $('tillit-review-filters').addEventListener('submit', function (e) { e.preventDefault(); loadQueue(); });
    $('tillit-review-status').addEventListener('change', function () { loadQueue(); });
    $('tillit-review-decide').addEventListener('submit', decide);
    // A complaint about the form goes as soon as the form changes.
    $('tillit-review-decide').addEventListener('change', function () { formError(null); });
    Array.prototype.forEach.call(document.querySelectorAll('input[name=outcome]'), function (r) {
      r.addEventListener('change', decisionChanged);
    });
    $('tillit-review-case-title').tabIndex = -1;
    finishSignIn().then(function (signedIn) {
      if (signedIn) {
        showSignedIn(true);
        loadQueue();
      } else {
        button.disabled = false;
      }
    });
  }

  start();
}());
