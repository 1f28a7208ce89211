/*
 * Hearth admin console: a single page over the public REST API (same origin, relative URLs), no build step.
 *
 * Routes (hash, so deep links work from a bookmark or a headless browser):
 *   #/                                           overview and live charts
 *   #/topics                                     topics, create and delete
 *   #/topics/{topic}                             partitions of one topic
 *   #/topics/{topic}/messages?partition=P&offset=N   the same, with the message browser open at P/N
 *   #/groups                                     consumer groups
 *   #/groups/{group}                             members, per-partition lag, reset offsets, delete
 *   #/jobs                                       stream jobs, refreshed every 2 s
 *   #/jobs/{job}                                 one job: figures, live charts, tasks, plan; pause, resume, reset
 *   #/connectors                                 Kafka Connect connectors and their tasks, refreshed every 2 s;
 *                                                pause, resume, restart, delete
 *   #/audit?resource_type=T&resource_name=N      the audit trail, optionally of one resource
 *   #/users                                      users: add, set password, delete
 *   #/acls?principal=P&resource_type=T&resource_name=N   Kafka's ACLs, optionally filtered: add, delete
 *
 * Signing in: the console's own page, never the browser's Basic prompt. Every request says it comes from a script
 * (X-Requested-With), so a 401 carries no Basic challenge; the credentials typed in are kept in sessionStorage
 * (this tab only, gone when it closes) and sent as an Authorization header; Sign out forgets them. A browser that
 * supplies credentials by itself (a test's DevTools headers, a proxy) is used as it is: the sign-in page shows only
 * when a request answers 401.
 *
 * A poller samples topics and consumer groups every 2 s for the charts, whatever view is shown; it keeps the
 * last five minutes, and starts with the five minutes before the page opened, which the server keeps (GET activity). Views render from fresh requests and never from the poller's samples, so what a view
 * shows is never older than the moment it was opened or refreshed. The jobs views poll their own figures while
 * shown (a job's rates come from its successive counters) and stop when left.
 */
