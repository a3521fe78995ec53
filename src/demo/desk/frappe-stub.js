// A minimal stand-in for the Frappe v15 desk, just enough to run the real ask_ai.js in a plain page:
// the global `frappe` (boot, csrf_token, routing, utils, msgprint), `__`, an Awesomplete-like
// dropdown, frappe.search.AwesomeBar with v15's method names and input/select behaviour
// (awesome_bar.js: setup, add_defaults, build_options, set_specifics, add_help, deduplicate), and
// frappe.ui.Dialog (fields_dict[..].wrapper/$wrapper, get_values, show, hide, onhide).
//
// Load order mirrors www/app.html: this file (boot + desk bundle), then the app bundle
// (/demo/desk/js/frappe_mcp_gateway.bundle.js), then on DOMContentLoaded the "toolbar" creates the
// Awesome Bar.
//
// Query parameters: ?mode=relay|proxy|cross-site  ?path=/mcp-gateway  ?url=<gateway URL, cross-site>
// ?csrf_token=<token from your desk>. A test may set window.__demo_boot__ (bootinfo.mcp_gateway as the
// app's boot_session hook computed it) and window.__demo_frappe_version__ (e.g. "16.9.0": record
// links then go to /desk/…) before this file runs.
(function () {
  'use strict';

  const params = new URLSearchParams(window.location.search);

  // ------------------------------------------------------------------ translation and utils

  window.__ = function (txt, replace) {
    if (typeof txt !== 'string' || !txt) return txt;
    if (replace && typeof replace === 'object') {
      return txt.replace(/\{(\d+)\}/g, (m, i) => (i in replace ? String(replace[i]) : m));
    }
    return txt;
  };

  const frappe = (window.frappe = window.frappe || {});
  frappe.provide = function (ns) {
    let obj = window;
    for (const part of ns.split('.')) obj = obj[part] = obj[part] || {};
    return obj;
  };

  const mode = params.get('mode');
  frappe.boot = {
    desk_settings: { search_bar: 1 },
    user: { name: 'demo@example.com' },
    versions: { frappe: window.__demo_frappe_version__ || '15.75.0' },
    sysdefaults: { currency: 'USD', date_format: 'dd-mm-yyyy', number_format: '#,###.##' },
    mcp_gateway: window.__demo_boot__ || {
      enabled: true,
      mode: mode === 'relay' || mode === 'cross-site' ? mode : 'proxy',
      path: params.get('path') || '',
      ...(params.get('url') ? { url: params.get('url') } : {}),
      allowed: true,
    },
  };
  // In the real desk this is the session's token, printed into app.html. Here: paste yours, or sign in
  // as a demo user (below), which sets it from the login's answer.
  frappe.csrf_token = params.get('csrf_token') || '';
  frappe.session = { user: frappe.boot.user.name, user_fullname: frappe.boot.user.name };

  frappe.utils = {
    // v15 frappe.utils.escape_html
    escape_html(txt) {
      if (!txt) return '';
      const map = {
        '&': '&amp;',
        '<': '&lt;',
        '>': '&gt;',
        '"': '&quot;',
        "'": '&#39;',
        '/': '&#x2F;',
        '`': '&#x60;',
        '=': '&#x3D;',
      };
      return String(txt).replace(/[&<>"'`=/]/g, (c) => map[c]);
    },
    xss_sanitise(txt) {
      return frappe.utils.escape_html(txt);
    },
    // v15 frappe.utils.get_form_link(doctype, name) without html: "/app/<doctype-slug>/<name>"
    get_form_link(doctype, name) {
      return `/app/${frappe.router.slug(doctype)}/${encodeURIComponent(name)}`;
    },
    get_random(len) {
      const chars = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
      return Array.from({ length: len }, () => chars[Math.floor(Math.random() * chars.length)]).join('');
    },
    debounce(fn, wait) {
      let timer = null;
      return function (...args) {
        clearTimeout(timer);
        timer = setTimeout(() => fn.apply(this, args), wait);
      };
    },
  };

  // v15 frappe.format for the types the answers carry: Currency in the row's currency (its `options`
  // names the row's currency field) or the site default, with two decimals; Date as dd-mm-yyyy; other
  // types as they came. Returns HTML, as the desk's formatter does.
  const SYMBOLS = { USD: '$', EUR: '€', GBP: '£', INR: '₹' };
  frappe.format = function (value, df, options, doc) {
    if (value == null || value === '') return '';
    const type = df && df.fieldtype;
    if (type === 'Currency' || type === 'Float' || type === 'Int' || type === 'Percent') {
      const n = Number(value);
      const digits = type === 'Int' ? 0 : 2;
      const text = n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
      if (type === 'Percent') return `${text}%`;
      if (type !== 'Currency') return text;
      const field = df.options && doc && typeof doc[df.options] === 'string' ? doc[df.options] : null;
      const currency = field || frappe.boot.sysdefaults.currency;
      const shown = `${SYMBOLS[currency] || currency} ${text}`;
      return options && options.inline ? shown : `<div style="text-align: right">${shown}</div>`;
    }
    if (type === 'Date') {
      const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(value));
      return m ? `${m[3]}-${m[2]}-${m[1]}` : String(value);
    }
    return String(value);
  };

  // ------------------------------------------------------------------ routing (no real pages)

  frappe.demo = { route: ['List', 'Customer'], routes: [], opened: [] };

  frappe.router = {
    slug(name) {
      return String(name).toLowerCase().replace(/ /g, '-');
    },
    make_url(route) {
      return (
        '/app/' +
        route
          .map((p, i) => (i === 0 ? '' : frappe.router.slug(p)))
          .filter(Boolean)
          .join('/')
      );
    },
  };
  frappe.get_route = () => frappe.demo.route.slice();
  frappe.set_route = function (...args) {
    const route = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
    frappe.demo.routes.push(route);
    frappe.demo.route = route.slice();
    toast(__('The desk would open {0}', [route.join(' / ')]));
    return Promise.resolve();
  };

  // Record links (from frappe.utils.get_form_link) would be handled by the desk router without a
  // reload; here they show where they lead and stay on the page.
  document.addEventListener('click', (e) => {
    const a = e.target instanceof Element ? e.target.closest("a[href^='/app/'], a[href^='/desk/']") : null;
    if (!a) return;
    e.preventDefault();
    frappe.demo.opened.push(a.getAttribute('href'));
    toast(__('The desk would open {0}', [a.getAttribute('href')]));
  });

  function toast(text) {
    let box = document.getElementById('demo-toast');
    if (!box) {
      box = document.createElement('div');
      box.id = 'demo-toast';
      box.setAttribute('role', 'status');
      document.body.append(box);
    }
    box.textContent = text;
    box.classList.add('show');
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => box.classList.remove('show'), 3000);
  }

  // ------------------------------------------------------------------ Awesomplete (the subset the desk uses)

  class Awesomplete {
    constructor(input, opts) {
      this.input = input;
      this.opts = Object.assign({ minChars: 2, maxItems: 10, autoFirst: false, sort: false }, opts);
      this._list = [];
      this.index = -1;
      this.isOpened = false;
      this.container = document.createElement('div');
      this.container.className = 'awesomplete';
      input.parentNode.insertBefore(this.container, input);
      this.container.append(input);
      this.ul = document.createElement('ul');
      this.ul.setAttribute('role', 'listbox');
      this.ul.id = 'awesomplete_list_' + Awesomplete.count++;
      this.ul.hidden = true;
      this.container.append(this.ul);
      input.setAttribute('autocomplete', 'off');
      input.setAttribute('aria-expanded', 'false');
      input.setAttribute('aria-owns', this.ul.id);

      input.addEventListener('blur', () => this.close());
      input.addEventListener('keydown', (e) => {
        if (!this.isOpened) return;
        if (e.key === 'Enter' && this.index > -1) {
          e.preventDefault();
          this.select();
        } else if (e.key === 'Escape') {
          this.close();
        } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          this.goto(this.index + (e.key === 'ArrowDown' ? 1 : -1));
        }
      });
      // mousedown, not click: it must win over the input's blur.
      this.ul.addEventListener('mousedown', (e) => {
        const li = e.target instanceof Element ? e.target.closest('li') : null;
        if (li && li.parentNode === this.ul && e.button === 0) {
          e.preventDefault();
          this.select(li);
        }
      });
    }

    set list(list) {
      this._list = list;
      if (document.activeElement === this.input) this.evaluate();
    }

    get list() {
      return this._list;
    }

    /** Frappe's addition (form/controls/link.js): the original item for a value. */
    get_item(value) {
      return this._list.find((item) => item.value === value);
    }

    evaluate() {
      const value = this.input.value;
      const suggestions = this._list
        .map((item) => this.opts.data(item, value))
        .filter((s) => this.opts.filter(s, value));
      if (this.opts.sort) suggestions.sort(this.opts.sort);
      this.suggestions = suggestions.slice(0, this.opts.maxItems);
      // As Awesomplete does: a re-render starts with no selection, so autoFirst marks the new first item.
      this.index = -1;
      this.ul.replaceChildren(...this.suggestions.map((s) => this.opts.item.call(this, s, value)));
      for (const li of this.ul.children) li.setAttribute('role', 'option');
      if (!this.suggestions.length) return this.close();
      this.open();
      return undefined;
    }

    open() {
      this.ul.hidden = false;
      this.isOpened = true;
      this.input.setAttribute('aria-expanded', 'true');
      if (this.opts.autoFirst && this.index === -1) this.goto(0);
      this.input.dispatchEvent(new CustomEvent('awesomplete-open'));
    }

    close() {
      if (!this.isOpened) return;
      this.ul.hidden = true;
      this.isOpened = false;
      this.index = -1;
      this.input.setAttribute('aria-expanded', 'false');
      this.input.dispatchEvent(new CustomEvent('awesomplete-close'));
    }

    goto(i) {
      const items = this.ul.children;
      if (!items.length) return;
      if (this.index > -1 && items[this.index]) items[this.index].setAttribute('aria-selected', 'false');
      this.index = (i + items.length) % items.length;
      items[this.index].setAttribute('aria-selected', 'true');
    }

    select(li) {
      const target = li || this.ul.children[this.index];
      if (!target) return;
      const suggestion = this.suggestions[Array.prototype.indexOf.call(this.ul.children, target)];
      const event = new CustomEvent('awesomplete-select', { cancelable: true });
      event.text = suggestion; // {label: index, value}
      this.input.dispatchEvent(event);
      if (!event.defaultPrevented) {
        this.input.value = suggestion.value;
        this.close();
        const done = new CustomEvent('awesomplete-selectcomplete');
        done.text = suggestion;
        this.input.dispatchEvent(done);
      }
    }
  }
  Awesomplete.count = 0;
  window.Awesomplete = Awesomplete;

  // ------------------------------------------------------------------ frappe.search (v15 shapes)

  frappe.provide('frappe.search');
  const DOCTYPES = ['Customer', 'Customer Group', 'Sales Order', 'Sales Invoice', 'Item', 'Supplier', 'Quotation'];

  frappe.search.utils = {
    searchable_functions: [],
    make_function_searchable(fn, label, args) {
      if (typeof fn !== 'function') throw new Error('First argument should be a function');
      this.searchable_functions.push({ label: label || fn.name, fn, args: args || [] });
    },
    get_doctypes(txt) {
      const needle = txt.toLowerCase();
      return DOCTYPES.filter((d) => d.toLowerCase().includes(needle)).map((d) => ({
        type: 'DocType',
        label: __('{0} List', [`<b>${__(d)}</b>`]),
        value: __('{0} List', [__(d)]),
        index: 30,
        route: ['List', d],
      }));
    },
    get_creatables(txt) {
      const m = /^new\s*(.*)$/i.exec(txt);
      if (!m) return [];
      const needle = m[1].toLowerCase();
      return DOCTYPES.filter((d) => d.toLowerCase().includes(needle)).map((d) => ({
        type: 'New',
        label: __('New {0}', [`<b>${__(d)}</b>`]),
        value: __('New {0}', [__(d)]),
        index: 40,
        match: d,
        onclick: () => frappe.set_route('Form', d, 'new'),
      }));
    },
    get_executables(txt) {
      const needle = txt.toLowerCase();
      return this.searchable_functions
        .filter((s) => s.label.toLowerCase().startsWith(needle))
        .map((s) => ({
          type: 'Executable',
          label: __('Execute {0}', [`<b>${frappe.utils.escape_html(s.label)}</b>`]),
          value: __('Execute {0}', [s.label]),
          index: 25,
          match: s.label,
          onclick: () => s.fn.apply(null, s.args),
        }));
    },
    get_recent_pages() {
      return [];
    },
    get_frequent_links() {
      return [{ label: __('Customer List'), value: __('Customer List'), index: 10, route: ['List', 'Customer'] }];
    },
  };

  frappe.search.AwesomeBar = class AwesomeBar {
    setup(element) {
      const me = this;
      const input = typeof element === 'string' ? document.querySelector(element) : element;
      this.options = [];
      this.global_results = [];

      const awesomplete = new Awesomplete(input, {
        minChars: 0,
        maxItems: 99,
        autoFirst: true,
        list: [],
        filter: () => true,
        data: (item) => ({ label: item.index || '', value: item.value }),
        item(item) {
          const d = this.get_item(item.value);
          const target = d.route ? (typeof d.route === 'string' ? d.route : frappe.router.make_url(d.route)) : '#';
          let html = `<span>${__(d.label || d.value)}</span>`;
          if (d.description && d.value !== d.description) {
            html += `<br><span class="text-muted ellipsis">${__(d.description)}</span>`;
          }
          const li = document.createElement('li');
          li.innerHTML = `<a style="font-weight:normal" href="${target}">${html}</a>`;
          return li;
        },
        sort: (a, b) => b.label - a.label,
      });
      input.awesomplete = awesomplete; // as v15 does, "to aid UI testing"
      this.awesomplete = awesomplete;

      input.addEventListener(
        'input',
        frappe.utils.debounce(function (e) {
          const txt = e.target.value.trim().replace(/\s\s+/g, ' ');
          const last_space = txt.lastIndexOf(' ');
          me.global_results = [];
          me.options = [];
          if (txt && txt.length > 1) {
            if (last_space !== -1) me.set_specifics(txt.slice(0, last_space), txt.slice(last_space + 1));
            me.add_defaults(txt);
            me.options = me.options.concat(me.build_options(txt));
            me.options = me.options.concat(me.global_results);
          } else {
            me.options = me.options.concat(me.deduplicate(frappe.search.utils.get_recent_pages(txt || '')));
            me.options = me.options.concat(frappe.search.utils.get_frequent_links());
          }
          me.add_help();
          awesomplete.list = me.deduplicate(me.options);
        }, 100),
      );
      input.addEventListener('focus', () => {
        if (!me.autocomplete_open) input.dispatchEvent(new Event('input'));
      });
      input.addEventListener('awesomplete-open', () => (me.autocomplete_open = true));
      input.addEventListener('awesomplete-close', () => (me.autocomplete_open = false));
      input.addEventListener('awesomplete-select', (e) => {
        const item = awesomplete.get_item(e.text.value);
        if (item.route_options) frappe.route_options = item.route_options;
        if (item.onclick) item.onclick(item.match);
        else frappe.set_route(item.route);
        input.value = '';
      });
      input.addEventListener('awesomplete-selectcomplete', () => {
        input.value = '';
        input.blur();
      });
      input.addEventListener('keydown', (e) => {
        if (e.key === 'Escape') input.blur();
      });
    }

    add_help() {
      this.options.push({
        value: __('Help on Search'),
        index: -10,
        default: 'Help',
        onclick() {
          frappe.msgprint(
            `<p>${__('Type <b>@ai</b> and a question, e.g. <b>@ai show me top 5 customers</b>.')}</p>`,
            __('Search Help'),
          );
        },
      });
    }

    set_specifics(txt, end_txt) {
      for (const r of this.build_options(txt)) {
        if (r.type && r.type.toLowerCase().indexOf(end_txt.toLowerCase()) === 0) this.options.push(r);
      }
    }

    add_defaults(txt) {
      this.make_global_search(txt);
      this.make_calculator(txt);
    }

    build_options(txt) {
      const u = frappe.search.utils;
      const options = [].concat(u.get_creatables(txt), u.get_doctypes(txt), u.get_executables(txt));
      return this.deduplicate(options).sort((a, b) => b.index - a.index);
    }

    deduplicate(options) {
      const out = [];
      const routes = [];
      for (const option of options) {
        if (option.route) {
          const str_route = typeof option.route === 'string' ? option.route : option.route.join('/');
          const old = routes.indexOf(str_route);
          if (old === -1) {
            out.push(option);
            routes.push(str_route);
          } else if (out[old].index < option.index && !option.recent) {
            out[old] = option;
          }
        } else {
          out.push(option);
          routes.push('');
        }
      }
      return out;
    }

    make_global_search(txt) {
      if (txt.charAt(0) === '#') return;
      this.options.push({
        label: `<span class="ellipsis">${__('Search for {0}', [`<b>${frappe.utils.xss_sanitise(txt)}</b>`])}</span>`,
        value: __('Search for {0}', [txt]),
        match: txt,
        index: 100,
        default: 'Search',
        onclick: () => toast(__('The desk would open global search for {0}', [txt])),
      });
    }

    make_calculator(txt) {
      const expr = txt.charAt(0) === '=' ? txt.slice(1) : txt;
      if (!/^[\d\s()+\-*/.]+$/.test(expr) || !/\d/.test(expr)) return;
      let val;
      try {
        val = Function(`"use strict"; return (${expr});`)();
      } catch (e) {
        return;
      }
      if (typeof val !== 'number' || !isFinite(val)) return;
      this.options.push({
        label: __('{0} = {1}', [frappe.utils.escape_html(expr), `<b>${val}</b>`]),
        value: __('{0} = {1}', [expr, val]),
        match: val,
        index: 80,
        default: 'Calculator',
        onclick: () => frappe.msgprint(String(val), __('Result')),
      });
    }
  };

  // ------------------------------------------------------------------ frappe.ui.Dialog

  frappe.provide('frappe.ui');
  frappe.ui.open_dialogs = [];

  frappe.ui.Dialog = class Dialog {
    constructor(opts) {
      this.opts = opts || {};
      this.fields_dict = {};
      this.make();
    }

    make() {
      const o = this.opts;
      const wrapper = (this.wrapper = document.createElement('div'));
      wrapper.className = 'modal fade';
      wrapper.setAttribute('tabindex', '-1');
      wrapper.setAttribute('role', 'dialog');
      wrapper.innerHTML = `
				<div class="modal-dialog ${o.size === 'large' ? 'modal-lg' : ''}">
					<div class="modal-content">
						<div class="modal-header">
							<h4 class="modal-title"></h4>
							<div class="modal-actions">
								<button type="button" class="btn btn-link btn-modal-minimize" title="Minimize">&#8211;</button>
								<button type="button" class="btn btn-link btn-modal-close" title="Close">&times;</button>
							</div>
						</div>
						<div class="modal-body"><div class="form-layout"></div></div>
						<div class="modal-footer">
							<button type="button" class="btn btn-primary btn-sm btn-modal-primary"></button>
						</div>
					</div>
				</div>`;
      this.$wrapper = wrap(wrapper);
      this.header = wrapper.querySelector('.modal-header');
      this.body = wrapper.querySelector('.form-layout');
      this.set_title(o.title || '');
      wrapper.querySelector('.btn-modal-minimize').hidden = !o.minimizable;
      wrapper
        .querySelector('.btn-modal-minimize')
        .addEventListener('click', () => wrapper.classList.toggle('modal-minimize'));
      wrapper.querySelector('.btn-modal-close').addEventListener('click', () => this.hide());

      for (const df of o.fields || []) this.make_field(df);

      const primary = (this.primary_button = wrapper.querySelector('.btn-modal-primary'));
      if (o.primary_action) {
        primary.textContent = o.primary_action_label || __('Submit');
        primary.addEventListener('click', () => o.primary_action.call(this, this.get_values()));
      } else {
        primary.hidden = true;
      }
      wrapper.addEventListener('keydown', (e) => {
        if (e.key === 'Escape') this.hide();
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && o.primary_action) primary.click();
      });
      document.body.append(wrapper);
    }

    make_field(df) {
      const control = document.createElement('div');
      control.className = 'frappe-control form-group';
      control.dataset.fieldtype = df.fieldtype;
      control.dataset.fieldname = df.fieldname;
      const field = { df, wrapper: control, $wrapper: wrap(control) };
      if (df.fieldtype !== 'HTML') {
        if (df.label) {
          const label = document.createElement('label');
          label.className = 'control-label';
          label.textContent = df.label;
          control.append(label);
        }
        const input = document.createElement(df.fieldtype === 'Small Text' ? 'textarea' : 'input');
        input.className = 'input-with-feedback form-control';
        input.dataset.fieldname = df.fieldname;
        if (input.tagName === 'TEXTAREA') input.rows = 2;
        input.value = df.default || '';
        control.append(input);
        field.input = input;
        field.get_value = () => input.value;
        field.set_value = (v) => {
          input.value = v == null ? '' : v;
          return Promise.resolve();
        };
      } else if (df.options) {
        control.innerHTML = df.options; // trusted: only the desk's own strings (msgprint)
      }
      this.body.append(control);
      this.fields_dict[df.fieldname] = field;
    }

    get_values() {
      const values = {};
      for (const [name, field] of Object.entries(this.fields_dict)) {
        if (field.get_value) values[name] = field.get_value();
      }
      return values;
    }

    get_value(fieldname) {
      const f = this.fields_dict[fieldname];
      return f && f.get_value ? f.get_value() : undefined;
    }

    set_value(fieldname, value) {
      const f = this.fields_dict[fieldname];
      return f && f.set_value ? f.set_value(value) : Promise.resolve();
    }

    set_title(title) {
      this.wrapper.querySelector('.modal-title').textContent = title;
    }

    show() {
      this.wrapper.classList.add('show');
      this.wrapper.style.display = 'block';
      this.display = true;
      frappe.ui.open_dialogs.push(this);
      const first = this.wrapper.querySelector('textarea, input');
      if (first) first.focus();
      return this;
    }

    hide() {
      if (!this.display) return;
      this.wrapper.classList.remove('show');
      this.wrapper.style.display = 'none';
      this.display = false;
      frappe.ui.open_dialogs = frappe.ui.open_dialogs.filter((d) => d !== this);
      if (this.onhide) this.onhide();
    }
  };

  /** The few jQuery-ish bits ($wrapper.get(0), [0]) that desk code reads from controls. */
  function wrap(node) {
    return { 0: node, length: 1, get: (i) => (i === 0 || i === undefined ? node : undefined) };
  }

  frappe.msgprint = function (message, title) {
    const d = new frappe.ui.Dialog({
      title: title || __('Message'),
      fields: [{ fieldtype: 'HTML', fieldname: 'message', options: message }],
    });
    d.show();
    return d;
  };

  // ------------------------------------------------------------------ demo sign-in (demo gateway only)

  /**
   * Logs `user` into the demo stand-in through the gateway's POST /demo/login, which sets the sid
   * cookie for this origin and answers {user, csrf_token}; then the page holds what the desk holds
   * after a login: frappe.session.user, frappe.boot.user.name and frappe.csrf_token.
   */
  async function demo_login(user) {
    const status = document.getElementById('demo-session-user');
    const show = (text) => {
      if (status) status.textContent = text;
    };
    show(__('Signing in as {0}…', [user]));
    let response;
    let body = null;
    try {
      response = await fetch(new URL('../login', window.location.href).href, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ user }),
      });
      body = await response.json().catch(() => null);
    } catch (err) {
      show(__('Could not reach the demo sign-in: {0}', [(err && err.message) || String(err)]));
      return null;
    }
    if (!response.ok || !body || typeof body.csrf_token !== 'string' || typeof body.user !== 'string') {
      const why = body && body.error && typeof body.error.message === 'string' ? body.error.message : '';
      show(
        response.status === 404
          ? __('Demo sign-in is only offered by a gateway in front of the demo stand-in.')
          : __('Sign-in failed ({0}). {1}', [response.status, why]),
      );
      return null;
    }
    frappe.csrf_token = body.csrf_token;
    frappe.session.user = frappe.session.user_fullname = body.user;
    frappe.boot.user.name = body.user;
    const csrf = document.getElementById('demo-csrf-token');
    if (csrf) csrf.value = body.csrf_token;
    document.body.dataset.demoUser = body.user;
    show(__('Signed in as {0}.', [body.user]));
    return body;
  }
  frappe.demo.login = demo_login;

  // ------------------------------------------------------------------ startup (desk.js → toolbar.js)

  function start() {
    const csrf = document.getElementById('demo-csrf-token');
    if (csrf) {
      csrf.value = frappe.csrf_token;
      csrf.addEventListener('input', () => (frappe.csrf_token = csrf.value.trim()));
    }
    for (const button of document.querySelectorAll('[data-demo-user]')) {
      button.addEventListener('click', () => {
        button.disabled = true;
        demo_login(button.dataset.demoUser).finally(() => (button.disabled = false));
      });
    }
    const mode = document.getElementById('demo-mode');
    if (mode) mode.textContent = `${frappe.boot.mcp_gateway.mode}, path "${frappe.boot.mcp_gateway.path}"`;
    if (frappe.boot.desk_settings.search_bar) {
      frappe.demo.awesome_bar = new frappe.search.AwesomeBar();
      frappe.demo.awesome_bar.setup('#navbar-search');
    }
    document.addEventListener('keydown', (e) => {
      if (e.ctrlKey && (e.key === 'g' || e.key === 'G')) {
        e.preventDefault();
        document.getElementById('navbar-search').focus();
      }
    });
    frappe.demo.ready = true;
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else setTimeout(start, 0);
})();
