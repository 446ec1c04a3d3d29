// The console: a create-job form built from the OpenAPI document, the job watched live, the tenant's jobs.
import { ApiError, apiKey, call, createJob } from './api.js';
import { applicable, createJobForm, paramValue } from './schema.js';

const ENDED = new Set(['succeeded', 'failed', 'canceled', 'expired']);
const POLL_MS = 500;
const $ = (id) => document.getElementById(id);

/** An element with attributes (`text` sets its text) and children. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null) continue;
    if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

const when = (iso) => (iso ? new Date(iso).toLocaleString() : '');

function show(node, visible) {
  node.hidden = !visible;
}

// ---- The form ----

let form;

function paramInput(param) {
  const attrs = { id: `param-${param.name}`, name: param.name, title: param.description };
  if (param.kind === 'choice' || param.kind === 'boolean') {
    const values = param.kind === 'choice' ? param.choices : [true, false];
    return el(
      'select',
      attrs,
      el('option', { value: '', text: '—' }),
      ...values.map((v, i) => el('option', { value: param.kind === 'choice' ? i : String(v), text: String(v) })),
    );
  }
  if (param.kind === 'integer' || param.kind === 'number') {
    return el('input', {
      ...attrs,
      type: 'number',
      min: param.minimum,
      max: param.maximum,
      step: param.kind === 'integer' ? 1 : 'any',
      placeholder: param.minimum !== undefined && param.maximum !== undefined ? `${param.minimum}–${param.maximum}` : '',
    });
  }
  return el('input', { ...attrs, type: 'text', maxlength: param.maxLength });
}

function buildForm(spec) {
  form = spec;
  $('operation').replaceChildren(...spec.operations.map((op) => el('option', { value: op, text: op })));
  $('params').append(
    ...spec.params.map((p) =>
      el('label', { title: p.description, 'data-param': p.name }, el('span', { text: p.name }), paramInput(p)),
    ),
  );
  show($('webhook-field'), spec.webhook);
  $('webhook-events').replaceChildren(
    ...spec.webhookEvents.map((e) =>
      el('label', {}, el('input', { type: 'checkbox', value: e, checked: e === 'completed' ? '' : null }), e),
    ),
  );
  show($('webhook-events'), spec.webhookEvents.length > 0);
  $('operation').addEventListener('change', fitForm);
  $('provider').addEventListener('change', fitForm);
  fitForm();
  $('submit').disabled = false;
}

/** Offers the providers of the chosen operation, and the params the chosen provider takes for it. */
function fitForm() {
  const operation = $('operation').value;
  const chosen = $('provider').value;
  const { providers } = applicable(form, operation, chosen);
  $('provider').replaceChildren(
    el('option', { value: '', text: 'default' }),
    ...providers.map((p) => el('option', { value: p, text: p })),
  );
  $('provider').value = providers.includes(chosen) ? chosen : '';
  show($('provider').parentElement, form.providers.length > 0);
  const { params } = applicable(form, operation, $('provider').value);
  for (const label of $('params').querySelectorAll('[data-param]')) show(label, params.has(label.dataset.param));
  show($('params'), params.size > 0);
}

function request() {
  const body = { operation: $('operation').value };
  if ($('provider').value) body.provider = $('provider').value;
  const params = {};
  for (const p of form.params) {
    if ($('params').querySelector(`[data-param="${p.name}"]`).hidden) continue;
    const value = paramValue(p, $(`param-${p.name}`));
    if (value !== undefined) params[p.name] = value;
  }
  if (Object.keys(params).length) body.params = params;
  if (form.webhook && $('webhook').value) {
    body.webhook = $('webhook').value;
    const events = [...$('webhook-events').querySelectorAll('input:checked')].map((i) => i.value);
    if (form.webhookEvents.length && events.length) body.webhook_events_filter = events;
  }
  return body;
}

function formError(message) {
  $('form-error').textContent = message ?? '';
  show($('form-error'), Boolean(message));
}

function choosePhoto(file) {
  const preview = $('preview');
  if (preview.src) URL.revokeObjectURL(preview.src);
  preview.src = file ? URL.createObjectURL(file) : '';
  show(preview, Boolean(file));
  $('drop').classList.toggle('chosen', Boolean(file));
  preview.onerror = () => show(preview, false); // HEIC: the browser cannot show it, Visage can read it
}

async function submit(event) {
  event.preventDefault();
  const photo = $('photo').files[0];
  if (!photo) return formError('Choose a photo first.');
  formError(null);
  $('submit').disabled = true;
  try {
    const accepted = await createJob(photo, request());
    watch(accepted.id, accepted);
  } catch (e) {
    formError(e instanceof ApiError ? `${e.code ?? e.status}${e.field ? ` (${e.field})` : ''}: ${e.message}` : e.message);
  } finally {
    $('submit').disabled = false;
  }
}

// ---- The job ----

let watching = null;

function facts(job) {
  const shown = {
    operation: job.operation,
    provider: job.provider,
    'provider job': job.provider_job_id,
    created: when(job.created_at),
    started: when(job.started_at),
    completed: when(job.completed_at),
    'queue position': job.queue_position,
    'eta (s)': job.eta_seconds,
    seed: job.seed,
    expires: when(job.expires_at),
  };
  return Object.entries(shown)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: String(v) })]);
}

function output(o, i) {
  const size = o.width && o.height ? `${o.width}×${o.height}` : '';
  return el(
    'figure',
    {},
    el('a', { href: o.url, target: '_blank', rel: 'noopener' }, el('img', { src: o.url, alt: `Output ${i + 1}`, class: 'output' })),
    el('figcaption', { text: [size, o.content_type, o.bytes ? `${Math.round(o.bytes / 1024)} KB` : ''].filter(Boolean).join(' · ') }),
  );
}

