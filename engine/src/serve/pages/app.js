// drill serve: the four pages (join, participant, evaluator, trainer) in one script.
// Plain JavaScript, no library, no network beyond this server. Chinese first; one
// column for a phone; every control at least 48 px tall.
'use strict';

const VIEW = document.body.dataset.view;
const app = document.getElementById('app');
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const $ = (sel) => document.querySelector(sel);

// --- tokens -------------------------------------------------------------------
// The trainer's comes in the address once (then kept for the tab and taken out of
// the address bar); a participant's or evaluator's from /api/join, kept on the phone.
function token() {
  if (VIEW === 'trainer') {
    const q = new URLSearchParams(location.search).get('token');
    if (q) {
      sessionStorage.setItem('drill-trainer', q);
      history.replaceState(null, '', '/trainer');
    }
    return sessionStorage.getItem('drill-trainer');
  }
  return localStorage.getItem('drill-token');
}

async function api(path, opts = {}) {
  const headers = Object.assign({}, opts.headers || {});
  const t = token();
  if (t) headers.Authorization = 'Bearer ' + t;
  const r = await fetch(path, Object.assign({}, opts, { headers }));
  let body = null;
  try { body = await r.json(); } catch (e) { body = { error: r.statusText }; }
  if (r.status === 401 && VIEW !== 'trainer' && VIEW !== 'join') {
    await rejoin();
  }
  return { ok: r.ok, status: r.status, body };
}

// After a server restart the phone's token is unknown: join again as the same role.
async function rejoin() {
  const as = localStorage.getItem('drill-as');
  if (!as) { location.href = '/join'; return; }
  const r = await fetch('/api/join', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ as, name: localStorage.getItem('drill-name') || '' }) });
  if (!r.ok) { location.href = '/join'; return; }
  const j = await r.json();
  localStorage.setItem('drill-token', j.token);
  location.reload();
}

// --- live updates ----------------------------------------------------------------
// EventSource reconnects by itself and sends the last index it saw, so a phone that
// slept catches up; items are also de-duplicated by index here.
const seen = new Set();
function listen(handlers) {
  const es = new EventSource('/api/events?token=' + encodeURIComponent(token()));
  const status = $('#conn');
  es.onopen = () => { if (status) { status.textContent = '● 已连接'; status.className = 'conn ok'; } };
  es.onerror = () => { if (status) { status.textContent = '○ 重新连接中…'; status.className = 'conn bad'; } };
  for (const [name, fn] of Object.entries(handlers)) {
    es.addEventListener(name, (e) => {
      if (e.lastEventId && name !== 'tick') {
        if (seen.has(e.lastEventId)) return;
        seen.add(e.lastEventId);
      }
      fn(JSON.parse(e.data));
    });
  }
}

// --- pieces shared by the views -------------------------------------------------------
const STATUS_CLASS = { accepted: 'ok', queued: 'warn', rejected: 'bad', pending: 'wait' };

function decisionCard(d) {
  const reason = d.reason ? `<div class="reason">原因 / reason: ${esc(d.reason)}</div>` : '';
  const task = d.task ? `<div class="small">计入任务 / counts as ${esc(d.task)}</div>` : '';
  return `<div class="card decision" id="d${d.number}"><div class="row"><b>#${d.number} ${esc(d.at)}</b>
    <span class="badge ${STATUS_CLASS[d.status] || ''}">${esc(d.status_zh)} / ${esc(d.status)}</span></div>
    <div class="line">${esc(d.line)}</div>${task}${reason}</div>`;
}

function upsertDecision(listSel, d) {
  const list = $(listSel);
  if (!list) return;
  const old = document.getElementById('d' + d.number);
  const html = decisionCard(d);
  if (old) old.outerHTML = html; else list.insertAdjacentHTML('afterbegin', html);
  const empty = list.querySelector('.empty');
  if (empty) empty.remove();
}

function injectCard(i) {
  const to = i.to && i.to.length ? ' → ' + i.to.map(esc).join('、') : '';
  return `<div class="card inject"><div class="row"><b>注入 ${i.number}</b><span class="small">${esc(i.at)}${i.from ? ' · ' + esc(i.from) : ''}${to}</span></div>
    <div class="msg">${esc(i.message)}</div></div>`;
}

