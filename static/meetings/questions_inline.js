/* The event's questions on a meeting's admin page (meetings.admin_questions.QuestionInline)
   show while "open to the public" is ticked, so that a meeting not open to the public keeps
   its page as short as before. Rows with an error stay in view whatever the box says. */
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  const open = document.getElementById("id_public_registration");
  const questions = document.querySelector(".questions-inline");
  if (!open || !questions) {
    return;
  }
  open.addEventListener("change", function () {
    questions.hidden = !open.checked && !questions.querySelector(".errorlist");
  });
});
