// Small enhancements for the server-rendered pages. Everything works without this file.
(function () {
  'use strict';
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';

  // Forms that ask before doing something hard to undo.
  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (e) {
      if (!window.confirm(form.getAttribute('data-confirm'))) e.preventDefault();
    });
  });

  // Move focus to the error summary so screen-reader users hear it first.
  var summary = document.getElementById('form-errors');
  if (summary) summary.focus();

  var form = document.querySelector('form[data-tier-preview]');
  if (!form) return;
  var crossBorder = form.querySelector('#profile-crossBorder');
  var transfer = form.querySelector('#transfer-countries');
  var body = document.getElementById('tier-preview-body');
  var labels = JSON.parse(document.getElementById('tier-preview-labels').content.textContent || '{}');

  function syncTransfer() {
    if (transfer && crossBorder) transfer.hidden = !crossBorder.checked;
  }

  function profile() {
    var checked = function (name) {
      return Array.prototype.map.call(form.querySelectorAll('input[name="' + name + '"]:checked'), function (i) { return i.value; });
    };
    var value = function (name) { return form.querySelector('[name="' + name + '"]').value; };
    return {
      dataCategories: checked('profile.dataCategories'),
      volumeBand: value('profile.volumeBand'),
      accessLevel: value('profile.accessLevel'),
      criticality: value('profile.criticality'),
      crossBorder: crossBorder.checked,
    };
  }

  function text(tag, content, cls) {
    var el = document.createElement(tag);
    el.textContent = content;
    if (cls) el.className = cls;
    return el;
  }

  function render(r) {
    body.textContent = '';
    var head = document.createElement('p');
    head.className = 'tier-line';
    var badge = text('span', labels.tier[r.tier], 'badge tier-' + r.tier);
    head.appendChild(badge);
    head.appendChild(document.createTextNode(' ' + r.score + ' ' + labels.points));
    body.appendChild(head);
    var table = document.createElement('table');
    table.className = 'breakdown';
    var tb = document.createElement('tbody');
    r.breakdown.forEach(function (l) {
      var tr = document.createElement('tr');
      tr.appendChild(text('th', labels.factor[l.factor]));
      tr.appendChild(text('td', labels.value[l.factor + '.' + l.value] || l.value));
      tr.appendChild(text('td', String(l.points), 'num'));
      tb.appendChild(tr);
    });
    table.appendChild(tb);
    body.appendChild(table);
    if (r.floors.length) body.appendChild(text('p', labels.floor, 'note'));
    body.appendChild(text('p', labels.review.replace('{months}', String(r.reviewIntervalMonths)), 'hint'));
  }

  var timer;
  function update() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch('/api/vendors/tier-preview', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify(profile()),
      })
        .then(function (res) { return res.ok ? res.json() : Promise.reject(res.status); })
        .then(render)
        .catch(function () { body.textContent = ''; body.appendChild(text('p', labels.error, 'muted')); });
    }, 200);
  }

  form.addEventListener('change', function () { syncTransfer(); update(); });
  syncTransfer();
  update();
})();