function addInject(i) {
  const list = $('#injects');
  if (!list) return;
  list.insertAdjacentHTML('afterbegin', injectCard(i));
  const empty = list.querySelector('.empty');
  if (empty) empty.remove();
}

// The live map as inline SVG: zones, roads (closed ones red, dashed), places,
// households by state, teams.
let MAP = null;
function drawMap(tick) {
  const el = $('#map');
  if (!el || !MAP) return;
  const xs = MAP.places.map((p) => p.x), ys = MAP.places.map((p) => p.y);
  for (const z of MAP.zones) for (let k = 0; k < z.pts.length; k += 2) { xs.push(z.pts[k]); ys.push(z.pts[k + 1]); }
  if (!xs.length) return;
  const minx = Math.min(...xs), maxx = Math.max(...xs), miny = Math.min(...ys), maxy = Math.max(...ys);
  const w = Math.max(maxx - minx, 100), h = Math.max(maxy - miny, 100), pad = 0.08 * Math.max(w, h);
  const u = Math.max(w, h) / 100; // one hundredth of the map, for sizes
  const closed = new Set((tick && tick.closed) || []);
  let s = `<svg viewBox="${minx - pad} ${miny - pad} ${w + 2 * pad} ${h + 2 * pad}" role="img" aria-label="地图 / map">`;
  for (const z of MAP.zones) s += `<polygon points="${z.pts.join(' ')}" class="zone"><title>${esc(z.name)}</title></polygon>`;
  MAP.links.forEach((l, i) => { s += `<polyline points="${l.join(' ')}" class="${closed.has(i) ? 'road closed' : 'road'}" stroke-width="${u * 0.6}"/>`; });
  const colours = ['#9e9e9e', '#f39c12', '#27ae60', '#c0392b', '#2980b9'];
  for (const hh of (tick && tick.hh) || []) s += `<circle cx="${hh[0]}" cy="${hh[1]}" r="${u * 0.7}" fill="${colours[hh[2]]}"/>`;
  for (const p of MAP.places) {
    s += p.shelter ? `<rect x="${p.x - u * 1.5}" y="${p.y - u * 1.5}" width="${u * 3}" height="${u * 3}" class="shelter"/>`
      : `<circle cx="${p.x}" cy="${p.y}" r="${u * 1.3}" class="place"/>`;
    s += `<text x="${p.x + u * 2}" y="${p.y - u * 1.5}" font-size="${u * 3.6}">${esc(p.name)}</text>`;
  }
  for (const t of (tick && tick.teams) || []) {
    s += `<path d="M ${t.x} ${t.y - u * 2.2} L ${t.x - u * 2} ${t.y + u * 1.6} L ${t.x + u * 2} ${t.y + u * 1.6} Z" class="team"><title>${esc(t.name)} ${esc(t.state)}</title></path>`;
  }
  s += '</svg>';
  el.innerHTML = s;
}

const LEGEND = `<div class="legend"><span><i style="background:#9e9e9e"></i>在家</span><span><i style="background:#f39c12"></i>转移中</span>
  <span><i style="background:#27ae60"></i>已安置</span><span><i style="background:#c0392b"></i>受困</span><span><i class="tri"></i>队伍</span></div>`;

function clockBar(title) {
  return `<header class="top"><div><div class="who">${esc(title)}</div><div class="small" id="conn">…</div></div>
    <div class="clock" id="clock">--:--</div></header>`;
}

function onTick(t) {
  const c = $('#clock');
  if (c) c.textContent = t.clock + (t.finished ? ' 结束' : t.playing ? ' ▶' : ' ⏸');
  window.NEXT_AT = t.next_at;
  drawMap(t);
}

function message(sel, ok, text) {
  const el = $(sel);
  if (!el) return;
  el.className = 'msgbox ' + (ok ? 'ok' : 'bad');
  el.textContent = text;
}

