// Small helpers for evidence.sh (JSON, JWT, HTML forms, PKCE, URLs). No network access.
//   node evidence-tools.mjs <command> args...
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';

const [cmd, ...args] = process.argv.slice(2);
const read = (f) => fs.readFileSync(f, 'utf8');
const attrs = (tag) => {
  const out = {};
  for (const m of tag.matchAll(/([a-zA-Z_:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    out[m[1].toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? '';
  }
  return out;
};
const unescape = (s) => s.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');

// Forms of a page: [{action, method, fields: [[name, value, type]], buttons: [{name, value, text}]}]
function forms(html) {
  const result = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const a = attrs(m[1]);
    const form = { action: unescape(a.action ?? ''), method: (a.method ?? 'get').toUpperCase(), fields: [], buttons: [] };
    for (const t of m[2].matchAll(/<(input|button|select|textarea)\b([^>]*)>(?:([\s\S]*?)<\/\1>)?/gi)) {
      const ta = attrs(t[2]);
      const tag = t[1].toLowerCase();
      if (tag === 'button' || (tag === 'input' && ta.type === 'submit')) {
        form.buttons.push({ name: ta.name, value: ta.value, text: (t[3] ?? '').trim(), type: ta.type ?? 'submit' });
      } else {
        form.fields.push([ta.name, unescape(ta.value ?? ''), tag === 'input' ? (ta.type ?? 'text') : tag, 'required' in ta]);
      }
    }
    result.push(form);
  }
  return result;
}
const links = (html) => [...html.matchAll(/<a\b([^>]*)>([\s\S]*?)<\/a>/gi)].map((m) => ({ href: unescape(attrs(m[1]).href ?? ''), text: m[2].trim() }));

switch (cmd) {
  case 'json': { // json FILE KEY -> value (strings raw, others as JSON); empty if absent
    let v;
    try { v = JSON.parse(read(args[0]))[args[1]]; } catch { v = undefined; }
    if (v !== undefined) console.log(typeof v === 'string' ? v : JSON.stringify(v));
    break;
  }
  case 'body': { // body FILE: JSON bodies pretty on one line, long token values shortened
    const text = read(args[0]);
    let j;
    try { j = JSON.parse(text); } catch { process.stdout.write(text.slice(0, 800) + (text.endsWith('\n') ? '' : '\n')); break; }
    if (args[1] !== 'full' && j && typeof j === 'object') {
      for (const k of ['access_token', 'refresh_token', 'id_token']) {
        if (typeof j[k] === 'string' && j[k].length > 60) j[k] = `${j[k].slice(0, 24)}…(${j[k].length} chars, JWT)`;
      }
    }
    console.log(JSON.stringify(j));
    break;
  }
  case 'pretty': console.log(JSON.stringify(JSON.parse(read(args[0])), null, 2)); break;
  case 'same-json': { // same-json A B -> "identical" or the differing keys
    const a = JSON.parse(read(args[0])); const b = JSON.parse(read(args[1]));
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    console.log(keys.length ? `differ in: ${keys.join(', ')}` : 'identical');
    break;
  }
  case 'jwt': { // jwt TOKEN -> header and payload
    const parts = (args[0] ?? '').split('.');
    if (parts.length !== 3) { console.log(`not a JWT (${(args[0] ?? '').length} chars)`); break; }
    const dec = (p) => JSON.parse(Buffer.from(p, 'base64url').toString());
    console.log(`JWT header:  ${JSON.stringify(dec(parts[0]))}`);
    console.log(`JWT payload: ${JSON.stringify(dec(parts[1]))}`);
    break;
  }
  case 'tamper': { // tamper TOKEN -> same JWT with the last signature character changed
    const t = args[0];
    console.log(t.slice(0, -2) + (t.at(-2) === 'A' ? 'B' : 'A') + t.at(-1));
    break;
  }
  case 'page': { // page FILE -> one-line summary of an HTML page and its forms
    const html = read(args[0]);
    const title = /<title>([^<]*)<\/title>/i.exec(html)?.[1];
    const h1 = /<h1>([^<]*)<\/h1>/i.exec(html)?.[1]?.trim();
    const pre = [...html.matchAll(/<pre><strong>([^<]*)<\/strong>: ([^<]*)<\/pre>/g)].map((m) => `${m[1]}=${unescape(m[2])}`);
    const fs_ = forms(html).map((f) => `form ${f.method} ${f.action} fields[${f.fields.map(([n, v, t, r]) => `${n}${t === 'hidden' ? `=${v}` : ''} (${t}${r ? ', required' : ''})`).join('; ')}] buttons[${f.buttons.map((b) => `${b.name ? `name=${b.name} ` : 'no name, '}text="${b.text}"`).join('; ')}]`);
    const ls = links(html).map((l) => `link "${l.text}" -> ${l.href}`);
    const items = [...html.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => unescape(m[1].trim())).filter(Boolean);
    if (!title) {
      console.log(`[html ${html.length} bytes: "${unescape(html.replace(/<[^>]*>/g, '').trim()).slice(0, 200)}"]`);
      break;
    }
    console.log(`[html ${html.length} bytes; title "${title}"; h1 "${h1}"${pre.length ? `; ${pre.join('; ')}` : ''}]`);
    for (const line of [...fs_, ...ls]) console.log(`  ${line}`);
    if (items.length) console.log(`  list items: ${items.join(' | ')}`);
    break;
  }
  case 'form-data': { // form-data FILE [name=value...] -> urlencoded fields of the first POST form, with overrides
    const f = forms(read(args[0])).find((x) => x.method === 'POST');
    const data = new URLSearchParams(f.fields.filter(([n]) => n).map(([n, v]) => [n, v]));
    for (const kv of args.slice(1)) { const i = kv.indexOf('='); data.set(kv.slice(0, i), kv.slice(i + 1)); }
    console.log(data.toString());
    break;
  }
  case 'form-action': console.log(forms(read(args[0])).find((x) => x.method === 'POST')?.action ?? ''); break;
  case 'link': { // link FILE TEXT -> href of the first link whose text contains TEXT
    console.log(links(read(args[0])).find((l) => l.text.includes(args[1]))?.href ?? '');
    break;
  }
  case 'prompt': { // prompt FILE -> value of the hidden "prompt" field (login | consent) or empty
    const f = forms(read(args[0])).find((x) => x.method === 'POST');
    console.log(f?.fields.find(([n]) => n === 'prompt')?.[1] ?? '');
    break;
  }
  case 'qparam': console.log(new URL(args[0], 'http://x').searchParams.get(args[1]) ?? ''); break;
  case 'query': { // query URL -> its query parameters, or its fragment's when it has one
    const u = new URL(args[0], 'http://x');
    const p = u.hash ? new URLSearchParams(u.hash.slice(1)) : u.searchParams;
    console.log(`${u.hash ? '(fragment) ' : ''}${JSON.stringify(Object.fromEntries(p))}`);
    break;
  }
  case 'enc': console.log(encodeURIComponent(args[0])); break;
  case 'pkce': { // pkce -> "verifier challenge" (43-char verifier, S256)
    const v = crypto.randomBytes(32).toString('base64url');
    console.log(`${v} ${crypto.createHash('sha256').update(v).digest('base64url')}`);
    break;
  }
  default:
    console.error(`unknown command ${cmd}`);
    process.exit(2);
}
