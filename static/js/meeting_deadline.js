/* The meeting form in the admin: the registration deadline follows the start, a day
   before at the same time, while it is empty or still the one filled in here. Once the
   secretariat types another, it is left alone. (meetings.admin.MeetingAdminForm) */
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  const startDate = document.getElementById("id_start_0");
  const startTime = document.getElementById("id_start_1");
  const date = document.getElementById("id_registration_deadline_0");
  const time = document.getElementById("id_registration_deadline_1");
  if (!startDate || !startTime || !date || !time) {
    return;
  }

  // The calendar day before an ISO date (2099-03-25 gives 2099-03-24), counted in UTC
  // so that the browser's own zone and its summer time play no part.
  function dayBefore(iso) {
    const [year, month, day] = iso.split("-").map(Number);
    return new Date(Date.UTC(year, month - 1, day - 1)).toISOString().slice(0, 10);
  }

  function fromStart() {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate.value) || !startTime.value) {
      return null;
    }
    return [dayBefore(startDate.value), startTime.value];
  }

  let filled = fromStart();

  function follows() {
    const empty = !date.value && !time.value;
    const unchanged = filled && date.value === filled[0] && time.value === filled[1];
    return empty || unchanged;
  }

  function follow() {
    const next = fromStart();
    if (next && follows()) {
      date.value = next[0];
      time.value = next[1];
    }
    filled = next;
  }

  startDate.addEventListener("change", follow);
  startTime.addEventListener("change", follow);
});
