/* Keeps what a person types in forms marked data-autosave, on their device, until the form
   is submitted successfully: a dropped connection or a power cut loses nothing. */
(function () {
  "use strict";
  var PREFIX = "rabta:draft:";
  // Drafts belong to the signed-in person: on a shared phone or a cyber cafe's computer the next
  // person never sees them, and logging out removes them.
  function owner() { return document.body.getAttribute("data-draft-owner") || "anon"; }
  function key(form) { return PREFIX + owner() + ":" + form.getAttribute("data-autosave") + ":" + location.pathname; }
  function skipped(form) {
    return (form.getAttribute("data-autosave-skip") || "").split(/\s+/).concat(["csrfmiddlewaretoken", "password"]);
  }
  function save(form) {
    var skip = skipped(form), data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || skip.indexOf(el.name) !== -1 || el.type === "file" || el.type === "submit") return;
      if (el.type === "checkbox" || el.type === "radio") {
        data[el.name] = data[el.name] || [];
        if (el.checked) data[el.name].push(el.value);
      } else { data[el.name] = [el.value]; }
    });
    try { localStorage.setItem(key(form), JSON.stringify({ at: Date.now(), data: data })); } catch (e) { /* storage full or off */ }
  }
  function restore(form) {
    var raw; try { raw = localStorage.getItem(key(form)); } catch (e) { return; }
    if (!raw) return;
    var draft; try { draft = JSON.parse(raw); } catch (e) { return; }
    // A page that came back with server errors shows what the server has; drafts fill only empty forms.
    if (form.querySelector(".error")) return;
    Object.keys(draft.data || {}).forEach(function (name) {
      var values = draft.data[name];
      Array.prototype.forEach.call(form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']"), function (el) {
        if (el.type === "checkbox" || el.type === "radio") el.checked = values.indexOf(el.value) !== -1;
        else if (values.length) el.value = values[0];
      });
    });
    form.setAttribute("data-restored", "1");
  }
  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("form[data-autosave]");
    Array.prototype.forEach.call(forms, function (form) {
      restore(form);
      form.addEventListener("input", function () { save(form); });
      form.addEventListener("change", function () { save(form); });
    });
    Array.prototype.forEach.call(document.querySelectorAll("form[data-drafts-purge]"), function (form) {
      form.addEventListener("submit", function () {
        try {
          Object.keys(localStorage).forEach(function (k) { if (k.indexOf(PREFIX) === 0) localStorage.removeItem(k); });
        } catch (e) { /* storage off */ }
      });
    });
    // The server marks a page after a successful save; drafts for that form are then cleared.
    var done = document.querySelector("[data-autosave-clear]");
    if (done) {
      done.getAttribute("data-autosave-clear").split(/\s+/).forEach(function (name) {
        Object.keys(localStorage).forEach(function (k) {
          if (k.indexOf(PREFIX + owner() + ":" + name + ":") === 0) localStorage.removeItem(k);
        });
      });
    }
  });
})();
