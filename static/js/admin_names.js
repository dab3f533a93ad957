/* Every admin page (templates/admin/base_site.html): names for what the admin's scripts
   draw without one (WCAG 2.1: 1.3.1 and 4.1.2; tests/browser/test_admin_pages.py).

   - An autocomplete box (select2, drawn over a hidden <select class="admin-autocomplete">)
     is named after its field: its box reads "<label> <what is chosen>", its search input
     (on a box taking several) the label. The label is the field's <label>, else the name
     the select carries (asa_portal/admin_labels.py names a table row's fields), kept in a
     hidden span after the box. select2 calls the chosen text a read-only "textbox": that
     role, which gives the text a name of its own to find, is taken off. The "remove all"
     cross, for the mouse only (the keyboard's Backspace does the same), is hidden from
     screen readers: it is no "×" in the box's name, and no stray element in the list of
     chosen items of a box taking several.
   - The help icon of a two-list picker (the groups and permissions of a person) carries
     its text as aria-label, which a plain span may not: it becomes an image with that
     text as its name.

   select2 draws its boxes as the page opens, when a row is added and at every choice:
   the names are given again whenever the page changes. */
"use strict";

(function () {
  function nameOf(select, box) {
    const label = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
    if (label) {
      if (!label.id) {
        label.id = `${select.id}-label`;
      }
      return label.id;
    }
    const text = select.getAttribute("aria-label");
    if (!text || !select.id) {
      return null;
    }
    const id = `${select.id}-name`;
    if (!document.getElementById(id)) {
      const span = document.createElement("span");
      span.id = id;
      span.hidden = true;
      span.textContent = text;
      box.after(span);
    }
    return id;
  }

  function nameBox(select) {
    const box = select.nextElementSibling;
    if (!box || !box.classList.contains("select2-container")) {
      return;
    }
    const name = nameOf(select, box);
    if (!name) {
      return;
    }
    const chosen = box.querySelector(".select2-selection--single .select2-selection__rendered");
    if (chosen) {
      chosen.removeAttribute("role");
      chosen.removeAttribute("aria-readonly");
      const labelledBy = `${name} ${chosen.id}`;
      const combobox = box.querySelector(".select2-selection--single");
      if (combobox.getAttribute("aria-labelledby") !== labelledBy) {
        combobox.setAttribute("aria-labelledby", labelledBy);
      }
    }
    const search = box.querySelector(".select2-selection--multiple .select2-search__field");
    if (search && search.getAttribute("aria-labelledby") !== name) {
      search.setAttribute("aria-labelledby", name);
    }
    for (const clear of box.querySelectorAll(".select2-selection__clear:not([aria-hidden])")) {
      clear.setAttribute("aria-hidden", "true");
    }
  }

  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(nameBox);
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  new MutationObserver(nameAll).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
  document.addEventListener("DOMContentLoaded", nameAll);
})();
