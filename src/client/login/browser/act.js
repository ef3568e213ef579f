// Does what the driver decided, on the elements snapshot.js numbered:
// `set` gives values (typed the way a framework notices: the native value
// setter, then input and change events) and checked states; then `click`
// presses a control, or `submit` submits a form without a button, or
// `follow` follows a link (the page's own, clicked, when it has it).
(ops) => {
  const live = window.__oc || [];
  const fire = (el) => {
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  };
  for (const op of ops.set) {
    const el = live[op.i];
    if (!el) return 'the page changed under the driver';
    if (op.value !== undefined) {
      el.focus();
      const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(el), 'value');
      if (setter && setter.set) setter.set.call(el, op.value); else el.value = op.value;
      fire(el);
    }
    if (op.checked !== undefined && el.checked !== op.checked) {
      el.checked = op.checked;
      fire(el);
    }
  }
  if (ops.click !== undefined) {
    const el = live[ops.click];
    if (!el) return 'the page changed under the driver';
    el.click();
  } else if (ops.submit !== undefined) {
    const form = live[ops.submit];
    if (!form || form.tagName !== 'FORM') return 'no form to submit';
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  } else if (ops.follow !== undefined) {
    const link = Array.from(document.links).find((a) => a.href === ops.follow);
    if (link) link.click(); else location.assign(ops.follow);
  }
  return 'ok';
}
