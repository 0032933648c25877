/* alskg site: client-side search over names, synonyms and ids (index in search-index.js/json).
   No network: the index is loaded by a <script> tag, so pages work from file://. */
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "";
  var box = document.getElementById("search-box");
  var list = document.getElementById("search-results");
  var index = window.ALSKG_SEARCH_INDEX || { entries: [] };

  function norm(text) {
    return String(text).toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9:]+/g, " ").trim();
  }

  var prepared = index.entries.map(function (e) {
    return { id: e[0], label: e[1], kind: e[2], url: e[3], names: e[4],
             hay: [e[0], e[1]].concat(e[4]).map(norm) };
  });

  function search(text) {
    var q = norm(text);
    if (q.length < 2) { return []; }
    var words = q.split(" ");
    var hits = [];
    prepared.forEach(function (e) {
      var best = -1, how = "";
      e.hay.forEach(function (h, i) {
        var all = words.every(function (w) { return h.indexOf(w) !== -1; });
        if (!all) { return; }
        var score = (h === q ? 3 : (h.indexOf(q) === 0 ? 2 : 1)) + (i < 2 ? 0.5 : 0);
        if (score > best) { best = score; how = i === 0 ? "id" : (i === 1 ? "name" : e.names[i - 2]); }
      });
      if (best >= 0) { hits.push({ e: e, score: best, how: how }); }
    });
    var order = { disease: 0, phenotype: 1 };
    hits.sort(function (a, b) {
      return b.score - a.score || (order[a.e.kind] - order[b.e.kind]) || a.e.label.localeCompare(b.e.label) ||
        a.e.id.localeCompare(b.e.id);
    });
    return hits.slice(0, 20);
  }

  function show(hits) {
    list.textContent = "";
    hits.forEach(function (h) {
      var li = document.createElement("li");
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = h.e.kind;
      var a = document.createElement("a");
      a.href = root + h.e.url;
      a.textContent = h.e.label;
      li.appendChild(kind);
      li.appendChild(a);
      if (h.how !== "name") {
        var why = document.createElement("small");
        why.textContent = " (" + h.how + ")";
        li.appendChild(why);
      }
      list.appendChild(li);
    });
  }

  if (box && list) {
    box.addEventListener("input", function () { show(search(box.value)); });
  }
  window.alskgSearch = search;
})();