// --- join ---------------------------------------------------------------------------
async function joinView() {
  const r = await fetch('/api/roles');
  const j = await r.json();
  const buttons = j.roles.map((x) => `<button class="big" data-as="${esc(x.id)}">${esc(x.name)}<span class="small">${x.kind === 'team' ? '队伍 / team' : '角色 / role'}</span></button>`).join('');
  app.innerHTML = `<header class="top"><div class="who">${esc(j.title)}</div></header>
    <h1>选择您的角色</h1><p class="small">Pick your role. 每部手机选一个角色。</p>
    <div class="grid">${buttons}</div>
    <h2>评估组 / Evaluators</h2>
    <input id="ename" placeholder="评估员姓名 / your name" maxlength="20">
    <button class="big alt" data-as="evaluator">我是评估员 / I evaluate</button>
    <div id="jmsg" class="msgbox"></div>`;
  app.querySelectorAll('button[data-as]').forEach((b) => b.addEventListener('click', async () => {
    const as = b.dataset.as;
    const name = as === 'evaluator' ? $('#ename').value : '';
    const r = await fetch('/api/join', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ as, name }) });
    const j = await r.json();
    if (!r.ok) { message('#jmsg', false, j.error); return; }
    localStorage.setItem('drill-token', j.token);
    localStorage.setItem('drill-as', as);
    localStorage.setItem('drill-name', name);
    location.href = j.page;
  }));
}

// --- participant ------------------------------------------------------------------------
function decisionForm(templates) {
  const opts = templates.map((t, i) => `<option value="${i}">${esc(t.task)}</option>`).join('');
  return `<section id="decide"><h2>提交决策 / Decide</h2>
    <label for="tpl">按处置卡任务填写 / fill from my card</label>
    <select id="tpl"><option value="">— 选择任务 / pick a task —</option>${opts}</select>
    <label for="line">行动 (时间 角色 动作) / action line</label>
    <textarea id="line" rows="3" placeholder="21:12 村应急管理员 warn zone 下村低洼区 via [loudspeaker]"></textarea>
    <button class="big go" id="send">提交 / Submit</button>
    <div id="smsg" class="msgbox"></div></section>`;
}

function wireDecisionForm(templates, listSel) {
  $('#tpl').addEventListener('change', (e) => {
    const t = templates[e.target.value];
    if (t) $('#line').value = (window.NEXT_AT || '') + ' ' + t.line;
  });
  $('#send').addEventListener('click', async () => {
    const line = $('#line').value.trim();
    if (!line) return;
    $('#send').disabled = true;
    const r = await api('/api/actions', { method: 'POST', body: line });
    $('#send').disabled = false;
    if (r.ok) {
      const d = r.body;
      if (d.number) {
        message('#smsg', true, `已记录 #${d.number}: ${d.status_zh} / logged: ${d.status}`);
        upsertDecision(listSel, d);
      } else {
        message('#smsg', true, `已记录 / logged: ${d.line}`);
      }
      $('#line').value = '';
    } else {
      message('#smsg', false, r.body.error);
    }
  });
}

function selfForm() {
  const ratings = ['P', 'S', 'M', 'U'].map((x) => `<label class="pill"><input type="radio" name="srate" value="${x}">${x}</label>`).join('');
  return `<section id="self"><h2>参演人员自评 / Self-assessment</h2>
    <p class="small">演练结束后填写。P 完成良好 · S 基本完成 · M 存在较大问题 · U 未能完成</p>
    <div class="pills">${ratings}</div>
    <label for="well">做得好的 / what went well</label><textarea id="well" rows="2"></textarea>
    <label for="improve">需改进的 / what to improve</label><textarea id="improve" rows="2"></textarea>
    <button class="big" id="sendself">提交自评 / Submit</button><div id="selfmsg" class="msgbox"></div></section>`;
}

