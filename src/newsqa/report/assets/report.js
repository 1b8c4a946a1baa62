/* newsqa report: filters, article views and cluster views.
   Every string from the report reaches the page through textContent,
   createTextNode or setAttribute on inert attributes; never as markup. */
(function () {
  "use strict";
  var d = document;
  var hasOwn = Object.prototype.hasOwnProperty;

  function byId(id) { return d.getElementById(id); }
  function el(tag, cls, text) {
    var e = d.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function add(parent, child) { parent.appendChild(child); return child; }
  function txt(parent, text) { parent.appendChild(d.createTextNode(text)); }
  function fmt(n) { return Number(n).toLocaleString("en-US"); }
  function plural(n, word, many) { return fmt(n) + " " + (n === 1 ? word : (many || word + "s")); }

  var meta = JSON.parse(byId("newsqa-meta").textContent);
  var bodies = null;
  function getBodies() {
    if (bodies === null) { bodies = JSON.parse(byId("newsqa-bodies").textContent); }
    return bodies;
  }
  var KIND_CLASS = { boilerplate: "k-boilerplate", spam_links: "k-spam_links", mojibake: "k-mojibake", spun: "k-spun", engagement: "k-engagement" };
  function kindClass(k) {
    var name = meta.kinds[k];
    return hasOwn.call(KIND_CLASS, name) ? KIND_CLASS[name] : "k-other";
  }
  var RELATIONS = { original: 1, exact: 1, near_duplicate: 1, containment: 1, spun_copy: 1 };
  function badge(rel) {
    return el("span", "badge rel-" + (hasOwn.call(RELATIONS, rel) ? rel : "other"), rel);
  }

  /* ---------- rows ---------- */
  var nA = meta.articles.length;
  var nC = meta.clusters.length;
  var articleRows = new Array(nA);
  var clusterRows = new Array(nC);
  d.querySelectorAll("#article-table tbody tr[data-a]").forEach(function (tr) {
    articleRows[Number(tr.getAttribute("data-a"))] = tr;
  });
  d.querySelectorAll("#cluster-table tbody tr[data-c]").forEach(function (tr) {
    clusterRows[Number(tr.getAttribute("data-c"))] = tr;
  });
  var haystack = meta.articles.map(function (a) {
    var c = a.cluster === null ? "" : meta.clusters[a.cluster].id;
    return [a.id, meta.sources[a.source], a.url || "", c].join("\n").toLowerCase();
  });
  var lowerTexts = null;

  /* ---------- filters ---------- */
  var state = { q: "", text: false, source: "", flag: "", cluster: "", status: "" };
  var controls = {
    q: byId("f-q"), text: byId("f-text"), source: byId("f-source"),
    flag: byId("f-flag"), cluster: byId("f-cluster"), status: byId("f-status")
  };

  function textOf(i) {
    if (lowerTexts === null) {
      lowerTexts = getBodies().articles.map(function (b) { return b.text === null ? "" : b.text.toLowerCase(); });
    }
    return lowerTexts[i];
  }

  function matches(i) {
    var a = meta.articles[i];
    if (state.source !== "" && a.source !== Number(state.source)) { return false; }
    if (state.status !== "" && a.status !== state.status) { return false; }
    if (state.cluster === "any") { if (a.cluster === null) { return false; } }
    else if (state.cluster === "none") { if (a.cluster !== null) { return false; } }
    else if (state.cluster !== "" && a.cluster !== Number(state.cluster)) { return false; }
    if (state.flag === "any") { if (a.flags.length === 0) { return false; } }
    else if (state.flag === "none") { if (a.flags.length > 0) { return false; } }
    else if (state.flag !== "") {
      var k = Number(state.flag);
      if (!a.flags.some(function (f) { return f[0] === k; })) { return false; }
    }
    var q = state.q.trim().toLowerCase();
    if (q) {
      if (haystack[i].indexOf(q) < 0 && !(state.text && textOf(i).indexOf(q) >= 0)) { return false; }
    }
    return true;
  }

  var articleViews = {};
  var clusterViews = {};

  function apply() {
    var visible = new Array(nA);
    var shown = 0;
    for (var i = 0; i < nA; i++) {
      var v = matches(i);
      visible[i] = v;
      if (v) { shown++; }
      if (articleRows[i]) { articleRows[i].hidden = !v; }
      var view = articleViews[i];
      if (view) { view.row.hidden = !v || !view.open; }
    }
    var shownC = 0;
    for (var j = 0; j < nC; j++) {
      var c = meta.clusters[j];
      var vc = c.members.some(function (m) { return m.article !== null && visible[m.article]; });
      if (state.cluster !== "" && state.cluster !== "any" && state.cluster !== "none") {
        vc = vc && j === Number(state.cluster);
      }
      if (vc) { shownC++; }
      if (clusterRows[j]) { clusterRows[j].hidden = !vc; }
      var cv = clusterViews[j];
      if (cv) { cv.row.hidden = !vc || !cv.open; }
    }
    var active = state.q || state.source || state.flag || state.cluster || state.status;
    byId("count").textContent = active
      ? "Showing " + fmt(shown) + " of " + plural(nA, "article") + " and " + fmt(shownC) + " of " + plural(nC, "cluster") + "."
      : plural(nA, "article") + ", " + plural(nC, "cluster") + ".";
    byId("no-articles").hidden = shown > 0;
    var noC = byId("no-clusters");
    if (noC) { noC.hidden = shownC > 0 || nC === 0; }
  }

  function syncControls() {
    controls.q.value = state.q;
    controls.text.checked = state.text;
    controls.source.value = state.source;
    controls.flag.value = state.flag;
    controls.cluster.value = state.cluster;
    controls.status.value = state.status;
  }

  function setFilter(partial) {
    state = { q: "", text: state.text, source: "", flag: "", cluster: "", status: "" };
    Object.keys(partial).forEach(function (k) { state[k] = partial[k]; });
    syncControls();
    apply();
  }

  var timer = null;
  controls.q.addEventListener("input", function () {
    if (timer !== null) { clearTimeout(timer); }
    timer = setTimeout(function () { timer = null; state.q = controls.q.value; apply(); }, 150);
  });
  controls.text.addEventListener("change", function () { state.text = controls.text.checked; apply(); });
  ["source", "flag", "cluster", "status"].forEach(function (k) {
    controls[k].addEventListener("change", function () { state[k] = controls[k].value; apply(); });
  });
  byId("filters").addEventListener("submit", function (ev) { ev.preventDefault(); state.q = controls.q.value; apply(); });
  byId("filters").addEventListener("reset", function (ev) {
    ev.preventDefault();
    state.text = false;
    setFilter({});
  });

  /* ---------- article view ---------- */
  function linkOrText(url) {
    if (!url) { return el("span", "muted", "none"); }
    var ok = false;
    var parsed = null;
    if (/^https?:\/\/[^\s\/?#]/i.test(url)) {
      try { parsed = new URL(url); ok = parsed.protocol === "http:" || parsed.protocol === "https:"; } catch (e) { ok = false; }
    }
    if (!ok) { return el("span", "id", url); }
    var a = el("a", "id", url);
    a.setAttribute("href", parsed.href);
    a.setAttribute("rel", "noopener noreferrer nofollow");
    return a;
  }

  function highlighted(b) {
    var box = el("div", "text");
    box.setAttribute("tabindex", "0");
    box.setAttribute("aria-label", "Text with flagged spans");
    var t = b.text;
    var pos = 0;
    b.segments.forEach(function (s) {
      if (s[0] > pos) { txt(box, t.slice(pos, s[0])); }
      var f = b.flags[s[2]];
      var mark = el("mark", kindClass(f[0]), t.slice(s[0], s[1]));
      var tip = f[2] + (s[3] > 1 ? " (+" + (s[3] - 1) + " overlapping)" : "");
      mark.setAttribute("data-tip", tip);
      mark.setAttribute("data-kind", meta.kinds[f[0]]);
      mark.setAttribute("aria-description", tip);
      mark.setAttribute("tabindex", "0");
      add(box, mark);
      pos = s[1];
    });
    if (pos < t.length) { txt(box, t.slice(pos)); }
    return box;
  }

  function cleanText(b) {
    var box = el("div", "text clean");
    box.setAttribute("tabindex", "0");
    box.setAttribute("aria-label", "Clean text");
    if (hasOwn.call(b, "clean_text")) {
      box.textContent = b.clean_text;
    } else {
      box.textContent = b.clean_ranges.map(function (r) { return b.text.slice(r[0], r[1]); }).join("");
    }
    return box;
  }

  function legend(b) {
    var seen = {};
    b.flags.forEach(function (f) { seen[f[0]] = (seen[f[0]] || 0) + 1; });
    var p = el("p", "legend-line");
    Object.keys(seen).forEach(function (k) {
      add(p, el("span", "chip " + kindClass(Number(k)), meta.kinds[Number(k)] + " " + fmt(seen[k])));
    });
    return p;
  }

  function flagList(b) {
    var det = el("details");
    add(det, el("summary", null, "All " + plural(b.flags.length, "flag") + " of this article"));
    var ol = add(det, el("ol", "flaglist"));
    b.flags.forEach(function (f) {
      var li = add(ol, el("li"));
      add(li, el("span", "chip " + kindClass(f[0]), meta.kinds[f[0]]));
      add(li, el("q", null, b.text.slice(f[3], f[4])));
      txt(li, " \u2014 " + f[2]);
    });
    return det;
  }

  function clusterLine(i) {
    var a = meta.articles[i];
    if (a.cluster === null) { return null; }
    var c = meta.clusters[a.cluster];
    var me = null;
    var rep = null;
    c.members.forEach(function (m) { if (m.article === i) { me = m; } if (m.id === c.representative) { rep = m; } });
    var dd = el("dd");
    if (me) { add(dd, badge(me.relation)); }
    if (me && me.relation !== "original" && rep) {
      txt(dd, " of ");
      add(dd, el("span", "id", rep.id));
      if (me.similarity !== null) { txt(dd, ", similarity " + me.similarity.toFixed(3)); }
    }
    txt(dd, " in ");
    var btn = add(dd, el("button", "open", c.id));
    btn.type = "button";
    btn.addEventListener("click", function () { openCluster(a.cluster, true); });
    return dd;
  }

  function buildArticleView(i) {
    var a = meta.articles[i];
    var b = getBodies().articles[i];
    var view = el("div", "view");
    var dl = add(view, el("dl"));
    function row(label, value) { add(dl, el("dt", null, label)); var dd = add(dl, el("dd")); add(dd, value); }
    row("Source", el("span", null, meta.sources[a.source]));
    row("URL", linkOrText(a.url));
    row("Published", el("span", null, a.published || "unknown"));
    row("Status", el("span", "st st-" + (a.status === "ok" || a.status === "empty" || a.status === "error" ? a.status : "other"), a.status));
    var cl = clusterLine(i);
    if (cl) { add(dl, el("dt", null, "Cluster")); add(dl, cl); }
    if (a.error) { add(view, el("p", "warn", "Could not be read: " + a.error)); }
    if (b.text === null) {
      add(view, el("p", "note", a.status === "error"
        ? "No text: the input could not be read."
        : b.why === "budget"
        ? "No text: this page embeds at most " + fmt(meta.text_budget) + " characters of article text, used up by earlier articles; the text is in the input and in clean.jsonl."
        : "No text: this report was rendered without the input articles."));
      return view;
    }
    if (b.total_chars > b.text.length) {
      add(view, el("p", "warn", "Long text: this page shows the first " + fmt(b.text.length) + " of " +
        fmt(b.total_chars) + " characters" + (b.n_flags_outside ? " (" + plural(b.n_flags_outside, "flag") + " beyond them not shown)" : "") + "."));
    }
    if (b.flags.length) { add(view, legend(b)); }
    var cols = add(view, el("div", "cols"));
    var left = add(cols, el("div", "col"));
    add(left, el("h3", null, b.flags.length ? "Text, flagged spans highlighted" : "Text (no flags)"));
    add(left, highlighted(b));
    var right = add(cols, el("div", "col"));
    add(right, el("h3", null, "Clean text (boilerplate and spam lines removed, mojibake repaired)"));
    add(right, cleanText(b));
    if (b.flags.length) { add(view, flagList(b)); }
    return view;
  }

  function toggleDetail(views, index, row, button, build, force) {
    var view = views[index];
    var open = force === true ? true : !(view && view.open);
    if (!view && open) {
      var tr = d.createElement("tr");
      tr.className = "detail";
      tr.id = button.getAttribute("aria-controls");
      var td = add(tr, el("td"));
      td.colSpan = row.children.length;
      add(td, build(index));
      row.parentNode.insertBefore(tr, row.nextSibling);
      view = views[index] = { row: tr, open: false };
    }
    if (!view) { return; }
    view.open = open;
    view.row.hidden = !open || row.hidden;
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function openArticle(i, focus) {
    var row = articleRows[i];
    if (!row) { return; }
    if (row.hidden) { setFilter({}); }
    var btn = row.querySelector("button.open");
    toggleDetail(articleViews, i, row, btn, buildArticleView, true);
    if (focus) { row.scrollIntoView({ block: "start" }); btn.focus({ preventScroll: true }); }
  }

  /* ---------- cluster view ---------- */
  function memberButton(m) {
    if (m.article === null) { return el("span", "id", m.id); }
    var btn = el("button", "open", m.id);
    btn.type = "button";
    btn.addEventListener("click", function () { openArticle(m.article, true); });
    return btn;
  }

  function renderDiff(segs, box) {
    function change(parent, tag, text, n) {
      var e = add(parent, el(tag, null, text));
      if (n > 0) { add(e, el("span", "more", " \u2026 " + plural(n, "more word") + " ")); }
    }
    segs.forEach(function (s) {
      if (s[0] === "=") {
        txt(box, s[1]);
        if (s.length > 2) {
          add(box, el("span", "elide", "\u2026 " + plural(s[2], "unchanged word") + " \u2026 "));
          txt(box, s[3]);
        }
      } else if (s[0] === "-") {
        change(box, "del", s[1], s[2]);
      } else if (s[0] === "+") {
        change(box, "ins", s[1], s[2]);
      } else if (s[0] === "~") {
        var sub = add(box, el("span", "sub"));
        change(sub, "del", s[1], s[3]);
        add(sub, el("span", "arrow", " \u2192 "));
        change(sub, "ins", s[2], s[4]);
      }
    });
  }

  function timeline(c) {
    var wrap = el("div");
    add(wrap, el("h3", null, "Timeline"));
    if (!c.timeline.length) {
      add(wrap, el("p", "note", "No member has a publication date."));
      return wrap;
    }
    var ol = add(wrap, el("ol", "timeline"));
    c.timeline.forEach(function (t) {
      var li = add(ol, el("li"));
      add(li, el("span", "id", t.published));
      var track = add(li, el("span", "track"));
      var dot = add(track, el("span", "dot" + (t.id === c.representative ? " orig" : "")));
      dot.style.left = t.pos + "%";
      var who = add(li, el("span", "who"));
      var src = t.article === null ? "" : meta.sources[meta.articles[t.article].source];
      txt(who, src + " ");
      add(who, el("span", "id muted", t.id));
      if (t.id === c.representative) { txt(who, " "); add(who, badge("original")); }
    });
    var undated = c.members.length - c.n_dated;
    var hidden = c.n_dated - c.timeline.length;
    var notes = [];
    if (hidden > 0) { notes.push(plural(hidden, "more dated member") + " not drawn"); }
    if (undated > 0) { notes.push(plural(undated, "member") + " without a date"); }
    if (notes.length) { add(wrap, el("p", "note", notes.join("; ") + ".")); }
    return wrap;
  }

  function buildClusterView(j) {
    var c = meta.clusters[j];
    var diffs = getBodies().diffs[j];
    var view = el("div", "view");
    add(view, el("h3", null, "Members"));
    if (c.original_by) { add(view, el("p", "note", "Original chosen by: " + c.original_by)); }
    var scroll = add(view, el("div", "scroll"));
    var table = add(scroll, el("table", "members"));
    var head = add(add(table, el("thead")), el("tr"));
    ["Article", "Source", "Published", "Similarity", "Relation"].forEach(function (h) {
      var th = add(head, el("th", null, h)); th.scope = "col";
    });
    var tbody = add(table, el("tbody"));
    c.members.forEach(function (m) {
      var tr = add(tbody, el("tr"));
      add(add(tr, el("td")), memberButton(m));
      var a = m.article === null ? null : meta.articles[m.article];
      add(tr, el("td", null, a ? meta.sources[a.source] : ""));
      add(tr, el("td", null, a && a.published ? a.published : ""));
      add(tr, el("td", "num", m.similarity === null ? "" : m.similarity.toFixed(3)));
      var rel = add(tr, el("td"));
      add(rel, badge(m.relation));
      if (m.id === c.representative && m.relation !== "original") { txt(rel, " "); add(rel, badge("original")); }
    });
    add(view, timeline(c));
    add(view, el("h3", null, "Each copy against the original"));
    var nd = 0;
    c.members.forEach(function (m, k) {
      var entry = diffs[k];
      if (entry === null) { return; }
      nd++;
      var det = add(view, el("details", "diff"));
      var sum = add(det, el("summary"));
      add(sum, el("span", "id", m.id));
      var a = m.article === null ? null : meta.articles[m.article];
      txt(sum, (a ? " \u2014 " + meta.sources[a.source] : "") + " ");
      add(sum, badge(m.relation));
      if (m.similarity !== null) { txt(sum, " similarity " + m.similarity.toFixed(3)); }
      det.addEventListener("toggle", function () {
        if (!det.open || det.getAttribute("data-done")) { return; }
        det.setAttribute("data-done", "1");
        var box = add(det, el("div", "difftext"));
        if (hasOwn.call(entry, "note")) { box.textContent = entry.note; return; }
        if (!entry.segments.length) { box.textContent = "(empty)"; return; }
        if (entry.segments.length === 1 && entry.segments[0][0] === "=") {
          add(box, el("p", "note", "Same words as the original (case or spacing may differ)."));
        }
        renderDiff(entry.segments, box);
      });
    });
    if (!nd) { add(view, el("p", "note", "No copies to compare.")); }
    return view;
  }

  function openCluster(j, focus) {
    var row = clusterRows[j];
    if (!row) { return; }
    if (row.hidden) { setFilter({}); }
    var btn = row.querySelector("button.open");
    toggleDetail(clusterViews, j, row, btn, buildClusterView, true);
    if (focus) { row.scrollIntoView({ block: "start" }); btn.focus({ preventScroll: true }); }
  }

  /* ---------- clicks ---------- */
  d.addEventListener("click", function (ev) {
    var target = ev.target instanceof Element ? ev.target : null;
    if (!target) { return; }
    var t = target.closest("[data-open-a]");
    if (t) {
      var i = Number(t.getAttribute("data-open-a"));
      toggleDetail(articleViews, i, articleRows[i], t, buildArticleView);
      return;
    }
    t = target.closest("[data-open-c]");
    if (t) {
      var j = Number(t.getAttribute("data-open-c"));
      toggleDetail(clusterViews, j, clusterRows[j], t, buildClusterView);
      return;
    }
    t = target.closest("[data-open-cluster]");
    if (t) {
      ev.preventDefault();
      openCluster(Number(t.getAttribute("data-open-cluster")), true);
      return;
    }
    t = target.closest("[data-f-source],[data-f-flag],[data-f-cluster],[data-f-status]");
    if (t) {
      var f = {};
      ["source", "flag", "cluster", "status"].forEach(function (k) {
        var v = t.getAttribute("data-f-" + k);
        if (v !== null) { f[k] = v; }
      });
      setFilter(f);
    }
  });

  apply();
}());
