/**
 * The console's stylesheet and script, served from /admin/assets/ (the CSP allows no inline
 * script or style). Kept here as text so that the bundle, tsx and the tests serve the same bytes.
 * The script only improves pages that work without it: a confirm before stopping a broadcast,
 * the audience count while composing, and a broadcast's progress as it goes (server-sent events).
 */

export const CONSOLE_CSS = `
:root { --fg:#1d2330; --muted:#5b6475; --bg:#f5f6f8; --card:#fff; --line:#d9dde5; --accent:#b3261e;
  --ok:#1b7f3b; --warn:#9a6700; --bad:#b3261e; --link:#0b57d0; font-size:16px; }
* { box-sizing:border-box; }
body { margin:0; font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;
  color:var(--fg); background:var(--bg); line-height:1.45; }
a { color:var(--link); }
.top { background:#1d2330; color:#fff; padding:.5rem .75rem; display:flex; flex-wrap:wrap;
  align-items:center; gap:.5rem; }
.top a { color:#fff; }
.brand { font-weight:700; text-decoration:none; margin-right:auto; }
.account { display:flex; gap:.75rem; align-items:center; flex-wrap:wrap; font-size:.9rem; }
.who { opacity:.8; }
.nav { flex-basis:100%; display:flex; flex-wrap:wrap; gap:.25rem; padding-top:.25rem; }
.nav a { padding:.45rem .7rem; border-radius:.4rem; text-decoration:none; white-space:nowrap; }
.nav a[aria-current=page] { background:var(--accent); }
main { max-width:72rem; margin:0 auto; padding:1rem .75rem 3rem; }
h1 { font-size:1.4rem; margin:.25rem 0 1rem; }
h2 { font-size:1.1rem; margin:1.5rem 0 .5rem; }
.notice, .error { padding:.6rem .8rem; border-radius:.4rem; }
.notice { background:#e6f4ea; color:#0d5323; }
.error { background:#fce8e6; color:#8c1d18; }
.card { background:var(--card); border:1px solid var(--line); border-radius:.5rem; padding:.9rem; margin:.75rem 0; }
.cards { display:grid; grid-template-columns:repeat(auto-fill,minmax(10rem,1fr)); gap:.75rem; }
.cards .card { margin:0; }
.figure { font-size:1.6rem; font-weight:700; display:block; }
.label { color:var(--muted); font-size:.9rem; }
.stack { display:flex; flex-direction:column; gap:.5rem; }
.row { display:flex; flex-wrap:wrap; gap:.5rem; align-items:end; }
.inline { display:inline; margin:0; }
label { font-weight:600; font-size:.95rem; }
input, select, textarea, button { font:inherit; }
input[type=text], input[type=url], input[type=password], input[type=search], input[type=number],
select, textarea { width:100%; padding:.55rem .6rem; border:1px solid var(--line); border-radius:.4rem; background:#fff; }
textarea { min-height:8rem; }
button, .button { display:inline-block; padding:.55rem .9rem; border-radius:.4rem; border:1px solid var(--accent);
  background:var(--accent); color:#fff; cursor:pointer; text-decoration:none; min-height:2.5rem; }
button.secondary, .button.secondary { background:#fff; color:var(--accent); }
button.link { background:none; border:none; color:inherit; text-decoration:underline; padding:0; min-height:0; }
.table-wrap { overflow-x:auto; background:var(--card); border:1px solid var(--line); border-radius:.5rem; }
table { border-collapse:collapse; width:100%; font-size:.95rem; }
th, td { text-align:left; padding:.5rem .6rem; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:#eef0f4; font-weight:600; white-space:nowrap; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
.muted { color:var(--muted); }
.small { font-size:.85rem; }
.badge { display:inline-block; padding:.1rem .45rem; border-radius:1rem; font-size:.8rem; font-weight:600;
  background:#eef0f4; white-space:nowrap; }
.badge.ok { background:#e6f4ea; color:var(--ok); }
.badge.warn { background:#fff4d6; color:var(--warn); }
.badge.bad { background:#fce8e6; color:var(--bad); }
.chart svg { width:100%; height:auto; display:block; }
.chart .bar { fill:#0b57d0; }
.chart .axis { stroke:var(--line); }
.chart text { fill:var(--muted); font-size:10px; }
.preview { white-space:pre-wrap; word-break:break-word; font-size:.95rem; }
.preview.telegram { background:#e7f3ff; border-color:#b6d7f5; }
.preview.zalo { background:#eef6ee; border-color:#bcdcbc; }
.preview-part + .preview-part { margin-top:.6rem; padding-top:.6rem; border-top:1px dashed var(--line); }
.preview-buttons { margin-top:.5rem; display:flex; flex-direction:column; gap:.3rem; }
.preview-button-row { display:flex; gap:.3rem; }
.preview-button { flex:1; text-align:center; padding:.35rem .5rem; border-radius:.4rem; background:#fff;
  border:1px solid var(--line); color:var(--link); font-size:.9rem; }
.preview-photo { display:inline-block; color:var(--muted); font-size:.85rem; }
progress { width:100%; height:1.4rem; }
.feed-head { display:flex; flex-wrap:wrap; gap:.5rem; align-items:center; }
.feed-url { word-break:break-all; font-weight:600; }
.facts { margin:.6rem 0; display:grid; gap:.35rem; }
.facts div { display:grid; grid-template-columns:minmax(7rem,11rem) 1fr; gap:.5rem; }
.facts dt { color:var(--muted); font-size:.9rem; }
.facts dd { margin:0; word-break:break-word; }
.error-text { color:var(--bad); }
label.check { font-weight:400; display:flex; gap:.5rem; align-items:center; }
.grid2 { display:grid; grid-template-columns:minmax(0,1fr); gap:.75rem; }
.tap { display:inline-block; padding:.45rem .35rem; }
.actions { display:flex; flex-wrap:wrap; gap:.4rem; }
/* On a phone, a wide table becomes one card per row, each cell under its column's name. */
@media (max-width: 47.99rem) {
  table.phone-cards thead { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); }
  table.phone-cards, table.phone-cards tbody, table.phone-cards tr, table.phone-cards td { display:block; width:100%; }
  table.phone-cards tr { border-bottom:1px solid var(--line); padding:.35rem 0; }
  table.phone-cards td { border:none; padding:.2rem .7rem; text-align:left; }
  table.phone-cards th[scope=row] { display:block; width:100%; border:none; background:none; padding:.2rem .7rem; }
  table.phone-cards td::before { content:attr(data-label); display:inline-block; min-width:7rem;
    margin-right:.5rem; color:var(--muted); font-size:.85rem; font-weight:600; }
}
@media (min-width: 48rem) {
  .top { padding:.6rem 1.25rem; }
  .nav { flex-basis:auto; order:2; padding-top:0; }
  main { padding:1.25rem 1.25rem 3rem; }
  .grid2 { grid-template-columns:minmax(0,1fr) minmax(0,1fr); gap:1rem; }
}
`;