async function participantView() {
  const r = await api('/api/view');
  if (!r.ok) { if (r.status !== 401) app.textContent = r.body.error; return; }
  const v = r.body;
  MAP = v.map;
  const card = v.card.length ? v.card.map((t) => `<div class="card"><b>${esc(t.id)} ${esc(t.title)}</b>
      <div class="small">${esc(t.when)}${t.deadline ? ' · ' + esc(t.deadline) : ''}</div></div>`).join('')
    : '<p class="empty">处置卡上没有本角色的任务 / no tasks for this role</p>';
  app.innerHTML = clockBar(v.grant.name) + `
    <nav class="tabs"><a href="#inj">注入</a><a href="#decide">决策</a><a href="#mine">结果</a><a href="#mapsec">地图</a><a href="#self">自评</a></nav>
    <section id="inj"><h2>收到的注入 / Injects to me</h2><div id="injects"><p class="empty">暂无 / none yet</p></div></section>
    <section><h2>我的处置卡 / My tasks</h2>${card}</section>
    ${decisionForm(v.templates)}
    <section id="mine"><h2>我的决策与结果 / My decisions</h2><div id="decisions"><p class="empty">暂无 / none yet</p></div></section>
    <section id="mapsec"><h2>地图 / Map</h2><div id="map" class="map"></div>${LEGEND}</section>
    ${selfForm()}`;
  wireDecisionForm(v.templates, '#decisions');
  $('#sendself').addEventListener('click', async () => {
    const rating = (document.querySelector('input[name=srate]:checked') || {}).value || null;
    const r = await api('/api/records', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ kind: 'self', rating, well: $('#well').value, improve: $('#improve').value }) });
    message('#selfmsg', r.ok, r.ok ? '自评已保存 / saved' : r.body.error);
  });
  drawMap(null);
  listen({ tick: onTick, inject: addInject, decision: (d) => upsertDecision('#decisions', d), verdict: (d) => upsertDecision('#decisions', d) });
}

// --- evaluator ----------------------------------------------------------------------------
function recordCard(x) {
  if (x.kind === 'self') {
    return `<div class="card"><b>自评 · ${esc(x.by)}</b> <span class="badge">${esc(x.rating || '-')}</span>
      <div class="small">${esc(x.at)}</div><div>好: ${esc(x.well)}</div><div>改进: ${esc(x.improve)}</div></div>`;
  }
  return `<div class="card"><b>${esc(x.task)} · ${esc(x.by)}</b> <span class="badge">${esc(x.rating || '-')}</span>
    <div class="small">记录于 ${esc(x.at)} · 开始 ${esc(x.started || '-')} · 完成 ${esc(x.finished || '-')}</div><div>${esc(x.note)}</div></div>`;
}

const RECORDS = [];
function addRecord(x) {
  RECORDS.push(x);
  const list = $('#records');
  if (list) {
    list.insertAdjacentHTML('afterbegin', recordCard(x));
    const empty = list.querySelector('.empty');
    if (empty) empty.remove();
  }
  if (window.renderScore) window.renderScore();
}