/** One webhook delivery attempt: when, which event, and the endpoint's status or why there was none. */
function delivery(d) {
  const ok = d.status >= 200 && d.status < 300;
  return el(
    'tr',
    {},
    el('td', { text: when(d.at) }),
    el('td', { text: d.event ?? '' }),
    el('td', { text: d.status ?? '', class: ok ? 'ok' : 'bad' }),
    el('td', { text: d.error ?? '' }),
  );
}

/** The skin and hair colours of a face_recon result, as the colours themselves. */
function swatches(result) {
  return ['skin', 'hair']
    .filter((part) => /^#[0-9a-f]{6}$/i.test(result?.[part]?.color ?? ''))
    .map((part) => {
      const swatch = el('span', { class: 'swatch' });
      swatch.style.background = result[part].color; // a style property, which the CSP allows (unlike style="…")
      return el('span', {}, part, swatch, result[part].color);
    });
}

function renderJob(job) {
  show($('job'), true);
  $('job').dataset.jobId = job.id;
  $('job').dataset.status = job.status;
  $('job-id').textContent = job.id;
  $('job-status').textContent = job.status;
  $('job-status').className = `status ${job.status}`;
  $('job-facts').replaceChildren(...facts(job));
  $('job-error').textContent = job.error ? `${job.error.code}: ${job.error.message}` : '';
  show($('job-error'), Boolean(job.error));
  // Presigned URLs are signed anew on every read: keep the images shown once they are there.
  const outputs = job.outputs ?? [];
  if ($('outputs').childElementCount !== outputs.length) $('outputs').replaceChildren(...outputs.map(output));
  $('result').textContent = job.result ? JSON.stringify(job.result, null, 2) : '';
  $('swatches').replaceChildren(...swatches(job.result));
  show($('result-box'), Boolean(job.result));
  const deliveries = job.webhook_deliveries ?? [];
  $('deliveries').replaceChildren(...deliveries.map(delivery));
  show($('deliveries-box'), deliveries.length > 0);
  show($('cancel'), !ENDED.has(job.status));
  $('raw').textContent = JSON.stringify(job, null, 2);
}

/** Shows job `id` (from `first`, then as GET answers it) until it ends; a newer watch stops an older one. */
async function watch(id, first) {
  const token = Symbol(id);
  watching = token;
  if (id !== $('job').dataset.jobId) $('outputs').replaceChildren();
  // The 202 of a create is a summary without outputs: even an ended job is read once in full.
  if (first) renderJob(first);
  while (watching === token) {
    let job;
    try {
      job = await call('GET', `/v1/jobs/${encodeURIComponent(id)}`);
    } catch (e) {
      if (watching === token) jobError(`polling stopped: ${e.message}`);
      return;
    }
    if (watching !== token) return;
    renderJob(job);
    if (ENDED.has(job.status)) {
      loadJobs();
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function jobError(message) {
  $('job-error').textContent = message;
  show($('job-error'), true);
}

async function cancel() {
  const id = $('job').dataset.jobId;
  try {
    watch(id, await call('POST', `/v1/jobs/${encodeURIComponent(id)}/cancel`));
  } catch (e) {
    jobError(e.message);
  }
}

// ---- Past jobs ----

let nextCursor = null;

function jobRow(job) {
  const row = el(
    'tr',
    { 'data-job-id': job.id, tabindex: 0 },
    el('td', { text: when(job.created_at) }),
    el('td', {}, el('code', { text: job.id })),
    el('td', { text: job.operation }),
    el('td', { text: job.provider ?? '' }),
    el('td', {}, el('span', { class: `status ${job.status}`, text: job.status })),
  );
  const open = () => watch(job.id).catch((e) => formError(e.message));
  row.addEventListener('click', open);
  row.addEventListener('keydown', (e) => e.key === 'Enter' && open());
  return row;
}

async function loadJobs(cursor = null) {
  const query = new URLSearchParams({ limit: '20' });
  if (cursor) query.set('cursor', cursor);
  try {
    const page = await call('GET', `/v1/jobs?${query}`);
    const rows = page.data.map(jobRow);
    if (cursor) $('jobs').append(...rows);
    else $('jobs').replaceChildren(...rows);
    nextCursor = page.next_cursor ?? null;
    show($('jobs-table'), $('jobs').childElementCount > 0);
    show($('history-note'), $('jobs').childElementCount === 0);
    $('history-note').textContent = 'No jobs yet.';
  } catch (e) {
    nextCursor = null;
    show($('jobs-table'), false);
    $('history-note').textContent =
      e.status === 404 ? 'This server does not list jobs (GET /v1/jobs).' : `Cannot list jobs: ${e.message}`;
    show($('history-note'), true);
  }
  show($('more'), Boolean(nextCursor));
}

// ---- Start ----

function init() {
  $('api-key').value = apiKey.get();
  $('api-key').addEventListener('change', (e) => {
    apiKey.set(e.target.value.trim());
    loadJobs();
  });
  $('photo').addEventListener('change', (e) => choosePhoto(e.target.files[0]));
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer.files.length) {
      $('photo').files = e.dataTransfer.files;
      choosePhoto(e.dataTransfer.files[0]);
    }
  });
  $('job-form').addEventListener('submit', submit);
  $('cancel').addEventListener('click', cancel);
  $('refresh').addEventListener('click', () => loadJobs());
  $('more').addEventListener('click', () => loadJobs(nextCursor));
  call('GET', '/v1/openapi.json')
    .then((doc) => buildForm(createJobForm(doc)))
    .catch((e) => formError(`Cannot build the form from /v1/openapi.json: ${e.message}`));
  loadJobs();
}

init();
