// The vendor portal's enhancements: autosave, conditional questions, uploads with progress.
// Every page works without this file (plain forms post to /portal/...).
(function () {
  'use strict';
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';
  document.documentElement.className += ' js';

  // Move focus to the error summary so screen-reader users hear it first.
  var summary = document.getElementById('form-errors');
  if (summary) summary.focus();

  var root = document.querySelector('[data-portal]');
  var labelsEl = document.getElementById('portal-labels');
  if (!root || !labelsEl) return;
  var labels = JSON.parse(labelsEl.content.textContent || '{}');

  var DELAY = 800;
  var timers = {};
  var inflight = {};
  var again = {};

  function questionEl(key) { return document.getElementById('q-' + key); }
  function named(el, prefix, key) {
    return Array.prototype.filter.call(el.querySelectorAll('input, textarea, select'), function (i) { return i.name === prefix + key; });
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? String(values[k]) : m; });
  }
  function text(tag, content, cls) {
    var el = document.createElement(tag);
    el.textContent = content;
    if (cls) el.className = cls;
    return el;
  }

  function valueOf(el) {
    var key = el.getAttribute('data-key');
    var type = el.getAttribute('data-type');
    if (type === 'file') return undefined;
    var inputs = named(el, 'value.', key);
    if (type === 'multi_choice') {
      var list = inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
      return list.length ? list : null;
    }
    if (type === 'yes_no' || type === 'yes_no_na' || type === 'single_choice') {
      var on = inputs.filter(function (i) { return i.checked; })[0];
      return on ? on.value : null;
    }
    var v = inputs[0] ? inputs[0].value : '';
    if (v.trim() === '') return null;
    return type === 'text' ? v : v.trim();
  }

  function commentOf(el) {
    var c = named(el, 'comment.', el.getAttribute('data-key'))[0];
    if (!c) return undefined;
    return c.value.trim() === '' ? null : c.value;
  }

  function versionInput(el) { return named(el, 'version.', el.getAttribute('data-key'))[0]; }

  function setInputs(el, value, comment) {
    var key = el.getAttribute('data-key');
    named(el, 'value.', key).forEach(function (i) {
      if (i.type === 'radio') i.checked = i.value === value;
      else if (i.type === 'checkbox') i.checked = Array.isArray(value) && value.indexOf(i.value) >= 0;
      else i.value = value === null || value === undefined ? '' : String(value);
    });
    var c = named(el, 'comment.', key)[0];
    if (c) c.value = comment || '';
  }

  /** An answer as text: the labels of the chosen options, or the value itself. */
  function shown(el, value) {
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) return labels.noAnswer;
    var list = Array.isArray(value) ? value : [value];
    return list.map(function (v) {
      var input = named(el, 'value.', el.getAttribute('data-key')).filter(function (i) { return (i.type === 'radio' || i.type === 'checkbox') && i.value === String(v); })[0];
      var label = input && document.querySelector('label[for="' + input.id + '"]');
      return label ? label.textContent.trim() : String(v);
    }).join(', ');
  }

  function hasAnswer(value) {
    if (value === null || value === undefined) return false;
    if (typeof value === 'string') return value.trim() !== '';
    if (Array.isArray(value)) return value.length > 0;
    return true;
  }

  function status(key, message, kind, retry) {
    var st = document.getElementById('st-' + key);
    if (!st) return;
    st.textContent = message;
    st.className = 'save-status' + (kind ? ' ' + kind : '');
    if (retry) {
      var b = text('button', labels.retry, 'link');
      b.type = 'button';
      b.addEventListener('click', function () { save(key); });
      st.appendChild(document.createTextNode(' '));
      st.appendChild(b);
    }
  }

  function fieldError(el, message) {
    var key = el.getAttribute('data-key');
    var id = 'e-' + key;
    var existing = document.getElementById(id);
    var target = el.querySelector('fieldset.answer') || named(el, 'value.', key)[0] || named(el, 'comment.', key)[0];
    if (!message) {
      if (existing) existing.parentNode.removeChild(existing);
      if (target) target.removeAttribute('aria-invalid');
      return;
    }
    if (!existing) {
      existing = text('p', '', 'field-error');
      existing.id = id;
      var anchor = el.querySelector('.field.comment');
      el.insertBefore(existing, anchor);
    }
    existing.textContent = message;
    if (target) {
      target.setAttribute('aria-invalid', 'true');
      var ids = (target.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
      if (ids.indexOf(id) < 0) target.setAttribute('aria-describedby', ids.concat(id).join(' '));
    }
  }

  function clearConflict(key) {
    var box = document.getElementById('x-' + key);
    if (box) box.parentNode.removeChild(box);
  }

  function showConflict(el, current) {
    var key = el.getAttribute('data-key');
    clearConflict(key);
    var box = document.createElement('div');
    box.className = 'conflict';
    box.id = 'x-' + key;
    box.setAttribute('role', 'alert');
    var head = document.createElement('p');
    head.appendChild(text('strong', labels.conflict));
    box.appendChild(head);
    var dl = document.createElement('dl');
    dl.className = 'facts';
    dl.appendChild(text('dt', labels.conflictSaved));
    var saved = text('dd', shown(el, current.value) + (current.comment ? ' — ' + labels.comment + ': ' + current.comment : ''), 'conflict-saved prewrap');
    dl.appendChild(saved);
    var mineComment = commentOf(el);
    dl.appendChild(text('dt', labels.conflictYours));
    dl.appendChild(text('dd', shown(el, valueOf(el)) + (mineComment ? ' — ' + labels.comment + ': ' + mineComment : ''), 'conflict-yours prewrap'));
    box.appendChild(dl);
    var actions = document.createElement('p');
    actions.className = 'form-actions';
    var keep = text('button', labels.keepMine, 'primary');
    keep.type = 'button';
    keep.addEventListener('click', function () {
      versionInput(el).value = String(current.version);
      clearConflict(key);
      save(key);
    });
    var take = text('button', labels.takeSaved, 'secondary');
    take.type = 'button';
    take.addEventListener('click', function () {
      setInputs(el, current.value, current.comment);
      versionInput(el).value = String(current.version);
      el.setAttribute('data-answered', String(hasAnswer(current.value)));
      clearConflict(key);
      status(key, labels.tookSaved, 'ok');
      refresh();
    });
    actions.appendChild(keep);
    actions.appendChild(take);
    box.appendChild(actions);
    var anchor = el.querySelector('.field.comment');
    el.insertBefore(box, anchor);
  }

  function problemOf(res) {
    return res.json().catch(function () { return {}; });
  }

  function schedule(key) {
    clearTimeout(timers[key]);
    timers[key] = setTimeout(function () { delete timers[key]; save(key); }, DELAY);
  }

  function save(key) {
    var el = questionEl(key);
    if (!el) return;
    if (inflight[key]) { again[key] = true; return; }
    clearTimeout(timers[key]);
    delete timers[key];
    var body = { baseVersion: Number(versionInput(el).value) };
    var value = valueOf(el);
    if (value !== undefined) body.value = value;
    var comment = commentOf(el);
    if (comment !== undefined) body.comment = comment;
    inflight[key] = true;
    status(key, labels.saving, 'busy');
    fetch('/api/portal/answers/' + encodeURIComponent(key), {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body),
    })
      .then(function (res) {
        if (res.ok) {
          return res.json().then(function (r) {
            versionInput(el).value = String(r.version);
            el.setAttribute('data-answered', String(el.getAttribute('data-type') === 'file' ? el.querySelectorAll('.files li').length > 0 : hasAnswer(r.value)));
            fieldError(el, null);
            clearConflict(key);
            applyVisible(r.visible);
            updateProgress(r.progress);
            status(key, labels.saved, 'ok');
          });
        }
        return problemOf(res).then(function (p) {
          if (res.status === 409 && p.code === 'assessment.answer_conflict' && p.current) {
            showConflict(el, p.current);
            status(key, labels.failed, 'error');
          } else if (res.status === 400 && p.errors && p.errors.length) {
            var e = p.errors[0];
            var rule = (e.path === 'comment' ? 'comment_' : '') + (e.rule || '');
            fieldError(el, labels.errors[rule] || p.detail || p.title);
            status(key, labels.failed, 'error');
          } else {
            status(key, labels.failed, 'error', true);
          }
        });
      })
      .catch(function () { status(key, labels.failed, 'error', true); })
      .then(function () {
        inflight[key] = false;
        if (again[key]) { again[key] = false; save(key); }
      });
  }

  function applyVisible(visible) {
    var set = {};
    visible.forEach(function (k) { set[k] = true; });
    Array.prototype.forEach.call(root.querySelectorAll('.question[data-key]'), function (q) {
      q.hidden = !set[q.getAttribute('data-key')];
    });
  }

  function updateProgress(p) {
    var bar = document.getElementById('progress-bar');
    var line = document.getElementById('progress-text');
    if (bar) { bar.max = Math.max(p.visible, 1); bar.value = p.answered; }
    if (line) line.textContent = fill(labels.progress, { answered: p.answered, visible: p.visible });
    Array.prototype.forEach.call(root.querySelectorAll('[data-section]'), function (s) {
      var qs = Array.prototype.filter.call(s.querySelectorAll('.question[data-key]'), function (q) { return !q.hidden; });
      var answered = qs.filter(function (q) { return q.getAttribute('data-answered') === 'true'; }).length;
      var line2 = s.querySelector('[data-section-progress]');
      if (line2) line2.textContent = fill(labels.sectionProgress, { answered: answered, visible: qs.length });
      var nav = root.querySelector('[data-nav-count="' + s.getAttribute('data-section') + '"]');
      if (nav) nav.textContent = answered + '/' + qs.length;
    });
  }

  /** Reloads visibility and progress after a change the answer API does not report (files). */
  function refresh() {
    fetch('/api/portal/assessment', { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (res) { return res.ok ? res.json() : Promise.reject(res.status); })
      .then(function (view) {
        var visible = [];
        view.sections.forEach(function (s) {
          s.questions.forEach(function (q) {
            if (q.visible) visible.push(q.key);
            var el = questionEl(q.key);
            if (el) el.setAttribute('data-answered', String(q.type === 'file' ? q.files.length > 0 : hasAnswer(q.value)));
          });
        });
        applyVisible(visible);
        updateProgress({ visible: view.progress.visible, answered: view.progress.answered });
      })
      .catch(function () { /* the next save or page load brings it up to date */ });
  }

  function onEdit(e) {
    var t = e.target;
    if (!t.name || !(t.name.indexOf('value.') === 0 || t.name.indexOf('comment.') === 0)) return;
    var el = t.closest('.question[data-key]');
    if (!el || el.classList.contains('readonly')) return;
    schedule(el.getAttribute('data-key'));
  }
  root.addEventListener('input', onEdit);
  root.addEventListener('change', onEdit);

  function uploadStatus(form, message, kind) {
    var st = form.querySelector('.upload-status');
    st.textContent = message;
    st.className = 'upload-status' + (kind ? ' ' + kind : '');
  }

  function fileItem(key, file) {
    var li = document.createElement('li');
    li.setAttribute('data-file', file.id);
    var a = text('a', file.name);
    a.href = '/portal/evidence/' + file.id;
    li.appendChild(a);
    li.appendChild(document.createTextNode(' '));
    var kb = file.size >= 1048576 ? (file.size / 1048576).toFixed(1) + ' MB' : Math.max(1, Math.round(file.size / 1024)) + ' KB';
    li.appendChild(text('span', '(' + kb + ')', 'muted'));
    li.appendChild(document.createTextNode(' '));
    var form = document.createElement('form');
    form.method = 'post';
    form.action = '/portal/evidence/' + file.id + '/remove';
    form.className = 'inline';
    form.setAttribute('data-remove', file.id);
    [['_csrf', csrf], ['question', key]].forEach(function (f) {
      var i = document.createElement('input');
      i.type = 'hidden';
      i.name = f[0];
      i.value = f[1];
      form.appendChild(i);
    });
    var b = text('button', labels.remove, 'link');
    b.type = 'submit';
    b.appendChild(text('span', ' ' + file.name, 'visually-hidden'));
    form.appendChild(b);
    li.appendChild(form);
    return li;
  }

  // Uploads through the API, with the percentage sent (fetch cannot report upload progress).
  function upload(form) {
    var key = form.getAttribute('data-upload');
    var input = form.querySelector('input[type="file"]');
    var file = input.files && input.files[0];
    if (!file) { uploadStatus(form, labels.noFile, 'error'); return; }
    var data = new FormData();
    data.append('file', file, file.name);
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/portal/answers/' + encodeURIComponent(key) + '/evidence');
    xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) uploadStatus(form, fill(labels.uploading, { name: file.name, percent: Math.round((e.loaded / e.total) * 100) }), 'busy');
    });
    xhr.addEventListener('load', function () {
      var body = {};
      try { body = JSON.parse(xhr.responseText || '{}'); } catch (err) { body = {}; }
      if (xhr.status === 201 || xhr.status === 200) {
        document.getElementById('files-' + key).appendChild(fileItem(key, body));
        input.value = '';
        uploadStatus(form, fill(labels.uploaded, { name: body.name }), 'ok');
        refresh();
      } else {
        uploadStatus(form, labels.uploadErrors[body.code] || body.detail || body.title || labels.uploadFailed, 'error');
      }
    });
    xhr.addEventListener('error', function () { uploadStatus(form, labels.uploadFailed, 'error'); });
    uploadStatus(form, fill(labels.uploading, { name: file.name, percent: 0 }), 'busy');
    xhr.send(data);
  }

  function remove(form) {
    var id = form.getAttribute('data-remove');
    var el = form.closest('.question[data-key]');
    var upForm = el.querySelector('form[data-upload]');
    fetch('/api/portal/evidence/' + encodeURIComponent(id), { method: 'DELETE', credentials: 'same-origin', headers: { 'x-csrf-token': csrf } })
      .then(function (res) {
        if (res.status !== 204) return problemOf(res).then(function (p) { if (upForm) uploadStatus(upForm, p.detail || p.title || labels.uploadFailed, 'error'); });
        var li = form.closest('li');
        li.parentNode.removeChild(li);
        if (upForm) uploadStatus(upForm, labels.removed, 'ok');
        refresh();
      })
      .catch(function () { if (upForm) uploadStatus(upForm, labels.uploadFailed, 'error'); });
  }

  function busy() {
    return Object.keys(timers).length > 0 || Object.keys(inflight).some(function (k) { return inflight[k]; });
  }

  // The section's save button: save what is pending now, then post the form (which then finds nothing changed).
  function settleThenSubmit(form) {
    Object.keys(timers).forEach(save);
    (function wait() {
      if (busy()) { setTimeout(wait, 100); return; }
      form.submit();
    })();
  }

  root.addEventListener('submit', function (e) {
    var form = e.target;
    if (form.hasAttribute('data-upload')) { e.preventDefault(); upload(form); }
    else if (form.hasAttribute('data-remove')) { e.preventDefault(); remove(form); }
    else if (form.classList.contains('section-save') && busy()) { e.preventDefault(); settleThenSubmit(form); }
  });

  window.addEventListener('beforeunload', function (e) {
    if (!busy()) return;
    e.preventDefault();
    e.returnValue = labels.unsaved;
  });
})();
