// The export page's "select all": bound here because the CSP (script-src 'self') blocks the inline
// onchange handler django-import-export's own template uses. It ticks or unticks the fields of its own
// resource only (a page with several resources has one toggle per resource).
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const toggle of document.querySelectorAll("input.select-toggle")) {
    const row = toggle.closest("[resource-index]");
    const scope = row ? `.selectable-field-export-row[resource-index="${CSS.escape(row.getAttribute("resource-index"))}"]` : ".selectable-field-export-row";
    toggle.addEventListener("change", () => {
      for (const box of document.querySelectorAll(`${scope} input[type="checkbox"]:not(.select-toggle)`)) {
        box.checked = toggle.checked;
      }
    });
  }
});