async function evaluatorView() {
  const r = await api('/api/view');
  if (!r.ok) { if (r.status !== 401) app.textContent = r.body.error; return; }
  const v = r.body;
  MAP = v.map;
  const forms = v.tasks.map((t) => `<div class="card task" data-task="${esc(t.id)}">
      <b>${esc(t.id)} ${esc(t.title)}</b><div class="small">${esc(t.who.join('、'))} · ${esc(t.when)}${t.deadline ? ' · ' + esc(t.deadline) : ''}</div>
      <div class="two"><div><label>开始 / started</label><input class="started" placeholder="HH:MM"><button class="now" data-f="started">现在</button></div>
      <div><label>完成 / finished</label><input class="finished" placeholder="HH:MM"><button class="now" data-f="finished">现在</button></div></div>
      <label>观察记录 / notes</label><textarea class="note" rows="2"></textarea>
      <div class="pills">${['P', 'S', 'M', 'U'].map((x) => `<label class="pill"><input type="radio" name="r-${esc(t.id)}" value="${x}">${x}</label>`).join('')}</div>
      <button class="big save">保存 / Save</button><div class="msgbox"></div></div>`).join('');
  app.innerHTML = clockBar(v.grant.name || '评估组') + `
    <nav class="tabs"><a href="#tasks">任务</a><a href="#rec">记录</a><a href="#inj">注入</a><a href="#all">决策</a></nav>
    <section id="tasks"><h2>按预案任务评估 / Evaluate each plan task</h2>
    <p class="small">P 完成良好 · S 基本完成 · M 存在较大问题 · U 未能完成 (AQ/T 9009 §7.3)</p>${forms}</section>
    <section id="rec"><h2>评估与自评记录 / Records</h2><div id="records"><p class="empty">暂无 / none yet</p></div></section>
    <section id="inj"><h2>注入 / Injects</h2><div id="injects"><p class="empty">暂无 / none yet</p></div></section>
    <section id="all"><h2>全部决策 / All decisions</h2><div id="decisions"><p class="empty">暂无 / none yet</p></div></section>
    <section><h2>地图 / Map</h2><div id="map" class="map"></div>${LEGEND}</section>`;
  app.querySelectorAll('.task').forEach((card) => {
    card.querySelectorAll('.now').forEach((b) => b.addEventListener('click', () => {
      card.querySelector('.' + b.dataset.f).value = ($('#clock').textContent || '').slice(0, 5);
    }));
    card.querySelector('.save').addEventListener('click', async () => {
      const rating = (card.querySelector('input[type=radio]:checked') || {}).value || null;
      const body = { kind: 'observation', task: card.dataset.task, started: card.querySelector('.started').value.trim(), finished: card.querySelector('.finished').value.trim(), note: card.querySelector('.note').value, rating };
      const r = await api('/api/records', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const box = card.querySelector('.msgbox');
      box.className = 'msgbox ' + (r.ok ? 'ok' : 'bad');
      box.textContent = r.ok ? '已保存 / saved' : r.body.error;
    });
  });
  drawMap(null);
  listen({ tick: onTick, inject: addInject, decision: (d) => upsertDecision('#decisions', d), verdict: (d) => upsertDecision('#decisions', d), record: addRecord });
}

// --- trainer ------------------------------------------------------------------------------
let LAST_TRAINER_TICK = null;
async function trainerView() {
  const r = await api('/api/view');
  if (!r.ok) { app.innerHTML = `<p class="msgbox bad">${esc(r.body.error)}</p><p>请使用启动时打印的导调地址 / open the trainer address printed at start.</p>`; return; }
  const v = r.body;
  MAP = v.map;
  const roles = v.roles.map((x) => `<option>${esc(x.name)}</option>`).join('');
  app.innerHTML = clockBar('导调 · ' + v.title) + `
    <section class="controls"><button class="big go" data-op="play">▶ 开始</button><button class="big" data-op="pause">⏸ 暂停</button>
      <div class="pills">${[1, 10, 60, 300].map((x) => `<button class="pill" data-speed="${x}">${x}×</button>`).join('')}</div>
      <button class="big alt" data-op="end">⏭ 至结束 / to the end</button><div id="cmsg" class="msgbox"></div></section>
    <nav class="tabs"><a href="#up">注入</a><a href="#all">决策</a><a href="#score">评分</a><a href="#rec">评估</a><a href="#mapsec">地图</a></nav>
    <section id="up"><h2>待下达注入 / Injects to come</h2><div id="upcoming"></div></section>
    <section id="inj"><h2>已下达注入 / Injects fired</h2><div id="injects"><p class="empty">暂无 / none yet</p></div></section>
    <section id="decide"><h2>代为录入 / Enter for a role</h2><p class="small">角色: ${roles ? `<select id="roleHint">${roles}</select>` : ''}</p>
      <textarea id="line" rows="2" placeholder="21:12 村应急管理员 warn zone 下村低洼区 via [loudspeaker]"></textarea>
      <button class="big go" id="send">提交 / Submit</button><div id="smsg" class="msgbox"></div></section>
    <section id="all"><h2>全部决策 / All decisions</h2><div id="decisions"><p class="empty">暂无 / none yet</p></div></section>
    <section id="score"><h2>实时评分 / Live scoreboard</h2><div id="scoreboard"></div></section>
    <section id="rec"><h2>评估组与自评 / Evaluators and self-assessments</h2><div id="records"><p class="empty">暂无 / none yet</p></div></section>
    <section id="mapsec"><h2>地图 / Map</h2><div id="map" class="map"></div>${LEGEND}</section>
    <section><h2>事件 / Events</h2><div id="events" class="events"></div></section>`;
  app.querySelectorAll('button[data-op]').forEach((b) => b.addEventListener('click', async () => {
    const r = await api('/api/control', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ op: b.dataset.op }) });
    message('#cmsg', r.ok, r.ok ? `时钟 ${r.body.clock}` : r.body.error);
  }));
  app.querySelectorAll('button[data-speed]').forEach((b) => b.addEventListener('click', async () => {
    const r = await api('/api/control', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ op: 'speed', speed: Number(b.dataset.speed) }) });
    message('#cmsg', r.ok, r.ok ? `倍速 ${r.body.speed}× / speed` : r.body.error);
  }));
  const roleHint = $('#roleHint');
  if (roleHint) roleHint.addEventListener('change', () => { $('#line').value = (window.NEXT_AT || '') + ' ' + roleHint.value + ' '; });
  $('#send').addEventListener('click', async () => {
    const line = $('#line').value.trim();
    if (!line) return;
    const r = await api('/api/actions', { method: 'POST', body: line });
    if (r.ok) { message('#smsg', true, r.body.number ? `已记录 #${r.body.number}: ${r.body.status_zh}` : `已记录 / logged: ${r.body.line}`); $('#line').value = ''; if (r.body.number) upsertDecision('#decisions', r.body); }
    else message('#smsg', false, r.body.error);
  });
  $('#upcoming').addEventListener('click', async (e) => {
    const b = e.target.closest('button[data-cmd]');
    if (!b) return;
    const r = await api('/api/actions', { method: 'POST', body: b.dataset.cmd });
    message('#cmsg', r.ok, r.ok ? `${r.body.command === 'fire' ? '下达' : '跳过'} 注入 ${r.body.inject} @ ${r.body.at}` : r.body.error);
  });
  window.renderScore = () => {
    const t = LAST_TRAINER_TICK;
    if (!t || !t.score || !t.score.tasks) return;
    const byTask = {};
    for (const x of RECORDS) if (x.kind === 'observation' && x.rating) (byTask[x.task] = byTask[x.task] || []).push(x.rating);
    const rows = t.score.tasks.map((x) => `<tr><td>${esc(x.id)}</td><td>${esc(x.title)}</td><td class="c">${esc(x.rating || '–')}</td><td class="c">${esc((byTask[x.id] || []).join(' ') || '–')}</td></tr>`).join('');
    $('#scoreboard').innerHTML = `<p><b>总分 ${t.score.total}</b> · ${esc(t.score.conclusion)}</p>
      <table><tr><th>任务</th><th></th><th>引擎评定</th><th>评估组</th></tr>${rows}</table>`;
  };
  listen({
    tick: (t) => {
      onTick(t);
      LAST_TRAINER_TICK = t;
      if (t.upcoming) {
        $('#upcoming').innerHTML = t.upcoming.length ? t.upcoming.map((i) => `<div class="card"><div class="row"><b>注入 ${i.number}</b><span class="small">${esc(i.due)}${i.contingency ? ' (条件)' : ''} → ${esc(i.to.join('、'))}</span></div>
          <div class="msg">${esc(i.message)}</div><div class="row"><button class="mid go" data-cmd="fire ${i.number}">下达 / fire</button><button class="mid" data-cmd="skip ${i.number}">跳过 / skip</button></div></div>`).join('') : '<p class="empty">注入已全部下达 / none left</p>';
      }
      window.renderScore();
    },
    inject: addInject,
    decision: (d) => upsertDecision('#decisions', d),
    verdict: (d) => upsertDecision('#decisions', d),
    record: addRecord,
    command: (c) => $('#events').insertAdjacentHTML('afterbegin', `<div class="small">${esc(c.at)} 导调${esc(c.zh)}注入 ${c.inject}</div>`),
    event: (e) => $('#events').insertAdjacentHTML('afterbegin', `<div class="small">${esc(e.at)} ${esc(e.text)}</div>`),
  });
}

({ join: joinView, participant: participantView, evaluator: evaluatorView, trainer: trainerView }[VIEW] || joinView)()
  .catch((e) => { app.insertAdjacentHTML('beforeend', `<p class="msgbox bad">${esc(e)}</p>`); });
