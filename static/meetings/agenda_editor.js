/* The agenda editor on a meeting's admin page: a row inserted below any row, a row
   duplicated, and every row's position kept in the order shown.

   Built on Django's inline script (its "Add another" link makes each new row, which then
   gets the admin's own widgets through the "formset:added" event) and on
   django-admin-sortable2 (its drag handles set the positions of saved rows; this script
   sets them again for all rows, new ones included, after each change).

   A form's number (agenda_items-3-title) is not its place: saved rows must keep the
   numbers below INITIAL_FORMS, whatever their place, so rows are renumbered after each
   move, saved ones first. Without this script the form still works: new rows go last. */
"use strict";
{
    const PREFIX = "agenda_items";
    const NUMBER = new RegExp("(" + PREFIX + "-(\\d+|__prefix__))");

    function group() {
        return document.getElementById(PREFIX + "-group");
    }

    function rows() {
        return Array.from(group().querySelectorAll(".agenda-row:not(.empty-form)"));
    }

    function field(row, name) {
        return row.querySelector("[name$='-" + name + "']");
    }

    function renumber(row, number) {
        const replacement = PREFIX + "-" + number;
        row.id = replacement;
        for (const element of row.querySelectorAll("[id], [name], [for]")) {
            for (const attribute of ["id", "name", "for"]) {
                const value = element.getAttribute(attribute);
                if (value) {
                    element.setAttribute(attribute, value.replace(NUMBER, replacement));
                }
            }
        }
    }

    /* Saved rows keep the numbers 0 .. INITIAL_FORMS - 1 (the formset finds each by
       the id it carries), new rows take the ones after; positions follow the order shown. */
    function settle() {
        const all = rows();
        const saved = all.filter((row) => row.classList.contains("has_original"));
        const added = all.filter((row) => !row.classList.contains("has_original"));
        saved.concat(added).forEach((row, number) => renumber(row, number));
        all.forEach((row, index) => {
            const position = row.querySelector("input._reorder_");
            if (position) {
                position.value = String(index + 1);
            }
            const label = row.querySelector(".inline_label");
            if (label && !row.classList.contains("has_original")) {
                label.textContent = "#" + (index + 1);
            }
        });
    }

    function addRow() {
        const add = group().querySelector(".add-row a");
        if (!add || add.offsetParent === null) {
            return null; // the agenda is full
        }
        add.click();
        return group().querySelector(".agenda-row.empty-form").previousElementSibling;
    }

    function copyValue(from, to, name) {
        const source = field(from, name);
        const target = field(to, name);
        if (!source || !target) {
            return;
        }
        if (target.tagName === "SELECT" && target.classList.contains("admin-autocomplete")) {
            target.replaceChildren();
            const chosen = source.selectedOptions[0];
            if (chosen && chosen.value) {
                target.append(new Option(chosen.text, chosen.value, true, true));
            }
            django.jQuery(target).trigger("change");
        } else {
            target.value = source.value;
        }
    }

    function insertBelow(row, duplicate) {
        const added = addRow();
        if (!added) {
            return;
        }
        row.after(added);
        copyValue(row, added, "day");
        if (duplicate) {
            for (const name of [
                "start_time", "duration_minutes", "title", "kind", "presenters",
                "presenting_region", "showcased_practice",
            ]) {
                copyValue(row, added, name);
            }
        }
        settle();
        field(added, "title").focus();
    }

    /* After a refused save the admin shows the rows by their numbers; show them in the
       order they were placed (their positions; 0 or none: last, as typed). A blank new
       row continues the day of the row above it. */
    function restoreOrder() {
        const place = (row) => Number((row.querySelector("input._reorder_") || {}).value) || Infinity;
        const all = rows();
        const sorted = all.map((row, index) => [place(row), index, row]).sort(
            (a, b) => a[0] - b[0] || a[1] - b[1]
        );
        const template = group().querySelector(".agenda-row.empty-form");
        for (const [, , row] of sorted) {
            template.before(row);
        }
        for (const row of rows()) {
            const above = row.previousElementSibling;
            const title = field(row, "title");
            if (!row.classList.contains("has_original") && title && !title.value
                && above && above.classList.contains("agenda-row")) {
                copyValue(above, row, "day");
            }
        }
    }

    function start() {
        if (!group()) {
            return;
        }
        restoreOrder();
        settle();
        for (const button of group().querySelectorAll(".agenda-actions button")) {
            button.hidden = false;
        }
        group().addEventListener("click", (event) => {
            const button = event.target.closest(".agenda-actions button");
            if (button) {
                insertBelow(button.closest(".agenda-row"), button.classList.contains("agenda-duplicate"));
            } else if (event.target.closest(".sort i")) {
                setTimeout(settle); // after sortable2 has moved the row
            }
        });
        // Drag and drop: SortableJS announces its end before sortable2 renumbers.
        group().addEventListener("end", () => setTimeout(settle));
        document.addEventListener("formset:added", (event) => {
            if (event.detail.formsetName !== PREFIX) {
                return;
            }
            const row = event.target;
            const above = row.previousElementSibling;
            if (above && above.classList.contains("agenda-row") && field(row, "day").value === field(row, "day").defaultValue) {
                copyValue(above, row, "day"); // a new row continues the day above it
            }
            settle();
        });
        // Django's script renumbers the rows in the order shown after this event.
        document.addEventListener("formset:removed", (event) => {
            if (event.detail.formsetName === PREFIX) {
                setTimeout(settle);
            }
        });
    }

    window.addEventListener("load", start);
}
