// The rendered page as HTML for the suite's own reader (read.rs), with
// every form and control renamed `__oc<N>` (N: its place in
// `window.__oc`, where act.js finds it again), labels' `for` and controls'
// `form` renamed alike, the live state (typed values, checked boxes,
// selected options) written back as attributes, controls that are not
// rendered marked disabled, and controls outside any form gathered into
// one form of their own (`__ocloose`), as a script-driven page keeps them.
(() => {
  const SEL = 'form,input,select,textarea,button';
  const live = Array.from(document.querySelectorAll(SEL));
  const root = document.documentElement.cloneNode(true);
  const copies = Array.from(root.querySelectorAll(SEL));
  const first = new Map();
  copies.forEach((el, i) => {
    const id = el.getAttribute('id');
    if (id !== null && !first.has(id)) first.set(id, i);
  });
  const renamed = (id) => (first.has(id) ? '__oc' + first.get(id) : id);
  root.querySelectorAll('label[for]').forEach((l) => l.setAttribute('for', renamed(l.getAttribute('for'))));
  const loose = [];
  copies.forEach((el, i) => {
    const src = live[i];
    if (el.hasAttribute('form')) el.setAttribute('form', renamed(el.getAttribute('form')));
    el.setAttribute('id', '__oc' + i);
    if (src.tagName === 'FORM') return;
    const hidden = src.tagName === 'INPUT' && src.type === 'hidden';
    if (!hidden && src.getClientRects().length === 0) el.setAttribute('disabled', '');
    if (src.tagName === 'INPUT') {
      if (src.type === 'checkbox' || src.type === 'radio') {
        if (src.checked) el.setAttribute('checked', ''); else el.removeAttribute('checked');
      } else if (src.type !== 'password') {
        el.setAttribute('value', src.value);
      }
    }
    if (src.tagName === 'SELECT') {
      Array.from(el.options).forEach((o, k) => {
        if (src.options[k] && src.options[k].selected) o.setAttribute('selected', ''); else o.removeAttribute('selected');
      });
    }
    if (!src.form) loose.push(el);
  });
  if (loose.length > 0) {
    const form = document.createElement('form');
    form.setAttribute('id', '__ocloose');
    form.setAttribute('method', 'post');
    form.setAttribute('action', location.href);
    (root.querySelector('body') || root).appendChild(form);
    loose.forEach((el) => el.setAttribute('form', '__ocloose'));
  }
  window.__oc = live;
  return { url: location.href, html: root.outerHTML, ready: document.readyState };
})()
