// Marsad web UI: theme toggle, keyboard shortcuts, ingest form. Loaded in <head> so the
// saved theme applies before the first paint; everything else waits for the DOM.
(function () {
  "use strict";
  var STORAGE_KEY = "marsad-theme";
  var root = document.documentElement;

  function savedTheme() {
    try { return localStorage.getItem(STORAGE_KEY); } catch (e) { return null; }
  }
  function currentTheme() {
    var saved = root.getAttribute("data-theme");
    if (saved) { return saved; }
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  var initial = savedTheme();
  if (initial === "dark" || initial === "light") { root.setAttribute("data-theme", initial); }

  // Arabic counted nouns, the rule of marsad/text/counting.py (count_phrase) with the noun
  // forms the page carries: مقال واحد، مقالان، 5 مقالات، 12 مقالاً، 100 مقال.
  function countPhrase(n, noun) {
    var form = document.getElementById("ingest-form");
    var forms = JSON.parse((form && form.getAttribute("data-counted-nouns")) || "{}")[noun];
    if (!forms) { return String(n); }
    if (n === 0) { return forms.none; }
    if (n === 1) { return forms.one; }
    if (n === 2) { return forms.two; }
    var tail = n % 100;
    if (tail >= 3 && tail <= 10) { return n + " " + forms.plural; }
    if (tail > 10) { return n + " " + forms.accusative; }
    return n + " " + forms.singular;
  }
  window.marsadCountPhrase = countPhrase;

  function setupTheme() {
    var button = document.getElementById("theme-toggle");
    if (!button) { return; }
    function label() {
      var dark = currentTheme() === "dark";
      button.textContent = dark ? "الوضع الفاتح" : "الوضع الداكن";
      button.setAttribute("aria-pressed", dark ? "true" : "false");
    }
    button.hidden = false;
    label();
    button.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem(STORAGE_KEY, next); } catch (e) { /* private mode: not kept */ }
      label();
    });
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function setupKeys() {
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
      if (event.key === "/") {
        var box = document.getElementById("search-q") || document.getElementById("site-q");
        if (box) { event.preventDefault(); box.focus(); box.select(); }
      } else if (event.key === "j" || event.key === "k") {
        var links = Array.prototype.slice.call(document.querySelectorAll("[data-nav='story']"));
        if (!links.length) { return; }
        var at = links.indexOf(document.activeElement);
        var next = event.key === "j" ? at + 1 : at - 1;
        if (at === -1) { next = 0; }
        next = Math.max(0, Math.min(links.length - 1, next));
        event.preventDefault();
        links[next].focus();
        links[next].scrollIntoView({ block: "nearest" });
      }
    });
    var select = document.querySelector("select[data-autosubmit]");
    if (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    }
  }

  // Accepts a JSON array, a {"articles": [...]} object, or one JSON object per line.
  function parseArticles(text) {
    var trimmed = text.trim();
    if (!trimmed) { throw new Error("لا مقالات"); }
    if (trimmed.charAt(0) === "[" || (trimmed.charAt(0) === "{" && trimmed.indexOf("\n") === -1)) {
      var value = JSON.parse(trimmed);
      if (Array.isArray(value)) { return value; }
      return value.articles ? value.articles : [value];
    }
    return trimmed.split("\n").filter(function (l) { return l.trim(); }).map(function (l) { return JSON.parse(l); });
  }

  function setupIngest() {
    var form = document.getElementById("ingest-form");
    if (!form) { return; }
    var status = document.getElementById("ingest-status");
    var submit = document.getElementById("ingest-submit");
    function show(state, message) {
      status.setAttribute("data-state", state);
      status.textContent = message;
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var articles;
      try {
        articles = parseArticles(document.getElementById("ingest-body").value);
      } catch (e) {
        show("error", "تعذّرت قراءة JSON: " + e.message);
        return;
      }
      submit.disabled = true;
      form.setAttribute("aria-busy", "true");
      show("pending", "جارٍ إدخال " + countPhrase(articles.length, "article") + " وتحديث القصص… قد يستغرق ذلك بعض الوقت.");
      fetch("/api/v1/articles", {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "Authorization": "Bearer " + document.getElementById("ingest-token").value
        },
        body: JSON.stringify({ articles: articles })
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, code: response.status, data: data }; });
      }).then(function (result) {
        if (!result.ok) {
          var detail = typeof result.data.detail === "string" ? result.data.detail : JSON.stringify(result.data.detail);
          show("error", "فشل الإدخال (" + result.code + "): " + detail);
          return;
        }
        var d = result.data;
        show("done", "تم: أُدخل " + countPhrase(d.ingested, "article") + " (منها " +
          countPhrase(d.duplicates, "duplicate_copy") + ")، قصص جديدة: " + countPhrase(d.new_stories, "story") +
          "، مُتجاهل " + d.skipped.length + "، خلال " + d.seconds + " ث.");
      }).catch(function (e) {
        show("error", "تعذّر الاتصال بالخادم: " + e.message);
      }).finally(function () {
        submit.disabled = false;
        form.removeAttribute("aria-busy");
      });
    });
  }

  // The watchlist form saves through the API (POST /api/v1/alerts/add, then a first run),
  // with the server's token like the ingest form, and reloads to show the new watchlist.
  function setupWatchlistForm() {
    var form = document.getElementById("watchlist-form");
    if (!form) { return; }
    var status = document.getElementById("watchlist-status");
    function field(id) { return document.getElementById(id).value; }
    function call(path, body) {
      return fetch(path, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Authorization": "Bearer " + field("watchlist-token") },
        body: body === undefined ? undefined : JSON.stringify(body)
      }).then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) {
            throw new Error("(" + response.status + ") " + (typeof data.detail === "string" ? data.detail : JSON.stringify(data.detail)));
          }
          return data;
        });
      });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      status.setAttribute("data-state", "pending");
      status.textContent = "جارٍ الحفظ…";
      var body = { query: field("watchlist-query"), kind: field("watchlist-kind") };
      if (field("watchlist-name").trim()) { body.name = field("watchlist-name"); }
      call("/api/v1/alerts/add", body).then(function (saved) {
        return call("/api/v1/alerts/" + saved.id + "/run");
      }).then(function () {
        window.location.reload();
      }).catch(function (e) {
        status.setAttribute("data-state", "error");
        status.textContent = "تعذّر الحفظ " + e.message;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupTheme();
    setupKeys();
    setupIngest();
    setupWatchlistForm();
  });
})();