export const CONSOLE_JS = `"use strict";
// Confirm before a form marked data-confirm is sent (stop a broadcast, remove a feed).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form && form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// While composing: the audience's size for the chosen topics, platform, language and mode.
(function () {
  var form = document.querySelector("form[data-audience-url]");
  var out = document.getElementById("audience-count");
  if (!form || !out) return;
  function update() {
    var params = new URLSearchParams();
    var topic = form.querySelector("[name=topic]");
    if (topic) {
      for (var i = 0; i < topic.options.length; i++) {
        if (topic.options[i].selected && topic.options[i].value) params.append("topic", topic.options[i].value);
      }
    }
    ["platform", "language", "mode"].forEach(function (name) {
      var field = form.querySelector("[name=" + name + "]");
      if (field && field.value) params.set(name, field.value);
    });
    fetch(form.dataset.audienceUrl + "?" + params.toString(), { headers: { accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) { if (body && typeof body.text === "string") out.textContent = body.text; })
      .catch(function () {});
  }
  form.addEventListener("change", update);
  update();
})();

// A broadcast under way: its progress as the server tells it (server-sent events).
(function () {
  var live = document.querySelector("[data-events]");
  if (!live || typeof EventSource === "undefined") return;
  var bar = document.getElementById("progress-bar");
  var percent = document.getElementById("progress-percent");
  var summary = document.getElementById("progress-summary");
  var state = document.getElementById("progress-state");
  var hint = document.getElementById("progress-hint");
  var stop = document.getElementById("stop-form");
  var heading = document.querySelector("main h1");
  var source = new EventSource(live.dataset.events);
  source.onmessage = function (message) {
    var s;
    try { s = JSON.parse(message.data); } catch (e) { return; }
    if (bar) { bar.max = s.total > 0 ? s.total : 1; bar.value = s.total > 0 ? s.done : 1; }
    if (percent) percent.textContent = s.percent + "%";
    if (summary && s.summary) summary.textContent = s.summary;
    if (state && s.stateText) state.textContent = s.stateText;
    if (hint && s.hint) hint.textContent = s.hint;
    if (heading && s.title && heading.textContent !== s.title) {
      document.title = document.title.replace(heading.textContent, s.title);
      heading.textContent = s.title;
    }
    if (s.finished) {
      source.close();
      if (stop) stop.hidden = true;
      live.setAttribute("data-finished", "true");
    }
  };
})();
`;