(() => {
    'use strict';

    const API = 'api/v3/clusters/hearth';
    /** The hosted Kafka Connect worker's REST API: Connect's own paths and JSON. */
    const CONNECT_API = 'api/connect';
    const POLL_INTERVAL_MS = 2000;
    const HISTORY_MS = 5 * 60 * 1000;
    const PAGE_RECORDS = 20;
    /** Records one search may read on the server (its bound is 100 000). */
    const SEARCH_SCANNED_RECORDS = 50000;
    /** Also an input's pattern attribute, which browsers compile with the 'v' flag: hence the escaped '-'. */
    const TOPIC_NAME = /^[a-zA-Z0-9._\-]{1,249}$/;
    /** Topic configs Hearth knows (TopicConfig.KEYS), offered when adding one. */
    const TOPIC_CONFIG_KEYS = ['cleanup.policy', 'delete.retention.ms', 'max.message.bytes', 'message.timestamp.type',
        'min.cleanable.dirty.ratio', 'retention.bytes', 'retention.ms', 'segment.bytes', 'segment.ms'];
    /** sessionStorage key of the signed-in user's "user:password", base64 as in a Basic header. */
    const CREDENTIALS = 'hearth.credentials';
    const SIGNED_IN_USER = 'hearth.user';

    const main = document.getElementById('main');

    // ---------------------------------------------------------------- DOM helpers

    /** Element builder: attributes (on* become listeners), then children (strings become text nodes). */
    function h(tag, attrs, ...children) {
        const el = document.createElement(tag);
        for (const [name, value] of Object.entries(attrs || {})) {
            if (value === undefined || value === null || value === false) continue;
            if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
            else if (name === 'class') el.className = value;
            else if (name === 'text') el.textContent = value;
            else el.setAttribute(name, value === true ? '' : value);
        }
        append(el, children);
        return el;
    }

    function append(el, children) {
        for (const child of children.flat(Infinity)) {
            if (child === undefined || child === null || child === false) continue;
            el.append(child instanceof Node ? child : document.createTextNode(String(child)));
        }
        return el;
    }

    function render(...children) {
        main.replaceChildren();
        append(main, children);
    }

    const number = new Intl.NumberFormat();
    const fmt = n => (n === undefined || n === null) ? '–' : number.format(n);

    function bytes(n) {
        if (n === undefined || n === null) return '–';
        const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
        let i = 0;
        while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
        return (i === 0 ? n : n.toFixed(n < 10 ? 1 : 0)) + ' ' + units[i];
    }

    function time(ms) {
        const d = new Date(ms);
        const pad = (v, w = 2) => String(v).padStart(w, '0');
        return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
    }

    const clock = ms => time(ms).slice(11, 19);
    const seg = s => encodeURIComponent(s);

    // ---------------------------------------------------------------- REST and errors

    /** An RFC 9457 problem, or what we can make of a non-problem error response. */
    class Problem extends Error {
        constructor(status, title, detail) {
            super(detail || title);
            this.status = status;
            this.title = title;
            this.detail = detail;
        }
    }

    async function api(method, path, body) {
        return request(API, method, path, body);
    }

    /** A call of Connect's REST API ({@code CONNECT_API}); its errors are the same problems. */
    async function connectApi(method, path, body) {
        return request(CONNECT_API, method, path, body);
    }

    async function request(base, method, path, body) {
        const init = { method, headers: { Accept: 'application/json, application/problem+json', 'X-Requested-With': 'XMLHttpRequest' } };
        const credentials = sessionStorage.getItem(CREDENTIALS);
        if (credentials) init.headers.Authorization = `Basic ${credentials}`;
        if (body !== undefined) {
            init.headers['Content-Type'] = 'application/json';
            init.body = JSON.stringify(body);
        }
        let response;
        try {
            response = await fetch(path ? `${base}/${path}` : base, init);
        } catch (e) {
            throw new Problem(0, 'Hearth is unreachable', `${method} ${path || base} failed: ${e.message}`);
        }
        const text = await response.text();
        if (!response.ok) {
            let problem = {};
            try { problem = JSON.parse(text); } catch (ignored) { /* not JSON: fall back to the status line */ }
            throw new Problem(response.status, problem.title || `HTTP ${response.status} ${response.statusText}`,
                problem.detail || (problem.title ? '' : `${method} ${path}`));
        }
        return text ? JSON.parse(text) : null;
    }

    const banner = document.getElementById('banner');

    const bannerHome = banner.nextElementSibling;

    /**
     * Shows the banner; inside the open dialog when there is one, since a modal dialog sits in the top layer above
     * anything the page could stack (z-index cannot reach it), and the error is about what the dialog just did.
     */
    function showError(error) {
        const problem = error instanceof Problem ? error : new Problem(0, 'Unexpected error', String(error && error.message || error));
        document.getElementById('banner-title').textContent = problem.title;
        document.getElementById('banner-detail').textContent = problem.detail && problem.detail !== problem.title ? problem.detail : '';
        if (dialog.open) dialogForm.prepend(banner);
        banner.hidden = false;
    }

    function clearError() {
        banner.hidden = true;
    }

    document.getElementById('banner-close').addEventListener('click', clearError);

    /** Runs an operation with the button disabled and spinning; errors go to the banner. Resolves to the result or undefined. */
    async function busy(button, operation) {
        const label = button && button.innerHTML;
        if (button) {
            button.disabled = true;
            button.setAttribute('aria-busy', 'true');
            button.prepend(h('span', { class: 'spinner', 'aria-hidden': 'true' }));
        }
        try {
            clearError();
            return await operation();
        } catch (e) {
            showError(e);
            return undefined;
        } finally {
            if (button && button.isConnected) {
                button.innerHTML = label;
                button.disabled = false;
                button.removeAttribute('aria-busy');
            }
        }
    }

    // ---------------------------------------------------------------- dialogs

    const dialog = document.getElementById('dialog');
    const dialogForm = document.getElementById('dialog-form');
    const dialogConfirm = document.getElementById('dialog-confirm');
    const dialogCancel = document.getElementById('dialog-cancel');
    // An error shown in the dialog stays visible on the page once the dialog closes.
    dialog.addEventListener('close', () => { if (banner.parentNode !== bannerHome.parentNode) bannerHome.before(banner); });

    /**
     * A modal dialog. {@code action(form)} runs on confirm with the button spinning; the dialog closes only when
     * it succeeds, so a failed create or reset can be corrected and retried.
     */
    function openDialog({ title, body, confirm = 'OK', danger = false, action }) {
        document.getElementById('dialog-title').textContent = title;
        // replaceChildren would turn a null (an optional part left out) into the text "null".
        document.getElementById('dialog-body').replaceChildren(...[body].flat(Infinity).filter(part => part !== null && part !== undefined && part !== false));
        dialogConfirm.textContent = confirm;
        dialogConfirm.className = 'button ' + (danger ? 'danger' : 'primary');
        dialogForm.onsubmit = async event => {
            event.preventDefault();
            if (!dialogForm.reportValidity()) return;
            let ok = false;
            await busy(dialogConfirm, async () => { await action(dialogForm); ok = true; });
            if (ok) dialog.close();
        };
        dialogCancel.onclick = () => dialog.close();
        dialog.showModal();
        const first = dialog.querySelector('#dialog-body input, #dialog-body select');
        (first || (danger ? dialogCancel : dialogConfirm)).focus();
    }

    // ---------------------------------------------------------------- live metrics

    /** Samples every 2 s: {at, rate (records/s), lag}. Partition end offsets of the previous sample give the rate. */
    const samples = [];
    let lastEnds = null;
    let lastAt = 0;
    let groupsAvailable = true;
    /** Whether the server's recent history has been fetched (or found missing): once per page. */
    let seeded = false;
    const listeners = new Set();

    /**
     * Starts the charts with the minutes before this page opened, from the samples the server keeps (GET activity);
     * a server without them, or a user without Describe on the cluster, starts empty as before.
     */
    async function maybeSeed() {
        if (seeded) return;
        try {
            const recent = await api('GET', 'activity');
            const first = samples.length ? samples[0].at : Infinity;
            samples.unshift(...recent.data.filter(d => d.at < first)
                .map(d => ({ at: d.at, rate: d.records_per_second, lag: d.total_lag })));
            seeded = true;
        } catch (e) {
            if (e.status === 404 || e.status === 403) seeded = true; else throw e;
        }
    }

    async function poll() {
        const at = Date.now();
        const liveText = document.getElementById('live-text');
        const live = document.getElementById('live-status');
        try {
            await maybeSeed();
            const topics = await api('GET', 'topics');
            const ends = new Map();
            for (const topic of topics.data) {
                for (const p of topic.partitions || []) ends.set(`${topic.topic_name}/${p.partition_id}`, p.logEndOffset);
            }
            let rate = null;
            if (lastEnds) {
                let delta = 0;
                for (const [key, end] of ends) {
                    // A new partition counts from zero; a deleted one drops out rather than counting as negative.
                    delta += Math.max(0, end - (lastEnds.get(key) ?? 0));
                }
                rate = delta / ((at - lastAt) / 1000);
            }
            lastEnds = ends;
            lastAt = at;
            let lag = null;
            if (groupsAvailable) {
                try {
                    const groups = await api('GET', 'consumer-groups');
                    lag = groups.data.reduce((sum, g) => sum + (g.total_lag || 0), 0);
                } catch (e) {
                    if (e.status === 404 || e.status === 403) groupsAvailable = false; else throw e;
                }
            }
            if (rate !== null) samples.push({ at, rate, lag });
            while (samples.length && samples[0].at < at - HISTORY_MS) samples.shift();
            live.classList.remove('down');
            liveText.textContent = `Live · ${clock(at)}`;
            listeners.forEach(listener => listener());
        } catch (e) {
            live.classList.add('down');
            liveText.textContent = e.status === 0 ? 'Disconnected' : e.status === 401 ? 'Not signed in' : `Poll failed (${e.status})`;
        } finally {
            setTimeout(poll, POLL_INTERVAL_MS);
        }
    }

    /**
     * A live line chart: one line per entry of {@code series} ({label, pick, color}), drawn from the points
     * {@code source()} answers (the poller's {@code samples} by default). Chart.js when its WebJar loaded, plain
     * canvas lines otherwise. Points where {@code pick} answers null are left out.
     */
    function liveChart(canvas, series, source = () => samples) {
        if (window.Chart) return chartJs(canvas, series, source);
        const update = () => {
            const data = source();
            const ratio = window.devicePixelRatio || 1;
            const width = canvas.clientWidth, height = canvas.clientHeight;
            canvas.width = width * ratio;
            canvas.height = height * ratio;
            const g = canvas.getContext('2d');
            g.scale(ratio, ratio);
            g.clearRect(0, 0, width, height);
            const lines = series.map(s => ({ color: s.color, values: data.map(s.pick).filter(v => v !== null) }));
            const max = Math.max(1, ...lines.flatMap(l => l.values));
            for (const { color, values } of lines.filter(l => l.values.length >= 2)) {
                g.strokeStyle = color;
                g.lineWidth = 2;
                g.beginPath();
                values.forEach((v, i) => {
                    const x = i / (values.length - 1) * width, y = height - 4 - v / max * (height - 8);
                    i ? g.lineTo(x, y) : g.moveTo(x, y);
                });
                g.stroke();
            }
        };
        update();
        return { update, destroy: () => {} };
    }

    function chartJs(canvas, series, source) {
        const style = getComputedStyle(document.documentElement);
        const grid = style.getPropertyValue('--border').trim();
        const text = style.getPropertyValue('--muted').trim();
        const chart = new window.Chart(canvas, {
            type: 'line',
            data: { labels: [], datasets: series.map(s => ({ label: s.label, data: [], borderColor: s.color,
                backgroundColor: s.color + '22', fill: series.length === 1, tension: 0.25, pointRadius: 0, borderWidth: 2,
                spanGaps: true })) },
            options: {
                animation: false, responsive: true, maintainAspectRatio: false,
                interaction: { mode: 'index', intersect: false },
                plugins: { legend: { display: series.length > 1, labels: { color: text, boxWidth: 12 } } },
                scales: {
                    x: { ticks: { color: text, maxTicksLimit: 6, maxRotation: 0 }, grid: { color: grid } },
                    y: { beginAtZero: true, ticks: { color: text, precision: 0 }, grid: { color: grid } }
                }
            }
        });
        const update = () => {
            const data = source().filter(point => series.some(s => s.pick(point) !== null));
            chart.data.labels = data.map(point => clock(point.at));
            series.forEach((s, i) => { chart.data.datasets[i].data = data.map(s.pick); });
            chart.update('none');
        };
        update();
        return { update, destroy: () => chart.destroy() };
    }

    // ---------------------------------------------------------------- views

    let cleanup = [];

    function onLeave(fn) {
        cleanup.push(fn);
    }

    function heading(title, ...actions) {
        return h('div', { class: 'view-head' }, h('h1', {}, title), h('div', { class: 'actions' }, actions));
    }

    function stat(label, value, hint) {
        return h('div', { class: 'stat' }, h('dt', {}, label), h('dd', {}, value), hint ? h('p', { class: 'hint' }, hint) : null);
    }

    /** A table of {@code rows}; {@code empty} (text or a node) stands in for it when there are none. */
    function table(caption, columns, rows, empty) {
        if (!rows.length) return empty instanceof Node ? empty : h('p', { class: 'empty' }, empty);
        return h('div', { class: 'table-wrap' },
            h('table', {},
                h('caption', { class: 'visually-hidden' }, caption),
                h('thead', {}, h('tr', {}, columns.map(c => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
                h('tbody', {}, rows.map(row => h('tr', {}, columns.map((c, i) =>
                    i === 0 ? h('th', { scope: 'row' }, c.cell(row)) : h('td', { class: c.num ? 'num' : null }, c.cell(row))))))));
    }

    function topicTotals(topic) {
        const parts = topic.partitions || [];
        return {
            records: parts.reduce((s, p) => s + (p.logEndOffset - p.logStartOffset), 0),
            segments: parts.reduce((s, p) => s + (p.segmentCount || 0), 0),
            end: parts.reduce((s, p) => s + p.logEndOffset, 0)
        };
    }

    async function overview() {
        const [cluster, topics, groups] = await Promise.all([
            // 404: a server without the cluster resource; 403: a user without Describe on the cluster.
            api('GET', '').catch(e => { if (e.status === 404 || e.status === 403) return null; throw e; }),
            api('GET', 'topics'),
            api('GET', 'consumer-groups').catch(e => { if (e.status === 404 || e.status === 403) return null; throw e; })
        ]);
        const partitions = topics.data.reduce((s, t) => s + t.partitions_count, 0);
        const size = topics.data.reduce((s, t) => s + (t.sizeInBytes || 0), 0);
        const records = topics.data.reduce((s, t) => s + topicTotals(t).records, 0);
        const lag = groups ? groups.data.reduce((s, g) => s + (g.total_lag || 0), 0) : null;
        const broker = cluster && cluster.broker;
        render(
            heading('Overview', h('a', { class: 'button', href: '#/topics' }, 'Manage topics')),
            h('dl', { class: 'stats' },
                stat('Cluster', cluster ? cluster.cluster_id : 'hearth', cluster ? h('span', { class: 'badge ' + stateClass(cluster.state) }, cluster.state) : null),
                stat('Broker', broker && broker.host ? `${broker.host}:${broker.port}` : '–', broker ? `broker ${broker.broker_id}` : null),
                stat('Topics', fmt(cluster ? cluster.topics_count : topics.data.length)),
                stat('Partitions', fmt(cluster ? cluster.partitions_count : partitions)),
                stat('Records retained', fmt(records), bytes(size) + ' on disk'),
                stat('Consumer groups', groups ? fmt(groups.data.length) : '–', h('span', { id: 'total-lag' }, lag === null ? 'not available' : `total lag ${fmt(lag)}`))),
            h('div', { class: 'charts' },
                chartCard('produce-chart', 'Produce rate', 'records per second, all topics'),
                chartCard('lag-chart', 'Consumer lag', groups ? 'records behind, all groups' : 'consumer groups are not available')),
            h('p', { class: 'hint' }, `Sampled every ${POLL_INTERVAL_MS / 1000} s; the server keeps the last ${HISTORY_MS / 60000} minutes, so the charts start with the recent past.`));
        const charts = [
            liveChart(document.getElementById('produce-chart'), [{ label: 'records/s', pick: s => s.rate, color: '#e8590c' }]),
            liveChart(document.getElementById('lag-chart'), [{ label: 'lag', pick: s => s.lag, color: '#1c7ed6' }])
        ];
        // The lag card follows the lag chart: both from the poller's latest sample.
        const lagHint = document.getElementById('total-lag');
        const update = () => {
            charts.forEach(c => c.update());
            const latest = samples[samples.length - 1];
            if (latest && latest.lag !== null) lagHint.textContent = `total lag ${fmt(latest.lag)}`;
        };
        listeners.add(update);
        onLeave(() => { listeners.delete(update); charts.forEach(c => c.destroy()); });
    }

    function chartCard(id, title, subtitle) {
        return h('section', { class: 'card chart-card', 'aria-labelledby': id + '-title' },
            h('h2', { id: id + '-title' }, title),
            h('p', { class: 'hint' }, subtitle),
            h('div', { class: 'chart-box' }, h('canvas', { id, role: 'img', 'aria-label': `${title}: ${subtitle}, live chart` })));
    }

    function stateClass(state) {
        const s = String(state || '').toUpperCase();
        if (['STABLE', 'RUNNING', 'ONLINE', 'UP'].includes(s)) return 'ok';
        if (['EMPTY', 'DEAD'].includes(s)) return 'idle';
        return 'warn';
    }

    async function topicsView() {
        const topics = await api('GET', 'topics');
        const createButton = h('button', { type: 'button', class: 'button primary', onclick: () => createTopicDialog() }, '+ Create topic');
        const showInternal = localStorage.getItem('hearth.showInternalTopics') === 'true';
        const internalCount = topics.data.filter(t => t.topic_name.startsWith('__')).length;
        const internalToggle = h('label', { class: 'radio toggle' },
            h('input', { type: 'checkbox', checked: showInternal, onchange: event => {
                localStorage.setItem('hearth.showInternalTopics', String(event.target.checked));
                route();
            } }), `Show internal topics (${internalCount})`);
        const sorted = topics.data.filter(t => showInternal || !t.topic_name.startsWith('__'))
            .sort((a, b) => a.topic_name.localeCompare(b.topic_name));
        render(
            heading('Topics', internalToggle, createButton),
            table('Topics', [
                { label: 'Topic', cell: t => h('a', { href: `#/topics/${seg(t.topic_name)}` }, t.topic_name) },
                { label: 'Partitions', num: true, cell: t => fmt(t.partitions_count) },
                { label: 'Log start offsets', num: true, cell: t => rangeText(t.partitions.map(p => p.logStartOffset)) },
                { label: 'Log end offsets', num: true, cell: t => rangeText(t.partitions.map(p => p.logEndOffset)) },
                { label: 'Records', num: true, cell: t => fmt(topicTotals(t).records) },
                { label: 'Size', num: true, cell: t => bytes(t.sizeInBytes) },
                { label: 'Segments', num: true, cell: t => fmt(topicTotals(t).segments) },
                { label: 'Actions', cell: t => h('div', { class: 'row-actions' },
                    h('a', { class: 'button small', href: `#/topics/${seg(t.topic_name)}/messages?partition=0&offset=0` }, 'Browse'),
                    h('button', { type: 'button', class: 'button small danger-outline', 'aria-label': `Delete topic ${t.topic_name}`,
                        onclick: () => deleteTopicDialog(t.topic_name, () => route()) }, 'Delete')) }
            ], sorted, 'No topics yet. Create one to get started.'));
    }

    /** Per-partition values as "a" when all equal, "min – max" otherwise. */
    function rangeText(values) {
        if (!values.length) return '–';
        const min = Math.min(...values), max = Math.max(...values);
        return min === max ? fmt(min) : `${fmt(min)} – ${fmt(max)}`;
    }

    function createTopicDialog() {
        openDialog({
            title: 'Create topic',
            confirm: 'Create',
            body: [
                h('label', { for: 'new-topic-name' }, 'Name'),
                h('input', { id: 'new-topic-name', name: 'name', required: true, maxlength: '249', pattern: TOPIC_NAME.source.slice(1, -1),
                    autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'new-topic-hint' }),
                h('p', { class: 'hint', id: 'new-topic-hint' }, 'Letters, digits, ".", "_" and "-"; up to 249 characters.'),
                h('label', { for: 'new-topic-partitions' }, 'Partitions'),
                h('input', { id: 'new-topic-partitions', name: 'partitions', type: 'number', min: '1', max: '10000', value: '1', required: true })
            ],
            action: async form => {
                const name = form.elements.name.value.trim();
                await api('POST', 'topics', { topic_name: name, partitions_count: Number(form.elements.partitions.value) });
                location.hash = `#/topics/${seg(name)}`;
            }
        });
    }

    function deleteTopicDialog(name, after) {
        openDialog({
            title: 'Delete topic?',
            confirm: 'Delete topic',
            danger: true,
            body: h('p', {}, 'Topic ', h('strong', {}, name), ' and all its records will be deleted. This cannot be undone.'),
            action: async () => { await api('DELETE', `topics/${seg(name)}`); after(); }
        });
    }

    /**
     * One topic. When the server answers the describe call with JAX-RS's own 404 (a build whose routes shadow
     * GET /topics/{topic}) rather than Hearth's unknown-topic problem, the topic is taken from the list instead.
     */
    async function describeTopic(name) {
        try {
            return await api('GET', `topics/${seg(name)}`);
        } catch (e) {
            if (e.status !== 404 || e.title !== 'Not Found') throw e;
            const topic = (await api('GET', 'topics')).data.find(t => t.topic_name === name);
            if (!topic) throw new Problem(404, 'Unknown topic or partition', `Topic '${name}' does not exist`);
            return topic;
        }
    }

    async function topicView(name, query) {
        const topic = await describeTopic(name);
        const browsing = query.has('partition') || query.has('offset');
        const produceButton = h('button', { type: 'button', class: 'button', onclick: () => produceDialog(topic) }, 'Produce record');
        const deleteButton = h('button', { type: 'button', class: 'button danger-outline',
            onclick: () => deleteTopicDialog(name, () => { location.hash = '#/topics'; }) }, 'Delete');
        render(
            h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/topics' }, 'Topics'), ' / ', h('span', { 'aria-current': 'page' }, name)),
            heading(name, h('a', { class: 'button', href: auditLink('topic', name) }, 'Audit trail'), produceButton, deleteButton),
            h('dl', { class: 'stats' },
                stat('Partitions', fmt(topic.partitions_count)),
                stat('Records retained', fmt(topicTotals(topic).records)),
                stat('Size', bytes(topic.sizeInBytes)),
                stat('Segments', fmt(topicTotals(topic).segments)),
                stat('Topic id', h('code', {}, topic.topic_id))),
            h('h2', {}, 'Partitions'),
            table(`Partitions of ${name}`, [
                { label: 'Partition', cell: p => String(p.partition_id) },
                { label: 'Status', cell: p => h('span', { class: 'badge ' + (p.online ? 'ok' : 'bad') }, p.online ? 'online' : 'offline') },
                { label: 'Log start offset', num: true, cell: p => fmt(p.logStartOffset) },
                { label: 'Log end offset', num: true, cell: p => fmt(p.logEndOffset) },
                { label: 'High watermark', num: true, cell: p => fmt(p.highWatermark) },
                { label: 'Records', num: true, cell: p => fmt(p.logEndOffset - p.logStartOffset) },
                { label: 'Size', num: true, cell: p => bytes(p.sizeInBytes) },
                { label: 'Segments', num: true, cell: p => fmt(p.segmentCount) },
                { label: 'Browse', cell: p => h('a', { class: 'button small', href: `#/topics/${seg(name)}/messages?partition=${p.partition_id}&offset=${p.logStartOffset}`,
                    'aria-label': `Browse partition ${p.partition_id}` }, 'Browse') }
            ], topic.partitions, 'This topic has no partitions.'),
            configSection(topic),
            messageBrowser(topic, query, browsing));
    }

    /**
     * The topic's configs (as the API describes them: every known key with its effective value) with editing: set
     * (add or change) and reset (drop the topic's own value, so the broker's default applies again).
     */
    function configSection(topic) {
        const name = topic.topic_name;
        const configs = Object.entries(topic.configs || {}).sort(([a], [b]) => a.localeCompare(b));
        return h('section', { class: 'configs', id: 'configs', 'aria-labelledby': 'configs-title' },
            h('div', { class: 'view-head' }, h('h2', { id: 'configs-title' }, `Configuration (${configs.length})`),
                h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button', id: 'config-add',
                    onclick: () => configDialog(name, null, '') }, '+ Set config'))),
            table(`Configuration of ${name}`, [
                { label: 'Config', cell: ([k]) => h('code', {}, k) },
                { label: 'Value', cell: ([, v]) => h('code', { class: 'config-value' }, v) },
                { label: 'Actions', cell: ([k, v]) => h('div', { class: 'row-actions' },
                    h('button', { type: 'button', class: 'button small', 'aria-label': `Edit config ${k}`,
                        onclick: () => configDialog(name, k, v) }, 'Edit'),
                    h('button', { type: 'button', class: 'button small danger-outline', 'aria-label': `Reset config ${k} to its default`,
                        onclick: () => openDialog({
                            title: `Reset ${k}?`, confirm: 'Reset to default', danger: true,
                            body: h('p', {}, h('code', {}, k), ` of ${name} goes back to the broker's default.`),
                            action: async () => { await alterConfig(name, k, null); route(); }
                        }) }, 'Default')) }
            ], configs, 'No configs described for this topic.'));
    }

    function alterConfig(topic, key, value) {
        return api('POST', `topics/${seg(topic)}/configs:alter`, { data: [{ name: key, value }] });
    }

    /** Sets one config of {@code topic}: {@code key} null offers a new one (known keys suggested). */
    function configDialog(topic, key, value) {
        openDialog({
            title: key ? `Edit ${key}` : `Set a config of ${topic}`,
            confirm: 'Save',
            body: [
                h('label', { for: 'config-name' }, 'Config'),
                h('input', { id: 'config-name', name: 'name', required: true, value: key || '', readonly: !!key,
                    list: 'config-keys', autocomplete: 'off', spellcheck: 'false' }),
                h('datalist', { id: 'config-keys' }, TOPIC_CONFIG_KEYS.map(k => h('option', { value: k }))),
                h('label', { for: 'config-value' }, 'Value'),
                h('input', { id: 'config-value', name: 'value', required: true, value, autocomplete: 'off', spellcheck: 'false' }),
                h('p', { class: 'hint' }, 'Hearth checks the value; a rejected one is explained here and nothing changes.')
            ],
            action: async form => {
                await alterConfig(topic, form.elements.name.value.trim(), form.elements.value.value.trim());
                route();
            }
        });
        // Editing an existing config: the value is what changes.
        if (key) document.getElementById('config-value').focus();
    }

    function produceDialog(topic) {
        openDialog({
            title: `Produce to ${topic.topic_name}`,
            confirm: 'Produce',
            body: [
                h('label', { for: 'produce-partition' }, 'Partition'),
                h('select', { id: 'produce-partition', name: 'partition' },
                    h('option', { value: '' }, 'By key (default partitioner)'),
                    topic.partitions.map(p => h('option', { value: String(p.partition_id) }, `Partition ${p.partition_id}`))),
                h('label', { for: 'produce-key' }, 'Key (optional)'),
                h('input', { id: 'produce-key', name: 'key', autocomplete: 'off' }),
                h('label', { for: 'produce-value' }, 'Value'),
                h('textarea', { id: 'produce-value', name: 'value', rows: '6', spellcheck: 'false', 'aria-describedby': 'produce-hint' }),
                h('p', { class: 'hint', id: 'produce-hint' }, 'Valid JSON is sent as JSON, anything else as a string.'),
                h('label', { for: 'produce-headers' }, 'Headers (optional)'),
                h('textarea', { id: 'produce-headers', name: 'headers', rows: '3', spellcheck: 'false', 'aria-describedby': 'produce-headers-hint',
                    placeholder: 'trace-id: 4bf92f35' }),
                h('p', { class: 'hint', id: 'produce-headers-hint' }, 'One "name: value" per line, values as UTF-8 text.')
            ],
            action: async form => {
                const record = {};
                const key = form.elements.key.value;
                const value = form.elements.value.value;
                if (form.elements.partition.value !== '') record.partition_id = Number(form.elements.partition.value);
                if (key) record.key = { type: 'STRING', data: key };
                let json;
                try { json = JSON.parse(value); } catch (ignored) { json = undefined; }
                record.value = json !== undefined ? { type: 'JSON', data: json } : { type: 'STRING', data: value };
                const headers = parseHeaders(form.elements.headers.value);
                if (headers.length) record.headers = headers;
                const receipt = await api('POST', `topics/${seg(topic.topic_name)}/records`, record);
                location.hash = `#/topics/${seg(topic.topic_name)}/messages?partition=${receipt.partition_id}&offset=${receipt.offset}`;
            }
        });
    }

    /** "name: value" lines as the API's headers, values base64 of their UTF-8; a line without ':' is refused. */
    function parseHeaders(text) {
        return text.split('\n').map(line => line.trim()).filter(Boolean).map(line => {
            const colon = line.indexOf(':');
            if (colon <= 0) throw new Problem(400, 'Invalid header', `"${line}" is not "name: value"`);
            return { name: line.slice(0, colon).trim(), value: base64Utf8(line.slice(colon + 1).trim()) };
        });
    }

    function base64Utf8(text) {
        return btoa(Array.from(new TextEncoder().encode(text), b => String.fromCharCode(b)).join(''));
    }

    // ---------------------------------------------------------------- message browser

    function messageBrowser(topic, query, open) {
        const first = topic.partitions[0];
        const partition = query.has('partition') ? Number(query.get('partition')) : (first ? first.partition_id : 0);
        const described = topic.partitions.find(p => p.partition_id === partition) || first;
        const offset = query.has('offset') ? Number(query.get('offset')) : (described ? described.logStartOffset : 0);
        const results = h('div', { id: 'records', 'aria-live': 'polite' });
        const partitionSelect = h('select', { id: 'browse-partition', name: 'partition' },
            topic.partitions.map(p => h('option', { value: String(p.partition_id), selected: p.partition_id === partition },
                `${p.partition_id}  (offsets ${p.logStartOffset}–${p.logEndOffset})`)));
        const offsetInput = h('input', { id: 'browse-offset', name: 'offset', type: 'number', min: '0', value: String(offset), required: true });
        const fetchButton = h('button', { type: 'submit', class: 'button primary' }, 'Fetch');
        const timeInput = h('input', { id: 'browse-time', name: 'time', type: 'datetime-local', step: '1' });
        const seekButton = h('button', { type: 'button', class: 'button', id: 'browse-seek', onclick: () => busy(seekButton, async () => {
            if (!timeInput.value) throw new Problem(400, 'No time given', 'Pick the date and time to seek to.');
            const p = Number(partitionSelect.value);
            const at = new Date(timeInput.value).getTime();
            const page = await api('GET', `topics/${seg(topic.topic_name)}/partitions/${p}/records?timestamp=${at}&max_records=1`);
            // No record at or after that time: show the (empty) end of the partition.
            go(page.data.length ? page.data[0].offset : part().logEndOffset);
        }) }, 'Seek');
        const part = () => topic.partitions.find(p => p.partition_id === Number(partitionSelect.value)) || first;

        const go = (o) => {
            offsetInput.value = String(Math.max(0, o));
            form.requestSubmit();
        };
        const form = h('form', { class: 'browser-controls', onsubmit: event => {
            event.preventDefault();
            const p = Number(partitionSelect.value), o = Number(offsetInput.value);
            // Keep the address bar a deep link to what is shown, without re-rendering the whole view.
            history.replaceState(null, '', `#/topics/${seg(topic.topic_name)}/messages?partition=${p}&offset=${o}`);
            busy(fetchButton, () => loadRecords(topic, p, o, results, go));
        } },
            h('div', { class: 'field' }, h('label', { for: 'browse-partition' }, 'Partition'), partitionSelect),
            h('div', { class: 'field' }, h('label', { for: 'browse-offset' }, 'Offset'), offsetInput),
            h('div', { class: 'field buttons' },
                fetchButton,
                h('button', { type: 'button', class: 'button', onclick: () => go(part().logStartOffset) }, 'Oldest'),
                h('button', { type: 'button', class: 'button', onclick: () => go(part().logEndOffset - PAGE_RECORDS) }, 'Newest')),
            h('div', { class: 'field' }, h('label', { for: 'browse-time' }, 'Or from a time (local)'), h('div', { class: 'buttons' }, timeInput, seekButton)));

        const searchText = h('input', { id: 'search-text', name: 'text', required: true, autocomplete: 'off', spellcheck: 'false',
            'aria-describedby': 'search-hint' });
        const searchPartition = h('select', { id: 'search-partition', name: 'partition' },
            h('option', { value: '' }, 'All partitions'),
            topic.partitions.map(p => h('option', { value: String(p.partition_id) }, `Partition ${p.partition_id}`)));
        const searchButton = h('button', { type: 'submit', class: 'button', id: 'search' }, 'Search');
        const searchForm = h('form', { class: 'browser-controls', 'aria-label': 'Search messages', onsubmit: event => {
            event.preventDefault();
            busy(searchButton, () => searchRecords(topic, searchText.value, searchPartition.value, timeInput.value, results));
        } },
            h('div', { class: 'field' }, h('label', { for: 'search-text' }, 'Key or value contains'), searchText),
            h('div', { class: 'field' }, h('label', { for: 'search-partition' }, 'In'), searchPartition),
            h('div', { class: 'field buttons' }, searchButton),
            h('p', { class: 'hint', id: 'search-hint' }, `Case-sensitive; from the time above when one is set. Reads at most ${fmt(SEARCH_SCANNED_RECORDS)} records per search.`));

        const section = h('section', { class: 'card browser', id: 'messages', 'aria-labelledby': 'messages-title' },
            h('h2', { id: 'messages-title' }, 'Messages'), form, searchForm, results);
        if (open) {
            queueMicrotask(() => busy(fetchButton, () => loadRecords(topic, partition, offset, results, go)));
        } else {
            results.append(h('p', { class: 'empty' }, 'Pick a partition and an offset, then Fetch.'));
        }
        return section;
    }

    /** Runs a bounded server-side search and lists the matches, saying how much was scanned. */
    async function searchRecords(topic, text, partition, from, results) {
        results.replaceChildren(h('p', { class: 'loading' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), ' Searching…'));
        const query = new URLSearchParams({ text, max_scanned_records: String(SEARCH_SCANNED_RECORDS), max_matches: String(PAGE_RECORDS) });
        if (partition !== '') query.set('partition', partition);
        if (from) query.set('timestamp', String(new Date(from).getTime()));
        let answer;
        try {
            answer = await api('GET', `topics/${seg(topic.topic_name)}/records:search?${query}`);
        } catch (e) {
            results.replaceChildren(h('p', { class: 'empty' }, 'No records shown.'));
            throw e;
        }
        const matches = answer.data;
        const summary = `${matches.length === 1 ? '1 match' : `${fmt(matches.length)} matches`} for "${text}" in ${fmt(answer.scanned_records)} records read`
            + (answer.complete ? '' : matches.length >= PAGE_RECORDS ? `; showing the first ${PAGE_RECORDS}` : `; stopped at the limit before the end of the topic`);
        results.replaceChildren(h('p', { class: 'hint', id: 'search-summary' }, summary),
            matches.length ? h('ol', { class: 'records' }, matches.map(recordItem)) : null);
    }

    async function loadRecords(topic, partition, offset, results, go) {
        results.replaceChildren(h('p', { class: 'loading' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), ' Reading…'));
        let page;
        try {
            page = await api('GET', `topics/${seg(topic.topic_name)}/partitions/${partition}/records?offset=${offset}&max_records=${PAGE_RECORDS}`);
        } catch (e) {
            results.replaceChildren(h('p', { class: 'empty' }, 'No records shown.'));
            throw e;
        }
        const records = page.data;
        const pager = h('div', { class: 'pager' },
            h('button', { type: 'button', class: 'button small', disabled: offset <= 0, onclick: () => go(offset - PAGE_RECORDS) }, '← Older'),
            h('span', { class: 'hint' }, records.length
                ? `Partition ${partition}, offsets ${records[0].offset}–${records[records.length - 1].offset}`
                : `No records at partition ${partition} from offset ${offset}`),
            h('button', { type: 'button', class: 'button small', disabled: !records.length, onclick: () => go(page.next_offset) }, 'Newer →'));
        results.replaceChildren(pager, records.length ? h('ol', { class: 'records' }, records.map(recordItem)) : null);
    }

    function recordItem(record) {
        const key = decode(record.key);
        const value = decode(record.value);
        return h('li', { class: 'record' },
            h('div', { class: 'record-meta' },
                h('span', { class: 'offset' }, `#${record.offset}`),
                h('span', {}, `partition ${record.partition_id}`),
                h('time', { datetime: new Date(record.timestamp).toISOString() }, time(record.timestamp)),
                key.kind !== 'null' ? h('span', { class: 'key' }, 'key ', h('code', {}, key.text)) : h('span', { class: 'hint' }, 'no key')),
            h('pre', { class: 'value ' + value.kind }, value.text),
            record.headers && record.headers.length ? h('dl', { class: 'headers' }, record.headers.map(header => {
                const v = decode(header.value === null ? null : { type: 'BINARY', data: header.value });
                return [h('dt', {}, header.name), h('dd', {}, h('code', {}, v.text))];
            })) : null);
    }

    const utf8 = new TextDecoder('utf-8', { fatal: true });

    /** A record part as {kind: null|json|text|binary, text}: JSON pretty-printed, UTF-8 as text, else hex. */
    function decode(data) {
        if (data === null || data === undefined) return { kind: 'null', text: 'null' };
        if (data.type === 'JSON') return { kind: 'json', text: JSON.stringify(data.data, null, 2) };
        if (data.type === 'STRING') return { kind: 'text', text: data.data };
        const raw = atob(data.data);
        const buffer = Uint8Array.from(raw, c => c.charCodeAt(0));
        let text;
        try {
            text = utf8.decode(buffer);
        } catch (ignored) {
            const hex = Array.from(buffer.slice(0, 512), b => b.toString(16).padStart(2, '0')).join(' ');
            return { kind: 'binary', text: hex + (buffer.length > 512 ? ` … (${buffer.length} bytes)` : '') };
        }
        const trimmed = text.trim();
        if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
            try { return { kind: 'json', text: JSON.stringify(JSON.parse(trimmed), null, 2) }; } catch (ignored) { /* text */ }
        }
        return { kind: 'text', text };
    }

    // ---------------------------------------------------------------- consumer groups

    async function groupsView() {
        let groups;
        try {
            groups = await api('GET', 'consumer-groups');
        } catch (e) {
            if (e.status !== 404) throw e;
            render(heading('Consumer groups'), h('p', { class: 'empty' }, 'This Hearth does not offer consumer groups over REST yet.'));
            return;
        }
        const sorted = [...groups.data].sort((a, b) => a.consumer_group_id.localeCompare(b.consumer_group_id));
        render(
            heading('Consumer groups'),
            table('Consumer groups', [
                { label: 'Group', cell: g => h('a', { href: `#/groups/${seg(g.consumer_group_id)}` }, g.consumer_group_id) },
                { label: 'State', cell: g => h('span', { class: 'badge ' + stateClass(g.state) }, g.state) },
                { label: 'Protocol', cell: g => g.protocol_type || '–' },
                { label: 'Members', num: true, cell: g => fmt(g.members_count) },
                { label: 'Total lag', num: true, cell: g => lagCell(g.total_lag) }
            ], sorted, 'No consumer groups. They appear once a Kafka consumer commits offsets.'));
    }

    function lagCell(lag) {
        return h('span', { class: 'lag ' + (lag > 0 ? 'behind' : 'caught-up') }, fmt(lag));
    }

    async function groupView(id) {
        const group = await api('GET', `consumer-groups/${seg(id)}`);
        const members = group.members || [];
        const offsets = [...(group.offsets || [])].sort((a, b) =>
            a.topic_name.localeCompare(b.topic_name) || a.partition_id - b.partition_id);
        const maxLag = Math.max(1, ...offsets.map(o => o.lag || 0));
        const resetButton = h('button', { type: 'button', class: 'button', onclick: () => resetDialog(group) }, 'Reset offsets');
        const deleteButton = h('button', { type: 'button', class: 'button danger-outline', onclick: () => openDialog({
            title: 'Delete consumer group?', confirm: 'Delete group', danger: true,
            body: h('p', {}, 'Group ', h('strong', {}, id), ' and its committed offsets will be deleted.'),
            action: async () => { await api('DELETE', `consumer-groups/${seg(id)}`); location.hash = '#/groups'; }
        }) }, 'Delete');
        render(
            h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/groups' }, 'Consumer groups'), ' / ', h('span', { 'aria-current': 'page' }, id)),
            heading(id, h('a', { class: 'button', href: auditLink('group', id) }, 'Audit trail'), resetButton, deleteButton),
            h('dl', { class: 'stats' },
                stat('State', h('span', { class: 'badge ' + stateClass(group.state) }, group.state)),
                stat('Members', fmt(members.length)),
                stat('Partitions', fmt(offsets.length)),
                stat('Total lag', lagCell(group.total_lag))),
            h('h2', {}, 'Offsets and lag'),
            table(`Committed offsets of ${id}`, [
                { label: 'Topic / partition', cell: o => h('a', { href: `#/topics/${seg(o.topic_name)}/messages?partition=${o.partition_id}&offset=${o.committed_offset ?? 0}` },
                    `${o.topic_name} / ${o.partition_id}`) },
                { label: 'Committed offset', num: true, cell: o => fmt(o.committed_offset) },
                { label: 'Log end offset', num: true, cell: o => fmt(o.log_end_offset) },
                { label: 'Lag', num: true, cell: o => h('span', { class: 'lag-bar' },
                    h('meter', { min: '0', max: String(maxLag), low: String(maxLag / 4), high: String(maxLag * 3 / 4), optimum: '0', value: String(o.lag || 0), 'aria-label': `lag of ${o.topic_name} partition ${o.partition_id}` }),
                    lagCell(o.lag)) }
            ], offsets, 'No committed offsets.'),
            h('h2', {}, 'Members'),
            table(`Members of ${id}`, [
                { label: 'Member', cell: m => h('code', {}, m.member_id) },
                { label: 'Client id', cell: m => m.client_id || '–' },
                { label: 'Host', cell: m => m.client_host || '–' },
                { label: 'Assignments', cell: m => (m.assignments || []).map(a => `${a.topic_name}/${a.partition_id}`).join(', ') || '–' }
            ], members, 'No active members: the group is empty, so its offsets can be reset.'));
    }

    /**
     * Resets a group's offsets. Preview asks the server what the chosen target resolves to now (a dry run) and lists
     * it partition by partition: each can be left out or given an offset of its own, and confirming then commits
     * exactly those offsets. Without a preview, confirming resets every partition the group has committed offsets for.
     */
    function resetDialog(group) {
        const id = group.consumer_group_id;
        const committed = new Map((group.offsets || []).map(o => [`${o.topic_name}/${o.partition_id}`, o.committed_offset]));
        let rows = null;
        const preview = h('div', { id: 'reset-preview', 'aria-live': 'polite' });
        const clearPreview = () => {
            rows = null;
            preview.replaceChildren(h('p', { class: 'hint' }, 'Preview shows the new offset of each partition; you can then leave partitions out or change an offset.'));
        };
        clearPreview();
        const target = resetTarget('reset', 'Move committed offsets to', [
            ['earliest', 'the earliest retained record (re-consume everything)'],
            ['latest', 'the log end (skip everything not yet consumed)'],
            ['timestamp', 'the first record at or after a time:']
        ], clearPreview);
        const previewButton = h('button', { type: 'button', class: 'button', id: 'reset-preview-button', onclick: () => busy(previewButton, async () => {
            if (!dialogForm.reportValidity()) return;
            const answer = await api('POST', `consumer-groups/${seg(id)}/offsets:reset`, { ...target.body(dialogForm), dry_run: true });
            rows = answer.data.map(o => {
                const where = `${o.topic_name} partition ${o.partition_id}`;
                return { ...o,
                    include: h('input', { type: 'checkbox', checked: true, 'aria-label': `Reset ${where}` }),
                    offset: h('input', { type: 'number', min: '0', value: String(o.new_offset), required: true, class: 'offset-input',
                        'aria-label': `New offset of ${where}` }) };
            });
            preview.replaceChildren(table(`New offsets of ${id}`, [
                { label: 'Reset', cell: r => r.include },
                { label: 'Topic / partition', cell: r => `${r.topic_name} / ${r.partition_id}` },
                { label: 'Committed', num: true, cell: r => fmt(committed.get(`${r.topic_name}/${r.partition_id}`)) },
                { label: 'New offset', num: true, cell: r => r.offset }
            ], rows, 'No partitions to reset.'));
        }) }, 'Preview');
        openDialog({
            title: `Reset offsets of ${id}?`,
            confirm: 'Reset offsets',
            danger: true,
            body: [
                target.fieldset,
                h('div', { class: 'actions' }, previewButton),
                preview,
                (group.members || []).length ? h('p', { class: 'warning' },
                    `The group has ${group.members.length} active member(s); Hearth refuses to reset offsets until they leave.`) : null
            ],
            action: async form => {
                let body = target.body(form);
                if (rows) {
                    const chosen = rows.filter(r => r.include.checked);
                    if (!chosen.length) throw new Problem(400, 'No partition chosen', 'Tick at least one partition to reset.');
                    body = { to: 'offsets', offsets: chosen.map(r => ({ topic_name: r.topic_name, partition_id: r.partition_id, offset: Number(r.offset.value) })) };
                }
                await api('POST', `consumer-groups/${seg(id)}/offsets:reset`, body);
                route();
            }
        });
    }

    /**
     * The "reset to" radio group of a reset dialog: {@code choices} are [value, label] pairs, the first checked;
     * the value {@code timestamp} enables a local date-time field. {@code body(form)} is the request body,
     * {"to": value} plus "timestamp" in epoch milliseconds when one was chosen.
     */
    function resetTarget(idPrefix, legend, choices, onChange = () => {}) {
        const timestamp = h('input', { id: `${idPrefix}-timestamp`, name: 'timestamp', type: 'datetime-local', step: '1', oninput: () => onChange(),
            disabled: true, 'aria-label': 'Date and time (local)' });
        const choice = ([value, label], index) => h('label', { class: 'radio' },
            h('input', { type: 'radio', name: 'to', value, id: `${idPrefix}-to-${value}`, checked: index === 0,
                onchange: () => { timestamp.disabled = value !== 'timestamp'; timestamp.required = value === 'timestamp'; onChange(); } }),
            label);
        return {
            fieldset: h('fieldset', {}, h('legend', {}, legend), choices.map(choice), timestamp),
            body: form => {
                const to = form.elements.to.value;
                return to === 'timestamp' ? { to, timestamp: new Date(timestamp.value).getTime() } : { to };
            }
        };
    }

    // ---------------------------------------------------------------- stream jobs

    /** Badge colours of a job's states; STARTING and WAITING_FOR_TOPICS take the default (warn). */
    const JOB_STATE_CLASS = { RUNNING: 'ok', PAUSED: 'idle', STOPPED: 'idle', FAILED: 'bad', REJECTED: 'bad' };

    function jobState(state, id) {
        return h('span', { class: 'badge ' + (JOB_STATE_CLASS[state] || 'warn'), id, 'data-state': state },
            String(state).replaceAll('_', ' '));
    }

    /**
     * Runs {@code tick} every poll interval while the current view is shown; a slow tick delays the next one.
     * {@code tick} handles its own errors, showing them where its figures are.
     */
    function whileShown(tick) {
        let timer;
        let shown = true;
        const next = () => { if (shown) timer = setTimeout(run, POLL_INTERVAL_MS); };
        const run = () => Promise.resolve().then(tick).finally(next);
        onLeave(() => { shown = false; clearTimeout(timer); });
        next();
    }

    /** An optional part of the API: null when this server answers 404 for it. */
    async function optional(request) {
        try {
            return await request;
        } catch (e) {
            if (e.status === 404) return null;
            throw e;
        }
    }

    function topicLinks(topics) {
        if (!topics || !topics.length) return '–';
        return topics.flatMap((t, i) => [i ? ', ' : null, h('a', { href: `#/topics/${seg(t)}` }, t)]);
    }

    function noJobs() {
        return h('div', { class: 'empty', id: 'jobs-empty' },
            h('p', { class: 'empty-title' }, 'No stream jobs are deployed'),
            h('p', { class: 'hint' }, 'A job is a method annotated @StreamJob("name") on a CDI bean of the deployed application; it appears here when the application starts.'));
    }

    async function jobsView() {
        const jobs = await optional(api('GET', 'jobs'));
        if (!jobs) {
            render(heading('Stream jobs'), h('p', { class: 'empty' }, 'This Hearth does not offer stream jobs over REST.'));
            return;
        }
        const holder = h('div', { id: 'jobs' }, jobsTable(jobs.data));
        const status = h('p', { class: 'hint' }, `Refreshed every ${POLL_INTERVAL_MS / 1000} s while this page is open.`);
        render(heading('Stream jobs'), holder, status);
        whileShown(async () => {
            // Replacing the table would drop keyboard focus from a link in it: skip while focus is there.
            if (holder.contains(document.activeElement)) return;
            try {
                holder.replaceChildren(jobsTable((await api('GET', 'jobs')).data));
                status.textContent = `Updated ${clock(Date.now())}; refreshed every ${POLL_INTERVAL_MS / 1000} s while this page is open.`;
            } catch (e) {
                status.textContent = `Refresh failed at ${clock(Date.now())}: ${e.detail || e.title}`;
            }
        });
    }

    function jobsTable(jobs) {
        const sorted = [...jobs].sort((a, b) => a.job_name.localeCompare(b.job_name));
        return table('Stream jobs', [
            { label: 'Job', cell: j => h('a', { href: `#/jobs/${seg(j.job_name)}` }, j.job_name) },
            { label: 'Application', cell: j => j.application },
            { label: 'State', cell: j => jobState(j.state) },
            { label: 'Sources', cell: j => topicLinks(j.source_topics) },
            { label: 'Total lag', num: true, cell: j => lagCell(j.total_lag) },
            { label: 'Records in', num: true, cell: j => fmt(j.records_in) },
            { label: 'Records out', num: true, cell: j => fmt(j.records_out) },
            { label: 'Late records', num: true, cell: j => fmt(j.late_records) },
            { label: 'Failures', num: true, cell: j => h('span', { class: j.failures > 0 ? 'failures' : null }, fmt(j.failures)) },
            { label: 'Last error', cell: j => lastError(j) }
        ], sorted, noJobs());
    }

    function lastError(job) {
        if (!job.last_error) return '–';
        return h('span', { class: 'error-text', title: job.last_error },
            job.last_error_at ? h('time', { datetime: job.last_error_at }, time(Date.parse(job.last_error_at)) + ' ') : null,
            job.last_error);
    }

    /** Figures of one job poll, with rates (records/s) against the previous poll; counters that went back (a reset) count as 0. */
    function jobSample(job, previous, at) {
        const rate = key => previous ? Math.max(0, job[key] - previous.job[key]) / ((at - previous.at) / 1000) : null;
        return { at, job, in: rate('records_in'), out: rate('records_out'), lag: job.total_lag };
    }

    async function jobView(name) {
        const path = `jobs/${seg(name)}`;
        const first = await api('GET', path);
        const history = [jobSample(first, null, Date.now())];
        const stats = h('dl', { class: 'stats' });
        const error = h('div', {});
        const tasks = h('div', {});
        const updated = h('p', { class: 'hint', 'aria-live': 'off' });
        const pauseButton = h('button', { type: 'button', class: 'button', onclick: () => act('pause', pauseButton) }, 'Pause');
        const resumeButton = h('button', { type: 'button', class: 'button', onclick: () => act('resume', resumeButton) }, 'Resume');
        const resetButton = h('button', { type: 'button', class: 'button danger-outline', onclick: () => resetJobDialog(current(), show) }, 'Reset…');
        const current = () => history[history.length - 1].job;

        const buttons = job => {
            pauseButton.disabled = job.state === 'PAUSED' || job.state === 'STOPPED' || job.state === 'REJECTED';
            resumeButton.disabled = job.state !== 'PAUSED';
        };
        const show = job => {
            stats.replaceChildren(...jobStats(job));
            error.replaceChildren(job.last_error ? h('p', { class: 'warning', role: 'status' }, 'Last error ', lastError(job)) : '');
            tasks.replaceChildren(taskTable(job));
            buttons(job);
            updated.textContent = `Updated ${clock(Date.now())}; figures are sampled every ${POLL_INTERVAL_MS / 1000} s.`;
        };
        async function act(action, button) {
            const job = await busy(button, () => api('POST', `${path}:${action}`, {}));
            if (job) show(job);
            buttons(job || current());
        }

        render(
            h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/jobs' }, 'Stream jobs'), ' / ', h('span', { 'aria-current': 'page' }, name)),
            heading(name, pauseButton, resumeButton, resetButton),
            stats, error,
            h('p', { class: 'hint job-io' }, 'Reads ', topicLinks(first.source_topics), '; writes ', topicLinks(first.sink_topics),
                '; consumer group ', h('a', { href: `#/groups/${seg(first.consumer_group_id)}` }, first.consumer_group_id), '.'),
            h('div', { class: 'charts' },
                chartCard('job-rate-chart', 'Throughput', 'records per second into and out of the job\'s tasks'),
                chartCard('job-lag-chart', 'Lag', 'records behind the source topics')),
            updated,
            h('h2', {}, 'Tasks'), tasks,
            h('h2', { id: 'plan-title' }, 'Physical plan'),
            h('pre', { class: 'plan', id: 'job-plan', 'aria-labelledby': 'plan-title', tabindex: '0' }, first.plan || '(no plan)'));
        show(first);

        const charts = [
            liveChart(document.getElementById('job-rate-chart'), [
                { label: 'in (records/s)', pick: s => s.in, color: '#e8590c' },
                { label: 'out (records/s)', pick: s => s.out, color: '#2b8a3e' }], () => history),
            liveChart(document.getElementById('job-lag-chart'), [{ label: 'lag', pick: s => s.lag, color: '#1c7ed6' }], () => history)
        ];
        onLeave(() => charts.forEach(c => c.destroy()));
        whileShown(async () => {
            const at = Date.now();
            let job;
            try {
                job = await api('GET', path);
            } catch (e) {
                updated.textContent = `Update failed at ${clock(at)}: ${e.detail || e.title}`;
                return;
            }
            history.push(jobSample(job, history[history.length - 1], at));
            while (history.length > 1 && history[0].at < at - HISTORY_MS) history.shift();
            show(job);
            charts.forEach(c => c.update());
        });
    }

    function jobStats(job) {
        return [
            stat('State', jobState(job.state, 'job-state')),
            stat('Application', job.application),
            stat('Total lag', lagCell(job.total_lag)),
            stat('Records in', fmt(job.records_in), `${fmt(job.records_consumed)} consumed from sources`),
            stat('Records out', fmt(job.records_out)),
            stat('Late records', fmt(job.late_records)),
            stat('Failures', fmt(job.failures)),
            stat('Workers', fmt(job.workers))
        ];
    }

    function taskTable(job) {
        const rows = [...(job.tasks || [])].sort((a, b) => a.stage - b.stage || a.partition_id - b.partition_id);
        return table(`Tasks of ${job.job_name}`, [
            { label: 'Stage', num: true, cell: t => String(t.stage) },
            { label: 'Partition', num: true, cell: t => String(t.partition_id) },
            { label: 'Records in', num: true, cell: t => fmt(t.records_in) },
            { label: 'Records out', num: true, cell: t => fmt(t.records_out) },
            { label: 'Late records', num: true, cell: t => fmt(t.late_records) },
            { label: 'Watermark', cell: t => t.watermark_ms === null || t.watermark_ms === undefined
                ? h('span', { class: 'hint' }, 'none yet')
                : h('time', { datetime: new Date(t.watermark_ms).toISOString() }, time(t.watermark_ms)) }
        ], rows, 'No tasks yet: they appear once the workers have their partitions.');
    }

    /** Confirms and runs a reset; the dialog shows progress while the job stops, forgets its state and restarts. */
    function resetJobDialog(job, after) {
        const target = resetTarget('job-reset', 'Reprocess from', [
            ['earliest', 'the earliest retained records of its sources'],
            ['timestamp', 'the first records at or after a time:']
        ]);
        const progress = h('p', { class: 'hint', id: 'job-reset-progress', role: 'status', 'aria-live': 'polite' });
        openDialog({
            title: `Reset ${job.job_name}?`,
            confirm: 'Reset job',
            danger: true,
            body: [
                h('p', {}, 'The job stops, empties its state, moves its consumer group ', h('code', {}, job.consumer_group_id),
                    ' and starts again. Its outputs receive the recomputed results after the earlier ones.'),
                target.fieldset,
                progress
            ],
            action: async form => {
                progress.replaceChildren(h('span', { class: 'spinner', 'aria-hidden': 'true' }),
                    ' Resetting: stopping the workers, clearing state and moving the group…');
                try {
                    after(await api('POST', `jobs/${seg(job.job_name)}:reset`, target.body(form)));
                    progress.replaceChildren();
                } catch (e) {
                    progress.textContent = `Reset failed: ${e.detail || e.title}`;
                    throw e;
                }
            }
        });
    }

    // ---------------------------------------------------------------- audit trail

    const AUDIT_LIMIT = 100;

    function auditAction(action) {
        const cls = action.startsWith('DELETE') ? 'bad' : action.startsWith('CREATE') ? 'ok' : 'warn';
        return h('span', { class: 'badge ' + cls }, action);
    }

    function auditResource(entry) {
        const href = entry.resource_type === 'topic' ? `#/topics/${seg(entry.resource_name)}`
            : entry.resource_type === 'group' ? `#/groups/${seg(entry.resource_name)}` : null;
        return [h('span', { class: 'hint' }, entry.resource_type + ' '),
            href ? h('a', { href }, entry.resource_name) : entry.resource_name];
    }

    function auditLink(type, name) {
        return `#/audit?resource_type=${seg(type)}&resource_name=${seg(name)}`;
    }

    async function auditView(query) {
        const type = query.get('resource_type') || '';
        const name = query.get('resource_name') || '';
        const params = new URLSearchParams({ limit: String(AUDIT_LIMIT) });
        if (type && name) {
            params.set('resource_type', type);
            params.set('resource_name', name);
        }
        const entries = await optional(api('GET', `audit-entries?${params}`));
        if (!entries) {
            render(heading('Audit trail'), h('p', { class: 'empty' }, 'This Hearth does not offer an audit trail over REST.'));
            return;
        }
        render(
            heading('Audit trail', h('button', { type: 'button', class: 'button', onclick: () => route() }, 'Refresh')),
            auditFilter(type, name),
            table('Audit trail, newest first', [
                { label: 'When', cell: e => h('time', { datetime: e.occurred_at }, time(Date.parse(e.occurred_at))) },
                { label: 'Who', cell: e => e.principal },
                { label: 'Action', cell: e => auditAction(e.action) },
                { label: 'Resource', cell: e => auditResource(e) },
                { label: 'Detail', cell: e => e.detail ? h('span', { class: 'detail-text' }, e.detail) : '–' }
            ], entries.data, type && name ? `No changes recorded for ${type} ${name}.` : 'No administrative changes recorded yet.'),
            h('p', { class: 'hint' }, `Up to the newest ${AUDIT_LIMIT} administrative changes, newest first.`));
    }

    function auditFilter(type, name) {
        const typeSelect = h('select', { id: 'audit-type', name: 'type' },
            [['', 'Any resource'], ['topic', 'Topic'], ['group', 'Consumer group'], ['user', 'User'], ['acl', 'ACL']].map(([value, label]) =>
                h('option', { value, selected: value === type }, label)));
        const nameInput = h('input', { id: 'audit-name', name: 'name', value: name, autocomplete: 'off', spellcheck: 'false' });
        return h('form', { class: 'browser-controls', role: 'search', 'aria-label': 'Filter the audit trail', onsubmit: event => {
            event.preventDefault();
            const t = typeSelect.value, n = nameInput.value.trim();
            location.hash = t && n ? auditLink(t, n) : '#/audit';
        } },
            h('div', { class: 'field' }, h('label', { for: 'audit-type' }, 'Resource type'), typeSelect),
            h('div', { class: 'field' }, h('label', { for: 'audit-name' }, 'Name'), nameInput),
            h('div', { class: 'field buttons' },
                h('button', { type: 'submit', class: 'button primary' }, 'Filter'),
                h('a', { class: 'button', href: '#/audit' }, 'Show all')));
    }

    // ---------------------------------------------------------------- users and ACLs

    /** Users of Hearth's one directory (Kafka clients and this console alike); passwords go in, never come out. */
    async function usersView() {
        const users = await api('GET', 'users');
        render(
            heading('Users', h('button', { type: 'button', class: 'button primary', onclick: () => passwordDialog(null) }, '+ Add user')),
            h('p', { class: 'hint' }, 'One directory for Kafka clients (SASL SCRAM or PLAIN) and this API. What a user may do is decided by ',
                h('a', { href: '#/acls' }, 'ACLs'), ' for its principal User:<name>.'),
            table('Users', [
                { label: 'User', cell: u => u.user_name },
                { label: 'Principal', cell: u => h('a', { href: `#/acls?principal=${seg(u.principal)}` }, u.principal) },
                { label: 'SCRAM credentials', cell: u => u.scram_credentials.map(c => `${c.mechanism} (${fmt(c.iterations)} iterations)`).join(', ') || '–' },
                { label: 'Actions', cell: u => h('div', { class: 'row-actions' },
                    h('button', { type: 'button', class: 'button small', 'aria-label': `Set the password of ${u.user_name}`,
                        onclick: () => passwordDialog(u.user_name) }, 'Set password'),
                    h('button', { type: 'button', class: 'button small danger-outline', 'aria-label': `Delete user ${u.user_name}`,
                        onclick: () => deleteUserDialog(u.user_name) }, 'Delete')) }
            ], users.data, 'No users.'));
    }

    function passwordDialog(user) {
        openDialog({
            title: user ? `Set the password of ${user}` : 'Add user',
            confirm: user ? 'Set password' : 'Add user',
            body: [
                user ? null : h('label', { for: 'user-name' }, 'Name'),
                user ? null : h('input', { id: 'user-name', name: 'user', required: true, maxlength: '255', autocomplete: 'off', spellcheck: 'false' }),
                h('label', { for: 'user-password' }, 'Password'),
                h('input', { id: 'user-password', name: 'password', type: 'password', required: true, autocomplete: 'new-password' }),
                h('p', { class: 'hint' }, 'Stored as SCRAM-SHA-256 and SCRAM-SHA-512 credentials; the password itself is not kept.')
            ],
            action: async form => {
                const name = user || form.elements.user.value.trim();
                await api('PUT', `users/${seg(name)}`, { password: form.elements.password.value });
                route();
            }
        });
    }

    function deleteUserDialog(user) {
        openDialog({
            title: 'Delete user?',
            confirm: 'Delete user',
            danger: true,
            body: h('p', {}, 'User ', h('strong', {}, user), ' will no longer be able to log in over HTTP or Kafka. Its ACLs stay.'),
            action: async () => { await api('DELETE', `users/${seg(user)}`); route(); }
        });
    }

    const ACL_FIELDS = ['principal', 'resource_type', 'pattern_type', 'resource_name', 'operation', 'permission', 'host'];
    const RESOURCE_TYPES = ['TOPIC', 'GROUP', 'CLUSTER', 'TRANSACTIONAL_ID'];
    const ACL_OPERATIONS = ['READ', 'WRITE', 'CREATE', 'DELETE', 'ALTER', 'DESCRIBE', 'ALTER_CONFIGS', 'DESCRIBE_CONFIGS',
        'IDEMPOTENT_WRITE', 'CLUSTER_ACTION', 'DESCRIBE_TOKENS', 'CREATE_TOKENS', 'ALL'];

    /** Kafka's ACLs, the same that decide Kafka requests, with a filter kept in the hash for deep links. */
    async function aclsView(query) {
        const params = new URLSearchParams();
        for (const field of ACL_FIELDS) if (query.get(field)) params.set(field, query.get(field));
        const acls = await api('GET', `acls${params.toString() ? '?' + params : ''}`);
        render(
            heading('ACLs', h('button', { type: 'button', class: 'button primary', onclick: () => createAclDialog(query) }, '+ Add ACL')),
            h('p', { class: 'hint' }, "Kafka's ACLs decide Kafka and HTTP requests alike. Super users (hearth.security.super.users) need none."),
            aclFilter(query),
            table('ACLs', [
                { label: 'Principal', cell: a => a.principal },
                { label: 'Resource', cell: a => [h('span', { class: 'hint' }, a.resource_type + ' '), a.resource_name] },
                { label: 'Pattern', cell: a => a.pattern_type },
                { label: 'Operation', cell: a => a.operation },
                { label: 'Permission', cell: a => h('span', { class: 'badge ' + (a.permission === 'ALLOW' ? 'ok' : 'warn') }, a.permission) },
                { label: 'Host', cell: a => a.host },
                { label: 'Actions', cell: a => h('button', { type: 'button', class: 'button small danger-outline',
                    'aria-label': `Delete ACL ${a.permission} ${a.operation} on ${a.resource_type} ${a.resource_name} for ${a.principal}`,
                    onclick: () => deleteAclDialog(a) }, 'Delete') }
            ], acls.data, params.toString() ? 'No ACL matches this filter.' : 'No ACLs yet.'));
    }

    function aclFilter(query) {
        const principal = h('input', { id: 'acl-filter-principal', name: 'principal', value: query.get('principal') || '', placeholder: 'User:alice', autocomplete: 'off', spellcheck: 'false' });
        const type = h('select', { id: 'acl-filter-type', name: 'resource_type' },
            [['', 'Any'], ...RESOURCE_TYPES.map(t => [t, t])].map(([value, label]) => h('option', { value, selected: value === (query.get('resource_type') || '') }, label)));
        const name = h('input', { id: 'acl-filter-name', name: 'resource_name', value: query.get('resource_name') || '', autocomplete: 'off', spellcheck: 'false' });
        return h('form', { class: 'browser-controls', role: 'search', 'aria-label': 'Filter the ACLs', onsubmit: event => {
            event.preventDefault();
            const p = new URLSearchParams();
            if (principal.value.trim()) p.set('principal', principal.value.trim());
            if (type.value) p.set('resource_type', type.value);
            if (name.value.trim()) p.set('resource_name', name.value.trim());
            location.hash = p.toString() ? `#/acls?${p}` : '#/acls';
        } },
            h('div', { class: 'field' }, h('label', { for: 'acl-filter-principal' }, 'Principal'), principal),
            h('div', { class: 'field' }, h('label', { for: 'acl-filter-type' }, 'Resource type'), type),
            h('div', { class: 'field' }, h('label', { for: 'acl-filter-name' }, 'Resource name'), name),
            h('div', { class: 'field buttons' },
                h('button', { type: 'submit', class: 'button primary' }, 'Filter'),
                h('a', { class: 'button', href: '#/acls' }, 'Show all')));
    }

    function select(id, name, values, selected) {
        return h('select', { id, name }, values.map(v => h('option', { value: v, selected: v === selected }, v)));
    }

    function createAclDialog(query) {
        openDialog({
            title: 'Add ACL',
            confirm: 'Add ACL',
            body: [
                h('label', { for: 'acl-principal' }, 'Principal'),
                h('input', { id: 'acl-principal', name: 'principal', required: true, value: query.get('principal') || 'User:', pattern: '[^:]+:.+',
                    autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'acl-principal-hint' }),
                h('p', { class: 'hint', id: 'acl-principal-hint' }, 'User:<name>, or User:* for every user.'),
                h('label', { for: 'acl-resource-type' }, 'Resource type'),
                select('acl-resource-type', 'resource_type', RESOURCE_TYPES, query.get('resource_type') || 'TOPIC'),
                h('label', { for: 'acl-resource-name' }, 'Resource name'),
                h('input', { id: 'acl-resource-name', name: 'resource_name', required: true, value: query.get('resource_name') || '',
                    autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'acl-resource-hint' }),
                h('p', { class: 'hint', id: 'acl-resource-hint' }, 'A topic or group name, * for all, kafka-cluster for the cluster.'),
                h('label', { for: 'acl-pattern-type' }, 'Pattern'),
                select('acl-pattern-type', 'pattern_type', ['LITERAL', 'PREFIXED'], 'LITERAL'),
                h('label', { for: 'acl-operation' }, 'Operation'),
                select('acl-operation', 'operation', ACL_OPERATIONS, 'READ'),
                h('label', { for: 'acl-permission' }, 'Permission'),
                select('acl-permission', 'permission', ['ALLOW', 'DENY'], 'ALLOW'),
                h('label', { for: 'acl-host' }, 'Host'),
                h('input', { id: 'acl-host', name: 'host', required: true, value: '*', autocomplete: 'off', spellcheck: 'false' })
            ],
            action: async form => {
                const acl = {};
                for (const field of ACL_FIELDS) acl[field] = form.elements[field].value.trim();
                await api('POST', 'acls', acl);
                route();
            }
        });
    }

    function deleteAclDialog(acl) {
        openDialog({
            title: 'Delete ACL?',
            confirm: 'Delete ACL',
            danger: true,
            body: h('p', {}, `${acl.permission} ${acl.operation} on ${acl.resource_type} ${acl.pattern_type} `,
                h('strong', {}, acl.resource_name), ` for ${acl.principal} from ${acl.host} will be deleted.`),
            action: async () => {
                const p = new URLSearchParams();
                for (const field of ACL_FIELDS) p.set(field, acl[field]);
                await api('DELETE', `acls?${p}`);
                route();
            }
        });
    }

    // ---------------------------------------------------------------- signing in

    const session = document.getElementById('session');

    /** The top bar's user and Sign out; the live status waits for the poller's next word on the new credentials. */
    function showSession() {
        const user = sessionStorage.getItem(SIGNED_IN_USER);
        session.hidden = !user;
        document.getElementById('session-user').textContent = user ? `Signed in as ${user}` : '';
        document.getElementById('live-status').classList.toggle('down', !user);
        document.getElementById('live-text').textContent = user ? 'Connecting…' : 'Not signed in';
    }

    function signOut() {
        sessionStorage.removeItem(CREDENTIALS);
        sessionStorage.removeItem(SIGNED_IN_USER);
        showSession();
        signInView(null);
    }

    document.getElementById('sign-out').addEventListener('click', signOut);

    /**
     * The sign-in page, shown in place of a view whose request answered 401 ({@code problem}, null after signing
     * out). The credentials are tried before they are kept; the view asked for is rendered once they work.
     */
    function signInView(problem) {
        cleanup.forEach(fn => fn());
        cleanup = [];
        clearError();
        document.title = 'Sign in · Hearth console';
        const message = h('p', { id: 'sign-in-error', class: 'form-error', role: 'alert' });
        if (problem && sessionStorage.getItem(CREDENTIALS)) message.textContent = problem.detail || problem.title;
        const submit = h('button', { type: 'submit', class: 'button primary', id: 'sign-in' }, 'Sign in');
        const form = h('form', { class: 'card sign-in', onsubmit: event => {
            event.preventDefault();
            busy(submit, async () => {
                const user = form.elements.user.value;
                const credentials = base64Utf8(`${user}:${form.elements.password.value}`);
                const response = await fetch(`${API}/topics`, { headers: { Accept: 'application/json, application/problem+json',
                    'X-Requested-With': 'XMLHttpRequest', Authorization: `Basic ${credentials}` } });
                if (!response.ok) {
                    const answer = await response.json().catch(() => ({}));
                    message.textContent = response.status === 401 ? 'The user name or password is wrong.' : (answer.detail || answer.title || `HTTP ${response.status}`);
                    form.elements.password.select();
                    return;
                }
                sessionStorage.setItem(CREDENTIALS, credentials);
                sessionStorage.setItem(SIGNED_IN_USER, user);
                showSession();
                await route();
            });
        } },
            h('label', { for: 'sign-in-user' }, 'User'),
            h('input', { id: 'sign-in-user', name: 'user', required: true, autocomplete: 'username', spellcheck: 'false' }),
            h('label', { for: 'sign-in-password' }, 'Password'),
            h('input', { id: 'sign-in-password', name: 'password', type: 'password', required: true, autocomplete: 'current-password' }),
            message,
            h('div', { class: 'dialog-actions' }, submit));
        render(h('h1', {}, 'Sign in to Hearth'),
            h('p', { class: 'hint' }, 'A Hearth user, as Kafka clients sign in with. Kept in this tab only, until you sign out or close it.'),
            form);
        form.elements.user.focus();
    }

    // ---------------------------------------------------------------- Kafka Connect

    /** Badge colours of Connect's states (RUNNING, PAUSED, STOPPED, FAILED, UNASSIGNED, RESTARTING). */
    const CONNECT_STATE_CLASS = { RUNNING: 'ok', PAUSED: 'idle', STOPPED: 'idle', FAILED: 'bad' };

    function connectState(state) {
        return h('span', { class: 'badge ' + (CONNECT_STATE_CLASS[state] || 'warn'), 'data-state': state }, state);
    }

    /** A failed instance's trace, folded: its first line shown, the rest on demand. */
    function connectTrace(trace) {
        if (!trace) return '–';
        return h('details', { class: 'trace' }, h('summary', { class: 'error-text' }, trace.split('\n')[0]),
            h('pre', { class: 'value' }, trace));
    }

    async function connectorsView() {
        let connectors;
        try {
            connectors = await connectApi('GET', 'connectors?expand=status&expand=info');
        } catch (e) {
            if (e.status !== 503) throw e;
            render(heading('Connectors'), h('div', { class: 'empty', id: 'connectors-unavailable' },
                h('p', { class: 'empty-title' }, 'Kafka Connect is not running'), h('p', { class: 'hint' }, e.detail)));
            return;
        }
        const holder = h('div', { id: 'connectors' }, connectorsTables(connectors));
        const status = h('p', { class: 'hint' }, `Refreshed every ${POLL_INTERVAL_MS / 1000} s while this page is open.`);
        render(heading('Connectors', h('button', { type: 'button', class: 'button', onclick: () => route() }, 'Refresh')),
            holder, status);
        whileShown(async () => {
            if (holder.contains(document.activeElement)) return;
            try {
                holder.replaceChildren(connectorsTables(await connectApi('GET', 'connectors?expand=status&expand=info')));
                status.textContent = `Updated ${clock(Date.now())}; refreshed every ${POLL_INTERVAL_MS / 1000} s while this page is open.`;
            } catch (e) {
                status.textContent = `Refresh failed at ${clock(Date.now())}: ${e.detail || e.title}`;
            }
        });
    }

    /** Connectors, then every task of them; {@code expanded} is Connect's {name: {status, info}}. */
    function connectorsTables(expanded) {
        const connectors = Object.keys(expanded).sort().map(name => ({ name, ...expanded[name] }));
        const tasks = connectors.flatMap(c => (c.status.tasks || []).map(t => ({ connector: c.name, ...t })));
        const empty = h('div', { class: 'empty', id: 'connectors-empty' },
            h('p', { class: 'empty-title' }, 'No connectors'),
            h('p', { class: 'hint' }, 'Create one with POST /api/connect/connectors {"name", "config"}; its plugin goes in a directory of <data dir>/connect-plugins.'));
        return [
            table('Connectors', [
                { label: 'Connector', cell: c => c.name },
                { label: 'Type', cell: c => c.status.type || (c.info && c.info.type) || '–' },
                { label: 'State', cell: c => connectState(c.status.connector.state) },
                { label: 'Worker', cell: c => c.status.connector.worker_id },
                { label: 'Tasks', num: true, cell: c => fmt((c.status.tasks || []).length) },
                { label: 'Trace', cell: c => connectTrace(c.status.connector.trace) },
                { label: 'Actions', cell: c => connectorActions(c) }
            ], connectors, empty),
            tasks.length ? h('h2', {}, 'Tasks') : null,
            tasks.length ? table('Tasks', [
                { label: 'Task', cell: t => `${t.connector}-${t.id}` },
                { label: 'State', cell: t => connectState(t.state) },
                { label: 'Worker', cell: t => t.worker_id },
                { label: 'Trace', cell: t => connectTrace(t.trace) },
                { label: 'Actions', cell: t => h('button', { type: 'button', class: 'button small',
                    onclick: event => busy(event.currentTarget, async () => {
                        await connectApi('POST', `connectors/${seg(t.connector)}/tasks/${t.id}/restart`); route(); }) }, 'Restart') }
            ], tasks, '') : null
        ].filter(Boolean);
    }

    function connectorActions(connector) {
        const path = `connectors/${seg(connector.name)}`;
        const state = connector.status.connector.state;
        const act = (label, method, suffix) => h('button', { type: 'button', class: 'button small',
            onclick: event => busy(event.currentTarget, async () => { await connectApi(method, path + suffix); route(); }) }, label);
        return h('span', { class: 'actions' },
            state === 'PAUSED' || state === 'STOPPED' ? act('Resume', 'PUT', '/resume') : act('Pause', 'PUT', '/pause'),
            act('Restart', 'POST', '/restart?includeTasks=true&onlyFailed=false'),
            h('button', { type: 'button', class: 'button small danger', onclick: () => openDialog({
                title: 'Delete connector?',
                confirm: 'Delete connector',
                danger: true,
                body: h('p', {}, 'Connector ', h('strong', {}, connector.name),
                    ' and its tasks stop and its config is removed. Its committed offsets stay in hearth-connect-offsets.'),
                action: async () => { await connectApi('DELETE', path); route(); }
            }) }, 'Delete'));
    }

    // ---------------------------------------------------------------- router

    let routeSequence = 0;

    async function route() {
        cleanup.forEach(fn => fn());
        cleanup = [];
        const sequence = ++routeSequence;
        const hash = location.hash.replace(/^#/, '') || '/';
        const [path, search] = hash.split('?');
        const query = new URLSearchParams(search || '');
        const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
        const section = parts[0] || 'overview';
        document.querySelectorAll('[data-nav]').forEach(a => {
            if (a.dataset.nav === section) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
        });
        let view;
        let title;
        if (section === 'overview') { view = overview; title = 'Overview'; }
        else if (section === 'topics' && parts.length === 1) { view = topicsView; title = 'Topics'; }
        else if (section === 'topics') {
            if (parts[2] === 'messages' && !query.has('partition')) query.set('partition', '0');
            view = () => topicView(parts[1], query); title = parts[1];
        }
        else if (section === 'groups' && parts.length === 1) { view = groupsView; title = 'Consumer groups'; }
        else if (section === 'groups') { view = () => groupView(parts[1]); title = parts[1]; }
        else if (section === 'jobs' && parts.length === 1) { view = jobsView; title = 'Stream jobs'; }
        else if (section === 'jobs') { view = () => jobView(parts[1]); title = parts[1]; }
        else if (section === 'connectors') { view = connectorsView; title = 'Connectors'; }
        else if (section === 'audit') { view = () => auditView(query); title = 'Audit trail'; }
        else if (section === 'users') { view = usersView; title = 'Users'; }
        else if (section === 'acls') { view = () => aclsView(query); title = 'ACLs'; }
        else { view = async () => render(h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/' }, 'Back to the overview'))); title = 'Not found'; }
        document.title = `${title} · Hearth console`;
        try {
            await view();
        } catch (e) {
            if (sequence !== routeSequence) return;
            if (e.status === 401) {
                signInView(e);
                return;
            }
            showError(e);
            render(h('h1', {}, title), h('p', { class: 'empty' }, 'This view could not be loaded. ',
                h('button', { type: 'button', class: 'button small', onclick: () => { clearError(); route(); } }, 'Try again')));
        }
    }

    window.addEventListener('hashchange', () => { clearError(); route().then(() => main.focus({ preventScroll: true })); });
    if (sessionStorage.getItem(SIGNED_IN_USER)) showSession();
    route();
    poll();
})();
