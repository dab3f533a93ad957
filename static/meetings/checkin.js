/* The check-in page at the door (meetings/checkin_views.py): a "Scan QR code" button
   where the browser reads QR codes from the camera (BarcodeDetector and getUserMedia),
   nothing otherwise: typing the code works everywhere. A QR code holding this event's
   check-in address fills the code box and sends it; any other QR code is named and the
   camera looks on. The page's words come from its data- attributes (translated there). */
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  const form = document.getElementById("checkin-code-form");
  const button = document.getElementById("checkin-scan");
  const video = document.getElementById("checkin-video");
  const status = document.getElementById("checkin-scan-status");
  if (!form || !button || !video || !status) {
    return;
  }
  if (
    !("BarcodeDetector" in window) ||
    !navigator.mediaDevices ||
    typeof navigator.mediaDevices.getUserMedia !== "function"
  ) {
    return;
  }
  const input = form.querySelector("input[name='code']");
  const checkinPath = form.dataset.checkinPath;
  const startLabel = button.textContent;
  // Between two looks at the camera's picture: quick enough, and spares a phone's battery.
  const LOOK_EVERY_MS = 250;
  let stream = null;
  let timer = null;
  let detector = null;

  // The code inside a QR code read: only this event's check-in address gives one.
  function codeFrom(text) {
    let address;
    try {
      address = new URL(text, window.location.href);
    } catch (error) {
      return null;
    }
    if (address.pathname !== checkinPath) {
      return null;
    }
    return address.searchParams.get("code");
  }

  function stop() {
    if (timer !== null) {
      window.clearTimeout(timer);
      timer = null;
    }
    if (stream !== null) {
      stream.getTracks().forEach(function (track) {
        track.stop();
      });
      stream = null;
    }
    video.srcObject = null;
    video.hidden = true;
    button.textContent = startLabel;
  }

  async function look() {
    timer = null;
    if (stream === null) {
      return;
    }
    let found = [];
    try {
      found = await detector.detect(video);
    } catch (error) {
      found = []; // a frame not ready yet: the next look reads the next one
    }
    for (const barcode of found) {
      const code = codeFrom(barcode.rawValue);
      if (code) {
        stop();
        input.value = code;
        form.requestSubmit();
        return;
      }
      status.textContent = status.dataset.notThisEvent;
    }
    if (stream !== null) {
      timer = window.setTimeout(look, LOOK_EVERY_MS);
    }
  }

  async function start() {
    try {
      detector = detector || new window.BarcodeDetector({ formats: ["qr_code"] });
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment" },
        audio: false,
      });
    } catch (error) {
      stream = null;
      status.textContent = status.dataset.noCamera;
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    button.textContent = button.dataset.stop;
    status.textContent = status.dataset.looking;
    try {
      await video.play();
    } catch (error) {
      stop();
      status.textContent = status.dataset.noCamera;
      return;
    }
    look();
  }

  // The button appears only where QR codes can be read: a browser with BarcodeDetector
  // may still lack the QR format.
  const formats =
    typeof window.BarcodeDetector.getSupportedFormats === "function"
      ? window.BarcodeDetector.getSupportedFormats()
      : Promise.resolve(["qr_code"]);
  formats
    .then(function (supported) {
      if (!supported.includes("qr_code")) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        if (stream === null) {
          start();
        } else {
          stop();
          status.textContent = "";
        }
      });
    })
    .catch(function () {
      // No formats known: the typed code still works.
    });
  window.addEventListener("pagehide", stop);
});
